import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { DEFAULT_DATABASE_URL } from '@liaison/config';
import {
  AuditLogRepository,
  DATABASE_SERVICES,
  MIGRATIONS,
  createDataSource,
  databaseNameOf,
  dropDatabase,
  migrate,
  ownerRoleName,
  serviceDatabaseUrl,
  serviceRoleName,
  withDatabase,
  type DatabaseService,
  type NewAuditRow,
} from '@liaison/persistence';
import { createTestDatabase, uniqueSuffix, type TestDatabase } from '@liaison/testing';

const PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'] as const;

/**
 * The specification of least privilege: every table, and what each service may do to it. Any
 * grant not listed here fails the test, so a new table or privilege is a deliberate change.
 */
const EXPECTED: Record<DatabaseService, Record<string, string[]>> = {
  gateway: { agency: ['SELECT'], api_key: ['SELECT'], rate_limit_counter: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] },
  router: { dissemination: ['INSERT'], routed_event: ['INSERT'], rate_limit_counter: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] },
  delivery: {
    agency: ['SELECT'],
    api_key: ['SELECT'],
    subscription: ['SELECT', 'UPDATE'],
    inbox_event: ['SELECT', 'INSERT'],
    webhook_delivery: ['SELECT', 'INSERT', 'UPDATE'],
    delivery_attempt: ['INSERT'],
    rate_limit_counter: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  },
  admin: {
    agency: ['SELECT', 'INSERT', 'UPDATE'],
    api_key: ['SELECT', 'INSERT', 'UPDATE'],
    feed: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
    sharing_group: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
    sharing_group_member: ['SELECT', 'INSERT', 'DELETE'],
    sharing_policy: ['SELECT', 'INSERT', 'UPDATE'],
    outbox: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
    operator_account: ['SELECT', 'INSERT', 'UPDATE'],
    session: ['SELECT', 'INSERT', 'UPDATE'],
    audit_log: ['SELECT', 'INSERT'],
    audit_log_head: ['SELECT'],
    subscription: ['SELECT', 'INSERT', 'UPDATE'],
    webhook_delivery: ['SELECT', 'INSERT', 'UPDATE'],
    inbox_event: ['SELECT'],
    dissemination: ['SELECT'],
    delivery_attempt: ['SELECT'],
    routed_event: ['SELECT'],
    rate_limit_counter: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  },
};

function auditRow(action: string, overrides: Partial<NewAuditRow> = {}): NewAuditRow {
  return {
    actorKind: 'bootstrap-token',
    actorId: null,
    actorAgencyId: null,
    action,
    objectType: 'test',
    objectId: action,
    agencyId: null,
    before: null,
    after: { n: 1, nested: { é: 'ü', list: [1, 2.5, null] } },
    outcome: 'success',
    reason: null,
    sourceIp: '127.0.0.1',
    requestId: null,
    ...overrides,
  };
}

/** The SQLSTATE of what `run` throws; fails when it does not throw. */
async function sqlStateOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error: unknown) {
    return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : String(error);
  }
  return assert.fail('expected the statement to be refused');
}

