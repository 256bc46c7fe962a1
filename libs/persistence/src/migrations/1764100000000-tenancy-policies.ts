import type { MigrationInterface, QueryRunner } from 'typeorm';

const TLP = `('CLEAR','GREEN','AMBER','AMBER+STRICT','RED')`;

/**
 * Tenancy and sharing policies: agency facts the rules need, feeds, sharing groups, versioned
 * sharing policies (which replace sharing agreements: every agreement becomes an AMBER policy with
 * the same id, so ledger rows keep pointing at it), and the transactional outbox the admin API
 * writes every configuration change to.
 */
export class TenancyPolicies1764100000000 implements MigrationInterface {
  name = 'TenancyPolicies1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE agency
        ADD COLUMN jurisdiction varchar(64),
        ADD COLUMN law_enforcement boolean NOT NULL DEFAULT true,
        ADD COLUMN accepts_statuses text[] NOT NULL DEFAULT '{}'
          CHECK (accepts_statuses <@ ARRAY['Exercise','Test']::text[]),
        ADD COLUMN suspended_at timestamptz,
        ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
    await q.query(`UPDATE agency SET suspended_at = now() WHERE status = 'suspended'`);
    await q.query(`
      ALTER TABLE agency ADD CONSTRAINT agency_suspended_at_matches_status
        CHECK ((status = 'suspended') = (suspended_at IS NOT NULL))`);

    await q.query(`
      CREATE TABLE feed (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agency(id),
        name varchar(64) NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]*$'),
        description varchar(500),
        event_types text[] NOT NULL CHECK (cardinality(event_types) > 0),
        default_tlp varchar(16) NOT NULL CHECK (default_tlp IN ${TLP}),
        retention_days integer NOT NULL CHECK (retention_days BETWEEN 1 AND 3650),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (agency_id, name)
      )`);

    await q.query(`
      CREATE TABLE sharing_group (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(200) NOT NULL UNIQUE CHECK (length(btrim(name)) > 0),
        description varchar(1000),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE sharing_group_member (
        group_id uuid NOT NULL REFERENCES sharing_group(id) ON DELETE CASCADE,
        agency_id uuid NOT NULL REFERENCES agency(id),
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_id, agency_id)
      )`);
    await q.query(`CREATE INDEX sharing_group_member_agency_idx ON sharing_group_member (agency_id)`);

    // One row per version: (id, version) is the key, the current version is the one not superseded.
    await q.query(`
      CREATE TABLE sharing_policy (
        id uuid NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        grantor_agency_id uuid NOT NULL REFERENCES agency(id),
        grantee_agency_id uuid REFERENCES agency(id),
        grantee_group_id uuid REFERENCES sharing_group(id),
        feeds text[] CHECK (feeds IS NULL OR cardinality(feeds) > 0),
        event_types text[] CHECK (event_types IS NULL OR cardinality(event_types) > 0),
        max_tlp varchar(16) NOT NULL CHECK (max_tlp IN ${TLP}),
        geo_scope jsonb,
        purpose varchar(500) NOT NULL CHECK (length(btrim(purpose)) > 0),
        valid_from timestamptz,
        valid_until timestamptz,
        field_rules jsonb NOT NULL,
        created_by varchar(100) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        superseded_at timestamptz,
        PRIMARY KEY (id, version),
        CONSTRAINT sharing_policy_one_grantee CHECK ((grantee_agency_id IS NULL) <> (grantee_group_id IS NULL)),
        CONSTRAINT sharing_policy_no_self_grant CHECK (grantee_agency_id IS NULL OR grantee_agency_id <> grantor_agency_id),
        CONSTRAINT sharing_policy_window CHECK (valid_from IS NULL OR valid_until IS NULL OR valid_from < valid_until)
      )`);
    await q.query(`CREATE UNIQUE INDEX sharing_policy_current_idx ON sharing_policy (id) WHERE superseded_at IS NULL`);
    await q.query(`CREATE INDEX sharing_policy_grantor_idx ON sharing_policy (grantor_agency_id, id) WHERE superseded_at IS NULL`);
    await q.query(`CREATE INDEX sharing_policy_group_idx ON sharing_policy (grantee_group_id) WHERE grantee_group_id IS NOT NULL`);

    await q.query(`
      INSERT INTO sharing_policy (id, version, grantor_agency_id, grantee_agency_id, max_tlp, purpose, field_rules, created_by, created_at, revoked_at)
      SELECT id, 1, grantor_agency_id, grantee_agency_id, 'AMBER',
             CASE WHEN length(btrim(purpose)) > 0 THEN purpose ELSE '(not stated)' END,
             '{"redact":[],"coarsenLocationDegrees":null,"dropNarrative":false}'::jsonb,
             'migration:sharing_agreement', created_at, revoked_at
        FROM sharing_agreement`);
    await q.query(`DROP TABLE sharing_agreement`);

    await q.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        topic varchar(249) NOT NULL,
        key varchar(200) NOT NULL,
        value jsonb,
        headers jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox`);
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
    // Only agency-to-agency policies can go back; the newest active one per pair stays active.
    await q.query(`
      INSERT INTO sharing_agreement (id, grantor_agency_id, grantee_agency_id, purpose, created_at, revoked_at)
      SELECT id, grantor_agency_id, grantee_agency_id, purpose, created_at,
             CASE WHEN revoked_at IS NULL
                   AND row_number() OVER (PARTITION BY grantor_agency_id, grantee_agency_id, revoked_at IS NULL ORDER BY created_at DESC) = 1
                  THEN NULL ELSE coalesce(revoked_at, now()) END
        FROM sharing_policy WHERE superseded_at IS NULL AND grantee_agency_id IS NOT NULL`);
    await q.query(`
      CREATE UNIQUE INDEX sharing_agreement_active_pair_idx
        ON sharing_agreement (grantor_agency_id, grantee_agency_id) WHERE revoked_at IS NULL`);
    await q.query(`DROP TABLE sharing_policy`);
    await q.query(`DROP TABLE sharing_group_member`);
    await q.query(`DROP TABLE sharing_group`);
    await q.query(`DROP TABLE feed`);
    await q.query(`ALTER TABLE agency DROP CONSTRAINT agency_suspended_at_matches_status`);
    await q.query(`
      ALTER TABLE agency DROP COLUMN jurisdiction, DROP COLUMN law_enforcement, DROP COLUMN accepts_statuses,
        DROP COLUMN suspended_at, DROP COLUMN updated_at`);
  }
}
