import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { Client } from 'pg';
import {
  AgencyRepository,
  createDataSource,
  databaseNameOf,
  dropDatabase,
  FeedRepository,
  MIGRATIONS,
  migrate,
  OutboxRepository,
  SharingGroupRepository,
  SharingPolicyRepository,
  withDatabase,
  type AgencyEntity,
  type PolicyContent,
} from '@liaison/persistence';
import { DEFAULT_DATABASE_URL } from '@liaison/config';
import { testOri, uniqueSuffix } from '@liaison/testing';

const NO_RULES = { redact: [], coarsenLocationDegrees: null, dropNarrative: false };

function content(granteeAgencyId: string | null, granteeGroupId: string | null = null): PolicyContent {
  return {
    granteeAgencyId,
    granteeGroupId,
    feeds: null,
    eventTypes: null,
    maxTlp: 'AMBER',
    geoScope: null,
    purpose: 'test purpose',
    validFrom: null,
    validUntil: null,
    fieldRules: NO_RULES,
  };
}

describe('tenancy and policy tables: migration and repositories (real PostgreSQL)', () => {
  const url = withDatabase(process.env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL, `liaison_test_policyrepo_${uniqueSuffix()}`);
  let db: DataSource;
  let agencies: AgencyRepository;
  let policies: SharingPolicyRepository;
  let groups: SharingGroupRepository;
  let feeds: FeedRepository;
  let outbox: OutboxRepository;
  let a: AgencyEntity;
  let b: AgencyEntity;
  const migratedIds: { active: string; revoked: string } = { active: randomUUID(), revoked: randomUUID() };

  before(async () => {
    // The foundation schema first, with agreements in it, as a deployment before this change had:
    // made by the provisioning user, before databases had roles (migrate() hands its tables to the owner).
    const server = new Client({ connectionString: withDatabase(url, 'postgres') });
    await server.connect();
    await server.query(`CREATE DATABASE ${server.escapeIdentifier(databaseNameOf(url))}`);
    await server.end();
    const old = new DataSource({ type: 'postgres', url, migrations: MIGRATIONS.slice(0, 1), synchronize: false });
    await old.initialize();
    await old.runMigrations({ transaction: 'each' });
    const [x, y] = [testOri(), testOri()];
    const rows = await old.query<{ id: string }[]>(
      `INSERT INTO agency (ori, name, kind) VALUES ($1, 'A', 'local'), ($2, 'B', 'county') RETURNING id`,
      [x, y],
    );
    const [aId, bId] = rows.map((r) => r.id);
    await old.query(
      `INSERT INTO sharing_agreement (id, grantor_agency_id, grantee_agency_id, purpose, revoked_at)
       VALUES ($1, $3, $4, 'joint task force', NULL), ($2, $3, $4, 'old one', now() - interval '1 day')`,
      [migratedIds.active, migratedIds.revoked, aId, bId],
    );
    await old.destroy();

    await migrate(url);
    db = await createDataSource(url, 'liaison-test').initialize();
    agencies = new AgencyRepository(db);
    policies = new SharingPolicyRepository(db);
    groups = new SharingGroupRepository(db);
    feeds = new FeedRepository(db);
    outbox = new OutboxRepository(db);
    a = (await agencies.findById(aId as string)) as AgencyEntity;
    b = (await agencies.findById(bId as string)) as AgencyEntity;
  });

  after(async () => {
    await db?.destroy();
    await dropDatabase(url);
  });

  it('turns every sharing agreement into an AMBER policy with the same id, and drops the agreements table', async () => {
    const active = await policies.findCurrent(a.id, migratedIds.active);
    assert.ok(active);
    assert.equal(active.version, 1);
    assert.equal(active.granteeAgencyId, b.id);
    assert.equal(active.granteeGroupId, null);
    assert.equal(active.maxTlp, 'AMBER');
    assert.equal(active.purpose, 'joint task force');
    assert.deepEqual(active.fieldRules, NO_RULES);
    assert.equal(active.feeds, null);
    assert.equal(active.revokedAt, null);
    const revoked = await policies.findCurrent(a.id, migratedIds.revoked);
    assert.ok(revoked?.revokedAt instanceof Date);
    assert.deepEqual(
      (await policies.activeAgreementLike(a.id)).map((p) => p.id),
      [migratedIds.active],
    );
    const tables = await db.query<{ n: string }[]>(`SELECT count(*) AS n FROM pg_tables WHERE tablename = 'sharing_agreement'`);
    assert.equal(Number(tables[0]?.n), 0);
    // Existing agencies get the defaults the rules assume.
    assert.equal(a.lawEnforcement, true);
    assert.deepEqual(a.acceptsStatuses, []);
    assert.equal(a.suspendedAt, null);
  });

  it('keeps each version, with exactly one current version per policy', async () => {
    const v1 = await db.transaction((m) =>
      policies.insert(m, { ...content(b.id), grantorAgencyId: a.id, version: 1, createdBy: 'operator' }),
    );
    await db.transaction(async (m) => {
      const locked = await policies.lockCurrent(m, a.id, v1.id);
      assert.equal(locked?.version, 1);
      await policies.supersede(m, v1.id, 1);
      await policies.insert(m, { ...content(b.id), maxTlp: 'GREEN', id: v1.id, grantorAgencyId: a.id, version: 2, createdBy: 'operator' });
    });
    assert.equal((await policies.findCurrent(a.id, v1.id))?.maxTlp, 'GREEN');
    assert.deepEqual(
      (await policies.versions(a.id, v1.id)).map((p) => [p.version, p.supersededAt === null]),
      [
        [1, false],
        [2, true],
      ],
    );
    // Another grantor's path finds nothing.
    assert.equal(await policies.findCurrent(b.id, v1.id), null);
    // A second current version of the same policy is refused by the database.
    await assert.rejects(
      db.transaction((m) => policies.insert(m, { ...content(b.id), id: v1.id, grantorAgencyId: a.id, version: 3, createdBy: 'operator' })),
      /sharing_policy_current_idx/,
    );
    await db.transaction((m) => policies.revoke(m, v1.id, 2));
    assert.ok(!(await policies.listCurrent(a.id, 100)).some((p) => p.id === v1.id));
    assert.ok((await policies.listCurrent(a.id, 100, { includeRevoked: true })).some((p) => p.id === v1.id));
  });

  it('refuses a policy with no grantee, two grantees, itself as grantee, or a blank purpose', async () => {
    const group = await db.transaction((m) => groups.create(m, { name: `G ${randomUUID()}`, description: null }));
    assert.ok(group);
    const bad: [Partial<PolicyContent>, RegExp][] = [
      [content(null), /sharing_policy_one_grantee/],
      [content(b.id, group.id), /sharing_policy_one_grantee/],
      [content(a.id), /sharing_policy_no_self_grant/],
      [{ ...content(b.id), purpose: '  ' }, /check/i],
      [{ ...content(b.id), validFrom: new Date('2030-01-01'), validUntil: new Date('2029-01-01') }, /sharing_policy_window/],
    ];
    for (const [policy, error] of bad) {
      await assert.rejects(
        db.transaction((m) =>
          policies.insert(m, { ...content(b.id), ...policy, grantorAgencyId: a.id, version: 1, createdBy: 'operator' }),
        ),
        error,
      );
    }
  });

  it('sharing groups: idempotent membership, unknown agencies refused, a group a policy names cannot be deleted', async () => {
    const group = await db.transaction((m) => groups.create(m, { name: `Task force ${randomUUID()}`, description: null }));
    assert.ok(group);
    assert.equal(await db.transaction((m) => groups.create(m, { name: group.name, description: null })), undefined);
    await db.transaction(async (m) => {
      assert.equal(await groups.addMember(m, group.id, b.id), true);
      assert.equal(await groups.addMember(m, group.id, b.id), true);
    });
    assert.equal(await db.transaction((m) => groups.addMember(m, group.id, randomUUID())), false);
    assert.deepEqual((await groups.memberIds([group.id])).get(group.id), [b.id]);
    assert.deepEqual(
      (await groups.list(100, undefined, b.id)).map((g) => g.id),
      [group.id],
    );
    assert.deepEqual(await groups.list(100, undefined, a.id), []);
    await db.transaction((m) =>
      policies.insert(m, { ...content(null, group.id), grantorAgencyId: a.id, version: 1, createdBy: 'operator' }),
    );
    assert.equal(await db.transaction((m) => groups.delete(m, group.id)), 'referenced');
    const spare = await db.transaction((m) => groups.create(m, { name: `Spare ${randomUUID()}`, description: null }));
    assert.ok(spare);
    await db.transaction((m) => groups.addMember(m, spare.id, a.id));
    assert.equal(await db.transaction((m) => groups.delete(m, spare.id)), 'deleted');
    assert.deepEqual((await groups.memberIds([spare.id])).get(spare.id), []);
  });

  it('feeds: names unique per agency, not across agencies', async () => {
    const feed = {
      name: 'cad',
      description: null,
      eventTypes: ['gov.liaison.incident.reported.v1'],
      defaultTlp: 'GREEN' as const,
      retentionDays: 30,
    };
    assert.ok(await db.transaction((m) => feeds.create(m, { ...feed, agencyId: a.id })));
    assert.equal(await db.transaction((m) => feeds.create(m, { ...feed, agencyId: a.id })), undefined);
    assert.ok(await db.transaction((m) => feeds.create(m, { ...feed, agencyId: b.id })));
    assert.deepEqual([...(await feeds.existingNames(a.id, ['cad', 'alpr']))], ['cad']);
    await assert.rejects(db.transaction((m) => feeds.create(m, { ...feed, name: 'x', retentionDays: 0, agencyId: a.id })));
  });

  it('agencies: suspended_at follows the status', async () => {
    await db.transaction((m) => agencies.setStatus(m, b.id, 'suspended'));
    assert.ok((await agencies.findById(b.id))?.suspendedAt instanceof Date);
    assert.ok(!(await agencies.activeIds()).includes(b.id));
    await db.transaction((m) => agencies.setStatus(m, b.id, 'active'));
    assert.equal((await agencies.findById(b.id))?.suspendedAt, null);
    await assert.rejects(db.query(`UPDATE agency SET status = 'suspended' WHERE id = $1`, [b.id]), /agency_suspended_at_matches_status/);
  });

  it('outbox: one relay at a time, claimed rows skipped by others, tombstones kept as NULL', async () => {
    const key = `policy:${randomUUID()}`;
    await db.transaction((m) =>
      outbox.append(m, [
        { topic: 't', key, value: { version: 1 } },
        { topic: 't', key, value: null },
        { topic: 't', key: 'group:x', value: { name: "it's quoted" }, headers: { h: '1' } },
      ]),
    );
    const first = db.createQueryRunner();
    const second = db.createQueryRunner();
    await first.connect();
    await second.connect();
    try {
      await first.startTransaction();
      await second.startTransaction();
      assert.equal(await outbox.tryBecomeRelay(first.manager), true);
      assert.equal(await outbox.tryBecomeRelay(second.manager), false);
      const claimed = await outbox.claim(first.manager, 2);
      assert.deepEqual(
        claimed.map((r) => r.value),
        [{ version: 1 }, null],
      );
      // Locked rows are skipped, not waited for.
      const rest = await outbox.claim(second.manager, 10);
      assert.deepEqual(
        rest.map((r) => [r.key, r.value, r.headers]),
        [['group:x', { name: "it's quoted" }, { h: '1' }]],
      );
      await outbox.markPublished(
        first.manager,
        claimed.map((r) => r.id),
      );
      await first.commitTransaction();
      await second.rollbackTransaction();
    } finally {
      await first.release();
      await second.release();
    }
    assert.equal(await outbox.unpublishedCount(), 1);
    assert.equal(await outbox.deletePublishedBefore(new Date(Date.now() + 60_000)), 2);
  });

  it('migrates down to agreements again (agency-to-agency policies, one active per pair), and back up', async () => {
    // The later migrations (operators and audit, delivery channels) go down first, in reverse order.
    const later = MIGRATIONS.length - 1 - MIGRATIONS.findIndex((m) => m.name === 'TenancyPolicies1764100000000');
    for (let i = 0; i <= later; i += 1) await db.undoLastMigration({ transaction: 'each' });
    const rows = await db.query<{ id: string; active: boolean }[]>(
      `SELECT id, revoked_at IS NULL AS active FROM sharing_agreement WHERE grantor_agency_id = $1 ORDER BY created_at`,
      [a.id],
    );
    assert.ok(rows.some((r) => r.id === migratedIds.active));
    assert.equal(rows.filter((r) => r.active).length, 1);
    await db.runMigrations({ transaction: 'each' });
    assert.ok(await policies.findCurrent(a.id, migratedIds.active));
  });
});