/** As a superuser who switches the append-only triggers off: what an intruder with full access could do. */
async function tamper(url: string, sql: string, params: unknown[] = []): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET session_replication_role = replica`);
    await client.query(sql, params);
  } finally {
    await client.end();
  }
}

describe('database roles: each service its own role with least privilege (real PostgreSQL)', () => {
  let database: TestDatabase;
  let other: TestDatabase;

  before(async () => {
    [database, other] = await Promise.all([createTestDatabase('roles'), createTestDatabase('roles2')]);
  });

  after(async () => {
    await Promise.all([database.drop(), other.drop()]);
  });

  it('grants each service exactly its tables and privileges, and nothing on the migrations table', async () => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const name = databaseNameOf(database.url);
      const tables = (
        await client.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)
      ).rows.map((r) => r.t);
      assert.ok(tables.includes('migrations') && tables.includes('audit_log'), tables.join());
      for (const service of DATABASE_SERVICES) {
        const role = serviceRoleName(name, service);
        const actual: Record<string, string[]> = {};
        for (const table of tables) {
          const held: string[] = [];
          for (const privilege of PRIVILEGES) {
            const r = await client.query<{ ok: boolean }>('SELECT has_table_privilege($1, $2, $3) AS ok', [
              role,
              `public.${table}`,
              privilege,
            ]);
            if (r.rows[0]?.ok === true) held.push(privilege);
          }
          if (held.length > 0) actual[table] = held;
        }
        const expected = Object.fromEntries(Object.entries(EXPECTED[service]).sort(([a], [b]) => a.localeCompare(b)));
        assert.deepEqual(actual, expected, `${service}'s grants`);
      }
      const owner = await client.query<{ owner: string }>(`SELECT tableowner AS owner FROM pg_tables WHERE tablename = 'migrations'`);
      assert.equal(owner.rows[0]?.owner, ownerRoleName(name), 'the migrations run as the owner role');
    } finally {
      await client.end();
    }
  });

  it('refuses UPDATE, DELETE and TRUNCATE of audit_log to every service, and to the owner', async () => {
    for (const service of DATABASE_SERVICES) {
      const client = new Client({ connectionString: database.serviceUrl(service) });
      await client.connect();
      try {
        for (const sql of ['UPDATE audit_log SET reason = NULL', 'DELETE FROM audit_log', 'TRUNCATE audit_log']) {
          assert.equal(await sqlStateOf(() => client.query(sql)), '42501', `${service}: ${sql}`);
        }
      } finally {
        await client.end();
      }
    }
    const owner = new Client({ connectionString: database.url, options: `-c role=${ownerRoleName(databaseNameOf(database.url))}` });
    await owner.connect();
    try {
      await owner.query(`INSERT INTO audit_log (actor_kind, action, outcome) VALUES ('test', 'owner.insert', 'success')`);
      for (const sql of ['UPDATE audit_log SET reason = NULL', 'DELETE FROM audit_log', 'TRUNCATE audit_log']) {
        assert.equal(await sqlStateOf(() => owner.query(sql)), '42501', `owner: ${sql}`);
      }
    } finally {
      await owner.end();
    }
  });

  it("lets a service role connect only to its own database, not to another suite's", async () => {
    const name = databaseNameOf(other.url);
    const intruder = new Client({ connectionString: withDatabase(database.serviceUrl('admin'), name) });
    assert.equal(await sqlStateOf(() => intruder.connect()), '42501');
    await intruder.end().catch(() => undefined);
    const router = new Client({ connectionString: database.serviceUrl('router') });
    await router.connect();
    try {
      assert.equal(await sqlStateOf(() => router.query('SELECT count(*) FROM agency')), '42501', 'router reads no agency table');
      assert.equal(await sqlStateOf(() => router.query('CREATE TABLE t (x int)')), '42501', 'no service creates tables');
    } finally {
      await router.end();
    }
  });

  it('provisions safely from several processes at once, and again on an existing database', async () => {
    const url = withDatabase(process.env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL, `liaison_test_race_${uniqueSuffix()}`);
    try {
      const results = await Promise.all([migrate(url), migrate(url), migrate(url)]);
      assert.equal(results.flat().length, MIGRATIONS.length, 'every migration applied exactly once');
      assert.deepEqual(await migrate(url, { passwords: { gateway: 'changed' } }), []);
      const gateway = new Client({ connectionString: serviceDatabaseUrl(url, 'gateway', 'changed') });
      await gateway.connect();
      await gateway.end();
    } finally {
      await dropDatabase(url);
    }
  });
});

