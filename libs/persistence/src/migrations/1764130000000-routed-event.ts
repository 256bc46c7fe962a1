import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `routed_event`: the facts of every event the router routed, with its ORIGINAL payload, so the
 * admin API can explain a past event and simulate a policy change over recent ones (ADR 0021).
 * It holds originals, so it falls under the 28 CFR 23 retention of the intelligence it carries;
 * the purge is not built yet.
 */
export class RoutedEvent1764130000000 implements MigrationInterface {
  name = 'RoutedEvent1764130000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE routed_event (
        owner_agency_id uuid NOT NULL,
        event_id varchar(128) NOT NULL,
        type varchar(128) NOT NULL,
        subject varchar(256) NOT NULL,
        feed text,
        tlp varchar(16) NOT NULL,
        named_recipient_ids uuid[] NOT NULL DEFAULT '{}',
        expires timestamptz,
        data jsonb NOT NULL,
        routed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (owner_agency_id, event_id)
      )`);
    // Simulate reads an owner's newest events first.
    await q.query(`CREATE INDEX routed_event_owner_routed_idx ON routed_event (owner_agency_id, routed_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE routed_event`);
  }
}
