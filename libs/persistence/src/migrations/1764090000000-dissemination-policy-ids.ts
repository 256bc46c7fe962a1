import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger records every policy that granted a copy (several can), not just one agreement.
 * `agreement_id` stays until the agreements have become policies everywhere.
 */
export class DisseminationPolicyIds1764090000000 implements MigrationInterface {
  name = 'DisseminationPolicyIds1764090000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dissemination ADD COLUMN policy_ids uuid[] NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dissemination DROP COLUMN policy_ids`);
  }
}
