/**
 * Tenant isolation matrix for the whole admin API. Routes are discovered from /openapi.json (which
 * admin-openapi.test.ts proves lists every registered route), so a route added later is covered
 * without touching this file. For each route and each kind of credential it checks:
 *  - no, invalid, revoked or expired credentials: 401, the same body whatever the target;
 *  - a key without the manage scope: 403, the same whatever the target (so it reveals nothing);
 *  - agency A's key or session on agency B's objects: exactly what a non-existent object gets, and
 *    404 where the path names an object (never a 403 that would confirm it exists);
 *  - every refused request changed no data; a refusal of a known actor left exactly one audit row,
 *    and unauthenticated refusals were counted into a bounded number of aggregated rows.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import {
  createAccount,
  createAgency,
  createAgreement,
  expectEventually,
  FAST_ADMIN_ENV,
  issueKey,
  request,
  signIn,
  startStack,
  routesOf,
  sample,
  type HttpResult,
  type OpenApi,
  type Route,
  type TestAgency,
  type TestStack,
} from '@liaison/testing';

/** Long enough that the refusal test's requests share a few windows, short enough to see the rows soon. */
const REFUSAL_WINDOW_MS = 2_000;

const without = (res: HttpResult) => ({ status: res.status, type: res.body['type'], title: res.body['title'], detail: res.body['detail'] });

