import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tenants, their keys, sharing agreements, and the dissemination ledger. */
export class Foundation1764050000000 implements MigrationInterface {
  name = 'Foundation1764050000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agency (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ori varchar(9) NOT NULL UNIQUE CHECK (ori ~ '^[A-Z]{2}[A-Z0-9]{7}$'),
        name varchar(200) NOT NULL,
        kind varchar(16) NOT NULL CHECK (kind IN ('local','county','state','federal','tribal','rtcc')),
        status varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active','suspended')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE api_key (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agency(id),
        prefix varchar(32) NOT NULL UNIQUE,
        secret_sha256 bytea NOT NULL CHECK (length(secret_sha256) = 32),
        scopes text[] NOT NULL CHECK (scopes <@ ARRAY['publish','consume','manage']::text[] AND cardinality(scopes) > 0),
        label varchar(100) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX api_key_agency_idx ON api_key (agency_id)`);
    await q.query(`
      CREATE TABLE sharing_agreement (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        grantor_agency_id uuid NOT NULL REFERENCES agency(id),
        grantee_agency_id uuid NOT NULL REFERENCES agency(id),
        purpose varchar(500) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        CHECK (grantor_agency_id <> grantee_agency_id)
      )`);
    await q.query(`
      CREATE UNIQUE INDEX sharing_agreement_active_pair_idx
        ON sharing_agreement (grantor_agency_id, grantee_agency_id) WHERE revoked_at IS NULL`);
    await q.query(`
      CREATE TABLE dissemination (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        owner_agency_id uuid NOT NULL,
        event_id varchar(128) NOT NULL,
        event_type varchar(128) NOT NULL,
        subject varchar(256) NOT NULL,
        tlp varchar(16) NOT NULL,
        recipient_agency_id uuid NOT NULL,
        decision varchar(8) NOT NULL CHECK (decision IN ('shared','denied')),
        reasons text[] NOT NULL,
        agreement_id uuid,
        decided_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (owner_agency_id, event_id, recipient_agency_id)
      )`);
    await q.query(`CREATE INDEX dissemination_recipient_idx ON dissemination (recipient_agency_id, decided_at)`);
    await q.query(`
      CREATE TABLE delivery_attempt (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        owner_agency_id uuid NOT NULL,
        event_id varchar(128) NOT NULL,
        recipient_agency_id uuid NOT NULL,
        channel varchar(16) NOT NULL,
        outcome varchar(16) NOT NULL CHECK (outcome IN ('delivered','failed')),
        detail varchar(500),
        attempted_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE UNIQUE INDEX delivery_attempt_delivered_once_idx
        ON delivery_attempt (owner_agency_id, event_id, recipient_agency_id, channel) WHERE outcome = 'delivered'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE delivery_attempt`);
    await q.query(`DROP TABLE dissemination`);
    await q.query(`DROP TABLE sharing_agreement`);
    await q.query(`DROP TABLE api_key`);
    await q.query(`DROP TABLE agency`);
  }
}