describe('audit_log: hash-chained, append-only, verified (real PostgreSQL)', () => {
  let database: TestDatabase;
  let adminDb: DataSource;
  let log: AuditLogRepository;

  before(async () => {
    database = await createTestDatabase('auditchain');
    adminDb = await createDataSource(database.serviceUrl('admin'), 'liaison-test-admin').initialize();
    log = new AuditLogRepository(adminDb);
  });

  after(async () => {
    await adminDb.destroy();
    await database.drop();
  });

  it('chains concurrent appends in commit order, with ids following the chain', async () => {
    const writers = Array.from({ length: 8 }, (_, w) =>
      (async () => {
        for (let i = 0; i < 25; i += 1) {
          // Half of them inside a transaction that does other work first, as an audited change does.
          if (i % 2 === 0) await log.append(auditRow(`w${w}.${i}`));
          else
            await adminDb.transaction(async (m) => {
              await m.query('SELECT pg_sleep(0.002)');
              await log.append(auditRow(`w${w}.${i}`), m);
            });
        }
      })(),
    );
    await Promise.all(writers);
    const result = await log.verifyChain();
    assert.equal(result.intact, true, JSON.stringify(result));
    assert.equal(result.rows, 200);
    const ids = (await adminDb.query<{ id: string }[]>('SELECT id::text AS id FROM audit_log ORDER BY audit_log.id')).map((r) =>
      Number(r.id),
    );
    assert.deepEqual(
      ids,
      ids.map((_, i) => (ids[0] ?? 0) + i),
      'no gaps: ids are drawn once the chain is held',
    );
  });

  it('names the first broken row: an edited row, a removed row, a cut-off tail', async () => {
    await log.append(auditRow('before-tamper'));
    const ids = (await adminDb.query<{ id: string }[]>('SELECT id::text AS id FROM audit_log ORDER BY audit_log.id')).map((r) => r.id);
    const [edited, removed, last] = [ids[5], ids[10], ids[ids.length - 1]];
    assert.ok(edited !== undefined && removed !== undefined && last !== undefined);

    // Edit one field of a row: that row no longer gives its hash.
    const original = await adminDb.query<{ reason: string | null }[]>('SELECT reason FROM audit_log WHERE id = $1', [edited]);
    await tamper(database.url, `UPDATE audit_log SET reason = 'nothing happened here' WHERE id = $1`, [edited]);
    assert.deepEqual(await log.verifyChain(), { intact: false, rows: 6, firstBrokenId: edited, problem: 'content' });
    // Also recompute its hash: then the next row no longer follows it.
    await tamper(database.url, `UPDATE audit_log l SET hash = audit_log_digest(l.prev_hash, l) WHERE id = $1`, [edited]);
    const next = ids[6];
    assert.deepEqual(await log.verifyChain(), { intact: false, rows: 7, firstBrokenId: next, problem: 'link' });
    await tamper(database.url, `UPDATE audit_log l SET reason = $2 WHERE id = $1`, [edited, original[0]?.reason ?? null]);
    await tamper(database.url, `UPDATE audit_log l SET hash = audit_log_digest(l.prev_hash, l) WHERE id = $1`, [edited]);
    assert.equal((await log.verifyChain()).intact, true, 'restored exactly, the chain holds again');

    // Remove a row: the one after it no longer follows its predecessor.
    await tamper(database.url, 'DELETE FROM audit_log WHERE id = $1', [removed]);
    const afterRemoved = ids[11];
    assert.deepEqual(await log.verifyChain(), { intact: false, rows: 11, firstBrokenId: afterRemoved, problem: 'link' });
  });

  it('shows a cut-off tail, which no link can show', async () => {
    const fresh = await createTestDatabase('audittail');
    const db = await createDataSource(fresh.serviceUrl('admin'), 'liaison-test-admin').initialize();
    try {
      const repo = new AuditLogRepository(db);
      for (let i = 0; i < 5; i += 1) await repo.append(auditRow(`t${i}`));
      const last = await db.query<{ id: string }[]>('SELECT max(id)::text AS id FROM audit_log');
      await tamper(fresh.url, 'DELETE FROM audit_log WHERE id = $1', [last[0]?.id]);
      assert.deepEqual(await repo.verifyChain(), { intact: false, rows: 4, firstBrokenId: last[0]?.id, problem: 'tail' });
    } finally {
      await db.destroy();
      await fresh.drop();
    }
  });

  it('chains the rows written before the chain existed, in id order', async () => {
    const url = withDatabase(process.env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL, `liaison_test_auditold_${uniqueSuffix()}`);
    const chainAt = MIGRATIONS.findIndex((m) => m.name === 'AuditChain1764220000000');
    assert.ok(chainAt > 0);
    try {
      const server = new Client({ connectionString: withDatabase(url, 'postgres') });
      await server.connect();
      await server.query(`CREATE DATABASE ${server.escapeIdentifier(databaseNameOf(url))}`);
      await server.end();
      const old = new DataSource({ type: 'postgres', url, migrations: MIGRATIONS.slice(0, chainAt), synchronize: false });
      await old.initialize();
      await old.runMigrations({ transaction: 'each' });
      for (let i = 0; i < 3; i += 1) {
        await old.query(
          `INSERT INTO audit_log (actor_kind, action, outcome, after) VALUES ('bootstrap-token', $1, 'success', '{"k": [1, "x"]}')`,
          [`old.${i}`],
        );
      }
      await old.destroy();
      await migrate(url);
      const db = await createDataSource(serviceDatabaseUrl(url, 'admin'), 'liaison-test-admin').initialize();
      try {
        const repo = new AuditLogRepository(db);
        assert.deepEqual(
          { ...(await repo.verifyChain()), lastHash: undefined },
          { intact: true, rows: 3, lastId: '3', lastHash: undefined },
        );
        await repo.append(auditRow('new'));
        const result = await repo.verifyChain();
        assert.equal(result.intact, true);
        assert.equal(result.rows, 4);
      } finally {
        await db.destroy();
      }
    } finally {
      await dropDatabase(url);
    }
  });
});