describe('admin tenant isolation matrix (every route × every kind of credential, real Postgres)', () => {
  let stack: TestStack;
  let db: Client;
  let doc: OpenApi;
  let routes: Route[];
  let a: TestAgency;
  let b: TestAgency;
  const creds: Record<string, string | undefined> = {};
  const bObjects: Record<string, string> = {};
  const admin = (path: string) => `${stack.url('admin')}${path}`;

  /** A digest of every row of every table but the audit log: equal digests mean nothing changed. */
  async function dataDigest(): Promise<string> {
    const tables = await db.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('audit_log', 'audit_log_head', 'migrations', 'rate_limit_counter')
        ORDER BY table_name`,
    );
    const parts: string[] = [];
    for (const { name } of tables.rows) {
      const res = await db.query<{ d: string | null }>(`SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS d FROM "${name}" t`);
      parts.push(`${name}:${res.rows[0]?.d ?? 'empty'}`);
    }
    return parts.join(',');
  }

  /** Sends one request with a unique request id, so its audit rows can be found. */
  async function send(route: Route, path: string, token: string | undefined, uuidFor: (field: string) => string) {
    const requestId = `iso-${randomUUID()}`;
    const schema = route.op.requestBody?.content['application/json']?.schema;
    const body = schema === undefined ? undefined : sample(schema, doc, uuidFor);
    const res = await request(route.method, admin(path), { token, body, headers: { 'x-request-id': requestId } });
    return { res, requestId };
  }

  function concrete(route: Route, ids: Record<string, string>): string {
    return route.path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? randomUUID());
  }

  async function auditRowsFor(requestId: string): Promise<{ outcome: string; action: string }[]> {
    const res = await db.query<{ outcome: string; action: string }>('SELECT outcome, action FROM audit_log WHERE request_id = $1', [
      requestId,
    ]);
    return res.rows;
  }

  before(async () => {
    stack = await startStack('admin-isolation', [], { ADMIN_REFUSAL_AUDIT_WINDOW_MS: String(REFUSAL_WINDOW_MS) });
    Object.assign(stack.env, FAST_ADMIN_ENV);
    await stack.start('admin');
    db = new Client({ connectionString: stack.database.url });
    await db.connect();
    a = await createAgency(stack, 'Agency A');
    b = await createAgency(stack, 'Agency B');

    creds['operator token'] = stack.adminToken;
    creds['operator session'] = await signIn(stack, await createAccount(stack, { role: 'platform-operator' }));
    creds['agency A key'] = await issueKey(stack, a, ['manage']);
    creds['agency A session'] = await signIn(stack, await createAccount(stack, { role: 'agency-admin', agencyId: a.id }));
    creds['agency B key'] = await issueKey(stack, b, ['manage']);
    const bAdmin = await createAccount(stack, { role: 'agency-admin', agencyId: b.id });
    creds['agency B session'] = await signIn(stack, bAdmin);
    creds['publish-only key'] = await issueKey(stack, a, ['publish']);
    creds['no credential'] = undefined;
    creds['invalid token'] = `lsk_${'a'.repeat(12)}_${'b'.repeat(43)}`;

    const revoked = await request('POST', admin(`/v1/agencies/${a.id}/api-keys`), {
      token: stack.adminToken,
      body: { label: 'r', scopes: ['manage'] },
    });
    await request('DELETE', admin(`/v1/agencies/${a.id}/api-keys/${String(revoked.body['id'])}`), { token: stack.adminToken });
    creds['revoked key'] = String(revoked.body['key']);
    const expiring = await createAccount(stack, { role: 'agency-admin', agencyId: a.id });
    creds['expired session'] = await signIn(stack, expiring);
    await db.query(`UPDATE session SET expires_at = now() - interval '1 minute' WHERE account_id = $1`, [expiring.id]);

    // B's own objects, named by the path parameters that address them.
    const bKey = await request('POST', admin(`/v1/agencies/${b.id}/api-keys`), {
      token: stack.adminToken,
      body: { label: 'b', scopes: ['consume'] },
    });
    bObjects['agencyId'] = b.id;
    bObjects['keyId'] = String(bKey.body['id']);
    bObjects['agreementId'] = await createAgreement(stack, b, a);
    bObjects['accountId'] = bAdmin.id;
    const bFeed = await request('POST', admin(`/v1/agencies/${b.id}/feeds`), {
      token: stack.adminToken,
      body: { name: 'b-feed', eventTypes: ['gov.liaison.incident.reported.v1'], defaultTlp: 'AMBER', retentionDays: 30 },
    });
    bObjects['feedId'] = String(bFeed.body['id']);
    const bPolicy = await request('POST', admin(`/v1/agencies/${b.id}/policies`), {
      token: stack.adminToken,
      body: { granteeAgencyId: a.id, maxTlp: 'GREEN', purpose: 'b policy' },
    });
    bObjects['policyId'] = String(bPolicy.body['id']);
    // A group only B belongs to: A must not learn that it exists.
    const bGroup = await request('POST', admin('/v1/sharing-groups'), {
      token: stack.adminToken,
      body: { name: 'b-group', memberAgencyIds: [b.id] },
    });
    bObjects['groupId'] = String(bGroup.body['id']);
    const bSubscription = await request('POST', admin(`/v1/agencies/${b.id}/subscriptions`), {
      token: stack.adminToken,
      body: { channel: 'pull', label: 'b pull' },
    });
    bObjects['subscriptionId'] = String(bSubscription.body['id']);
    for (const name of ['feedId', 'policyId', 'groupId', 'subscriptionId'])
      assert.match(bObjects[name]!, /^[0-9a-f-]{36}$/, `${name} created`);
    await createAgreement(stack, a, b);

    const res = await request('GET', admin('/openapi.json'));
    assert.equal(res.status, 200);
    doc = res.body as unknown as OpenApi;
    routes = routesOf(doc);
  });

  after(async () => {
    await db?.end();
    await stack?.stop();
  });

  const protectedRoutes = () => routes.filter((r) => (r.op.security ?? []).length > 0);
  const ghostIds = (): Record<string, string> => ({});
  const uuidOf = (ids: Record<string, string>) => (field: string) => ids[field] ?? ids['agencyId'] ?? randomUUID();

  it('discovers the routes from the OpenAPI document', () => {
    assert.ok(protectedRoutes().length >= 15, `only ${protectedRoutes().length} protected routes`);
    assert.ok(protectedRoutes().some((r) => r.path === '/v1/audit-events'));
  });

  it('never shows agency A anything of agency B through a listing', async () => {
    const secrets = [
      bObjects['keyId']!,
      bObjects['agreementId']!,
      bObjects['accountId']!,
      bObjects['feedId']!,
      bObjects['policyId']!,
      bObjects['groupId']!,
      bObjects['subscriptionId']!,
      b.ori,
    ];
    for (const route of protectedRoutes().filter((r) => r.method === 'GET' && r.params.length === 0)) {
      for (const who of ['agency A key', 'agency A session']) {
        const { res } = await send(route, route.path, creds[who], uuidOf({}));
        assert.ok(res.status < 500, `${who} ${route.method} ${route.path}: ${res.status}`);
        for (const secret of secrets) assert.ok(!res.text.includes(secret), `${who} ${route.method} ${route.path} leaks ${secret}`);
      }
    }
  });

  it('refuses every bad credential with one 401 and a manage-less key with one 403, changing nothing', async () => {
    const digest = await dataDigest();
    const startedAt = Date.now();
    const since = (await db.query<{ id: string }>('SELECT coalesce(max(id), 0)::text AS id FROM audit_log')).rows[0]!.id;
    let unauthenticated = 0;
    for (const route of protectedRoutes()) {
      const real = concrete(route, bObjects);
      const ghost = concrete(route, ghostIds());
      for (const who of ['no credential', 'invalid token', 'revoked key', 'expired session', 'publish-only key']) {
        const expected = who === 'publish-only key' ? 403 : 401;
        const first = await send(route, real, creds[who], uuidOf(bObjects));
        const second = await send(route, ghost, creds[who], uuidOf({}));
        const label = `${who} → ${route.method} ${route.path}`;
        assert.equal(first.res.status, expected, `${label}: ${first.res.text}`);
        assert.deepEqual(without(first.res), without(second.res), `${label}: same answer for a real and a made-up target`);
        if (expected === 401) {
          unauthenticated += 2;
          continue;
        }
        for (const sent of [first, second]) {
          const rows = await auditRowsFor(sent.requestId);
          assert.deepEqual(rows, [{ outcome: 'denied', action: 'auth.refused' }], `${label}: one refusal row for a known actor`);
        }
      }
    }
    assert.equal(await dataDigest(), digest, 'no refused request changed any data');

    // Unauthenticated refusals: counted in memory, written as one row per source and reason per window.
    const aggregated = await expectEventually(async () => {
      const res = await db.query<{ count: string; reason: string }>(
        `SELECT after->>'count' AS count, reason FROM audit_log
          WHERE id > $1 AND action = 'auth.refused' AND actor_kind = 'anonymous' AND outcome = 'denied'`,
        [since],
      );
      const total = res.rows.reduce((sum, row) => sum + Number(row.count), 0);
      assert.equal(total, unauthenticated, 'every unauthenticated refusal is counted, once');
      return res.rows;
    });
    const windows = Math.ceil((Date.now() - startedAt) / REFUSAL_WINDOW_MS) + 1;
    const reasons = new Set(aggregated.map((r) => r.reason.replace(/ \(\d+ requests\)$/, '')));
    assert.ok(reasons.size >= 3, `the true reasons are kept apart: ${[...reasons].join(' | ')}`);
    assert.ok(
      aggregated.length <= windows * reasons.size,
      `${aggregated.length} rows for ${unauthenticated} refusals: at most one per reason per window (${windows} windows)`,
    );
    assert.ok(
      aggregated.some((r) => Number(r.count) > 1),
      'refusals of one reason from one source in one window share a row',
    );
  });

  it("answers agency A on agency B's objects exactly as on objects that do not exist (404, never 403), changing nothing", async () => {
    const digest = await dataDigest();
    let checked = 0;
    for (const route of protectedRoutes().filter((r) => r.params.length > 0)) {
      for (const who of ['agency A key', 'agency A session']) {
        const label = `${who} → ${route.method} ${route.path}`;
        const real = await send(route, concrete(route, bObjects), creds[who], uuidOf(bObjects));
        const ghost = await send(route, concrete(route, ghostIds()), creds[who], uuidOf({}));
        assert.deepEqual(without(real.res), without(ghost.res), `${label}: B's object reads as a made-up one`);
        assert.notEqual(real.res.status, 403, `${label}: a 403 would confirm the object exists`);
        if (real.res.status !== 404) {
          // Only an unusable sample body may answer first; prove it by the operator getting the same 400.
          const probe = await send(route, concrete(route, ghostIds()), creds['operator token'], uuidOf({}));
          assert.equal(real.res.status, 400, `${label}: expected 404, got ${real.res.status} ${real.res.text}`);
          assert.equal(probe.res.status, 400, `${label}: 400 only because the sample body is invalid`);
        }
        for (const sent of [real, ghost]) {
          const rows = await auditRowsFor(sent.requestId);
          assert.equal(rows.length, 1, `${label}: one audit row`);
          assert.notEqual(rows[0]?.outcome, 'success', `${label}: recorded as refused`);
        }
        checked += 1;
      }
    }
    assert.ok(checked >= 16, `checked only ${checked}`);
    assert.equal(await dataDigest(), digest, "agency A changed nothing of agency B's");
  });

  it('lets operators read every tenant and each agency read its own, through key and session alike', async () => {
    for (const route of protectedRoutes().filter((r) => r.method === 'GET')) {
      const path = concrete(route, bObjects);
      for (const who of ['operator token', 'operator session', 'agency B key', 'agency B session']) {
        const { res } = await send(route, path, creds[who], uuidOf(bObjects));
        assert.ok(![401, 403].includes(res.status), `${who} → GET ${route.path}: ${res.status} ${res.text}`);
        // The only 404 allowed is the ledger of an event that was never published.
        if (res.status === 404) assert.match(route.path, /\{eventId\}/, `${who} → GET ${route.path}: 404`);
      }
    }
  });

  it('keeps operator-only actions from agency administrators with a 403 that names no object', async () => {
    const digest = await dataDigest();
    for (const who of ['agency A key', 'agency A session']) {
      const res = await request('POST', admin('/v1/agencies'), {
        token: creds[who],
        body: { ori: 'ZZ9999999', name: 'Rogue', kind: 'local' },
      });
      assert.equal(res.status, 403, res.text);
      const operator = await request('POST', admin('/v1/operators'), {
        token: creds[who],
        body: {
          email: `${randomUUID().slice(0, 8)}@example.org`,
          displayName: 'X',
          role: 'platform-operator',
          password: 'long enough password',
        },
      });
      assert.equal(operator.status, 403, operator.text);
    }
    assert.equal(await dataDigest(), digest);
  });
});
