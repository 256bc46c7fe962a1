import type { MigrationInterface, QueryRunner } from 'typeorm';

/** People who run Liaison (operator accounts), their sign-in sessions, and the audit trail. */
export class OperatorsSessionsAudit1764110000000 implements MigrationInterface {
  name = 'OperatorsSessionsAudit1764110000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE operator_account (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email varchar(254) NOT NULL,
        display_name varchar(200) NOT NULL,
        role varchar(32) NOT NULL CHECK (role IN ('platform-operator','agency-admin')),
        agency_id uuid REFERENCES agency(id),
        password_hash bytea NOT NULL,
        password_salt bytea NOT NULL,
        password_params jsonb NOT NULL,
        failed_attempts integer NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
        locked_until timestamptz,
        disabled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((role = 'agency-admin') = (agency_id IS NOT NULL))
      )`);
    // Emails compare case-insensitively: Alice@x and alice@x are one person.
    await q.query(`CREATE UNIQUE INDEX operator_account_email_idx ON operator_account (lower(email))`);
    await q.query(`CREATE INDEX operator_account_agency_idx ON operator_account (agency_id)`);
    await q.query(`
      CREATE TABLE session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_sha256 bytea NOT NULL UNIQUE CHECK (length(token_sha256) = 32),
        account_id uuid NOT NULL REFERENCES operator_account(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX session_account_idx ON session (account_id)`);
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_kind varchar(32) NOT NULL,
        actor_id varchar(128),
        actor_agency_id uuid,
        action varchar(64) NOT NULL,
        object_type varchar(64),
        object_id varchar(128),
        agency_id uuid,
        before jsonb,
        after jsonb,
        outcome varchar(16) NOT NULL CHECK (outcome IN ('success','failure','denied')),
        reason varchar(500),
        source_ip varchar(64),
        request_id varchar(128)
      )`);
    // The audit query filters by agency scope, actor or object, always newest first by id.
    await q.query(`CREATE INDEX audit_log_agency_idx ON audit_log (agency_id, id)`);
    await q.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, id)`);
    await q.query(`CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id, id)`);
    await q.query(`CREATE INDEX audit_log_at_idx ON audit_log (at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP TABLE session`);
    await q.query(`DROP TABLE operator_account`);
  }
}
