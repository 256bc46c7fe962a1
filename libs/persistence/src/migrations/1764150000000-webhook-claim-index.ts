import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dispatcher's claim walks each endpoint's pending deliveries oldest first and stops after its
 * budget (ADR 0023), instead of finding the head of every queue on every round.
 */
export class WebhookClaimIndex1764150000000 implements MigrationInterface {
  name = 'WebhookClaimIndex1764150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX webhook_delivery_endpoint_seq_idx ON webhook_delivery (subscription_id, inbox_seq) WHERE status = 'pending'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX webhook_delivery_endpoint_seq_idx`);
  }
}
