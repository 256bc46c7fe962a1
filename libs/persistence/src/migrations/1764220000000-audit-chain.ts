import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Makes `audit_log` tamper-evident and append-only (docs/adr/0031).
 *
 * Each row carries `prev_hash` (the previous row's `hash`; 32 zero bytes for the first) and
 * `hash` = SHA-256(prev_hash || canonical(row)), where canonical(row) is the UTF-8 text of the
 * jsonb array [1, id, at (UTC, microseconds), actor_kind, actor_id, actor_agency_id, action,
 * object_type, object_id, agency_id, before, after, outcome, reason, source_ip, request_id] (the
 * leading 1 is the form's version). A BEFORE INSERT trigger, running as the owner, appends every row
 * whoever inserts it: it locks the one-row `audit_log_head` (so appends are serialised and the
 * chain order is commit order, under any isolation level), then draws the id and the time, so ids
 * and times follow the chain. `audit_log_head` holds the last id and hash, so a cut-off tail shows.
 * Rows already present are chained in id order here. UPDATE, DELETE and TRUNCATE are refused by
 * trigger, for the owner too.
 */
export class AuditChain1764220000000 implements MigrationInterface {
  name = 'AuditChain1764220000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_log ADD COLUMN prev_hash bytea, ADD COLUMN hash bytea`);
    await q.query(`
      CREATE FUNCTION audit_log_digest(prev bytea, r audit_log) RETURNS bytea
        LANGUAGE sql STABLE PARALLEL SAFE
        AS $$
          SELECT sha256(prev || convert_to(jsonb_build_array(
            1, r.id::text, to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
            r.actor_kind, r.actor_id, r.actor_agency_id, r.action, r.object_type, r.object_id, r.agency_id,
            r.before, r.after, r.outcome, r.reason, r.source_ip, r.request_id)::text, 'UTF8'))
        $$`);
    await q.query(`
      CREATE TABLE audit_log_head (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        last_id bigint,
        last_hash bytea NOT NULL CHECK (length(last_hash) = 32)
      )`);
    // The rows written before the chain existed, chained in id order.
    await q.query(`
      DO $$
      DECLARE
        r audit_log;
        previous bytea := '\\x0000000000000000000000000000000000000000000000000000000000000000';
        last bigint;
      BEGIN
        FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
          UPDATE audit_log SET prev_hash = previous, hash = audit_log_digest(previous, r) WHERE id = r.id RETURNING hash INTO previous;
          last := r.id;
        END LOOP;
        INSERT INTO audit_log_head (last_id, last_hash) VALUES (last, previous);
      END $$`);
    await q.query(`
      ALTER TABLE audit_log
        ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL,
        ADD CONSTRAINT audit_log_hash_length CHECK (length(prev_hash) = 32 AND length(hash) = 32),
        -- the trigger draws the id once the chain is locked, so the default's draw would only leave gaps
        ALTER COLUMN id DROP DEFAULT`);
    await q.query(`
      CREATE FUNCTION audit_log_append() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
        AS $$
        DECLARE
          previous bytea;
        BEGIN
          SELECT last_hash INTO STRICT previous FROM audit_log_head FOR UPDATE;
          NEW.id := nextval('audit_log_id_seq');
          NEW.at := clock_timestamp();
          NEW.prev_hash := previous;
          NEW.hash := audit_log_digest(previous, NEW);
          UPDATE audit_log_head SET last_id = NEW.id, last_hash = NEW.hash;
          RETURN NEW;
        END $$`);
    await q.query(`
      CREATE FUNCTION audit_log_refuse_change() RETURNS trigger
        LANGUAGE plpgsql
        AS $$
        BEGIN
          RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
        END $$`);
    await q.query(`REVOKE ALL ON FUNCTION audit_log_append() FROM PUBLIC`);
    await q.query(`REVOKE ALL ON FUNCTION audit_log_refuse_change() FROM PUBLIC`);
    await q.query(`CREATE TRIGGER audit_log_append BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append()`);
    await q.query(
      `CREATE TRIGGER audit_log_refuse_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()`,
    );
    await q.query(
      `CREATE TRIGGER audit_log_refuse_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER audit_log_refuse_truncate ON audit_log`);
    await q.query(`DROP TRIGGER audit_log_refuse_change ON audit_log`);
    await q.query(`DROP TRIGGER audit_log_append ON audit_log`);
    await q.query(`DROP FUNCTION audit_log_refuse_change()`);
    await q.query(`DROP FUNCTION audit_log_append()`);
    await q.query(`ALTER TABLE audit_log ALTER COLUMN id SET DEFAULT nextval('audit_log_id_seq')`);
    await q.query(`DROP TABLE audit_log_head`);
    await q.query(`ALTER TABLE audit_log DROP CONSTRAINT audit_log_hash_length, DROP COLUMN hash, DROP COLUMN prev_hash`);
    await q.query(`DROP FUNCTION audit_log_digest(bytea, audit_log)`);
  }
}
