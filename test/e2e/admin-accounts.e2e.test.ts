import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  auditEvents,
  createAccount,
  createAgency,
  expectEventually,
  FAST_ADMIN_ENV,
  request,
  signIn,
  startStack,
  type TestAgency,
  type TestStack,
} from '@liaison/testing';

describe('operator accounts, sessions, lockout and the audit trail (admin over real Postgres)', () => {
  let stack: TestStack;
  let a: TestAgency;
  let b: TestAgency;
  const admin = (path: string) => `${stack.url('admin')}${path}`;

  before(async () => {
    stack = await startStack('admin-accounts', []);
    Object.assign(stack.env, FAST_ADMIN_ENV);
    await stack.start('admin');
    a = await createAgency(stack, 'Agency A');
    b = await createAgency(stack, 'Agency B');
  });

  after(async () => {
    await stack?.stop();
  });

  it('signs an agency administrator in, scopes the session to its agency, audits its changes, and signs out', async () => {
    const account = await createAccount(stack, { role: 'agency-admin', agencyId: a.id });
    const token = await signIn(stack, account);
    assert.match(token, /^lss_/);

    assert.equal((await request('GET', admin(`/v1/agencies/${a.id}`), { token })).status, 200);
    assert.equal((await request('GET', admin(`/v1/agencies/${b.id}`), { token })).status, 404);

    const issued = await request('POST', admin(`/v1/agencies/${a.id}/api-keys`), { token, body: { label: 'cad', scopes: ['publish'] } });
    assert.equal(issued.status, 201, issued.text);
    const [issue] = await auditEvents(stack, { action: 'api-key.issue', objectId: String(issued.body['id']) });
    assert.ok(issue, 'the key issue is audited');
    assert.deepEqual(issue.actor, { kind: 'operator-account', id: account.id, agencyId: a.id });
    assert.equal(issue.agencyId, a.id);
    assert.equal(issue.after?.['prefix'], issued.body['prefix']);
    const serialized = JSON.stringify(issue);
    assert.ok(!serialized.includes(String(issued.body['key'])), 'the key itself is never audited');
    assert.ok(!/secret|sha256|digest/i.test(serialized), 'nor its digest');

    const revoked = await request('DELETE', admin(`/v1/agencies/${a.id}/api-keys/${String(issued.body['id'])}`), { token });
    assert.equal(revoked.status, 204);
    const [revoke] = await auditEvents(stack, { action: 'api-key.revoke', objectId: String(issued.body['id']) });
    assert.equal(revoke?.before?.['revokedAt'], null);
    assert.equal(typeof revoke?.after?.['revokedAt'], 'string');

    assert.equal((await request('DELETE', admin('/v1/sessions/current'), { token })).status, 204);
    assert.equal((await request('GET', admin(`/v1/agencies/${a.id}`), { token })).status, 401);
    const actions = (await auditEvents(stack, { actor: account.id })).map((e) => `${e.action}:${e.outcome}`);
    assert.deepEqual(actions.slice(0, 3), ['session.sign-out:success', 'api-key.revoke:success', 'api-key.issue:success']);
    assert.ok(actions.includes('session.sign-in:success'));
  });

  it('locks an account after consecutive failures, refuses even the right password with the same 401, then lets it in', async () => {
    const account = await createAccount(stack, { role: 'platform-operator' });
    const attempt = (password: string) => request('POST', admin('/v1/sessions'), { body: { email: account.email, password } });
    const unknown = await request('POST', admin('/v1/sessions'), { body: { email: 'nobody@example.org', password: 'whatever-it-is' } });
    assert.equal(unknown.status, 401);

    const threshold = Number(FAST_ADMIN_ENV.ADMIN_LOCKOUT_THRESHOLD);
    for (let i = 0; i < threshold; i += 1) {
      const wrong = await attempt('not the password at all');
      assert.equal(wrong.status, 401);
      assert.deepEqual(
        { ...wrong.body, instance: null },
        { ...unknown.body, instance: null },
        'a wrong password looks like an unknown email',
      );
    }
    const locked = await attempt(account.password);
    assert.equal(locked.status, 401, 'the right password is refused while locked');
    assert.deepEqual(locked.body, unknown.body, 'and the refusal reveals nothing');

    const trail = await auditEvents(stack, { objectId: account.id });
    const reasons = trail.filter((e) => e.action === 'session.sign-in').map((e) => e.reason);
    assert.deepEqual(reasons.slice(0, threshold + 1), ['locked', ...Array<string>(threshold).fill('bad-password')]);
    assert.ok(
      trail.some((e) => e.action === 'operator-account.lock'),
      'the lock itself is audited',
    );
    const [anon] = await auditEvents(stack, { action: 'session.sign-in', objectType: 'operator-account' }).then((all) =>
      all.filter((e) => e.reason === 'unknown-email'),
    );
    assert.equal(anon?.actor.kind, 'anonymous');
    assert.equal(anon?.after?.['email'], 'nobody@example.org');

    // The lock ends by itself after ADMIN_LOCKOUT_MS; the right password then works again.
    const token = await expectEventually(async () => {
      const res = await attempt(account.password);
      assert.equal(res.status, 201);
      return String(res.body['token']);
    });
    assert.equal((await request('GET', admin('/v1/operators'), { token })).status, 200);
  });

  it('counts concurrent wrong passwords atomically: one lock, never extended by guesses that land while locked', async () => {
    const account = await createAccount(stack, { role: 'platform-operator' });
    const threshold = Number(FAST_ADMIN_ENV.ADMIN_LOCKOUT_THRESHOLD);
    const guesses = await Promise.all(
      Array.from({ length: threshold * 2 }, () =>
        request('POST', admin('/v1/sessions'), { body: { email: account.email, password: 'a concurrent wrong guess' } }),
      ),
    );
    assert.deepEqual(
      guesses.map((g) => g.status),
      Array<number>(threshold * 2).fill(401),
    );
    const locks = await auditEvents(stack, { action: 'operator-account.lock', objectId: account.id });
    assert.equal(locks.length, 1, 'exactly one lock, however the guesses interleaved');
    const refused = await request('POST', admin('/v1/sessions'), { body: { email: account.email, password: account.password } });
    assert.equal(refused.status, 401, 'and the account is locked');
  });

  it('lets an agency administrator create administrators for its own agency only', async () => {
    const lead = await createAccount(stack, { role: 'agency-admin', agencyId: a.id });
    const token = await signIn(stack, lead);
    const body = (over: Record<string, unknown>) => ({
      email: `x-${Math.random().toString(36).slice(2)}@example.org`,
      displayName: 'Deputy',
      password: 'a sufficiently long one',
      role: 'agency-admin',
      agencyId: a.id,
      ...over,
    });
    assert.equal((await request('POST', admin('/v1/operators'), { token, body: body({}) })).status, 201);
    const foreign = await request('POST', admin('/v1/operators'), { token, body: body({ agencyId: b.id }) });
    const missing = await request('POST', admin('/v1/operators'), {
      token,
      body: body({ agencyId: '00000000-0000-4000-8000-000000000000' }),
    });
    assert.equal(foreign.status, 400);
    assert.deepEqual({ ...foreign.body, instance: null }, { ...missing.body, instance: null }, 'another agency reads as no agency');
    assert.equal(
      (await request('POST', admin('/v1/operators'), { token, body: body({ role: 'platform-operator', agencyId: undefined }) })).status,
      403,
    );

    const listed = await request('GET', admin('/v1/operators?limit=200'), { token });
    const agencies = new Set((listed.body['items'] as { agencyId: string }[]).map((i) => i.agencyId));
    assert.deepEqual([...agencies], [a.id], 'it lists only its own agency’s administrators');
  });

  it('disables an account: its sessions stop at once, it cannot sign in, and the change is audited with before/after', async () => {
    const account = await createAccount(stack, { role: 'agency-admin', agencyId: b.id });
    const token = await signIn(stack, account);
    const disabled = await request('POST', admin(`/v1/operators/${account.id}/disable`), { token: stack.adminToken });
    assert.equal(disabled.status, 200, disabled.text);
    assert.equal(typeof disabled.body['disabledAt'], 'string');
    assert.equal((await request('GET', admin(`/v1/agencies/${b.id}`), { token })).status, 401);
    assert.equal(
      (await request('POST', admin('/v1/sessions'), { body: { email: account.email, password: account.password } })).status,
      401,
    );
    const [change] = await auditEvents(stack, { action: 'operator-account.disable', objectId: account.id });
    assert.equal(change?.before?.['disabledAt'], null);
    assert.equal(change?.after?.['revokedSessions'], 1);
    assert.equal(change?.actor.kind, 'bootstrap-token');
    assert.ok(!JSON.stringify(change).match(/password|salt|hash/i), 'no password material is audited');
  });

  it('shows an agency administrator only its agency’s audit rows, newest first, in keyset pages', async () => {
    const lead = await createAccount(stack, { role: 'agency-admin', agencyId: a.id });
    const token = await signIn(stack, lead);
    for (let i = 0; i < 3; i += 1) {
      const res = await request('POST', admin(`/v1/agencies/${a.id}/api-keys`), { token, body: { label: `k${i}`, scopes: ['consume'] } });
      assert.equal(res.status, 201);
    }
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const query: Record<string, string> = { limit: '2', ...(after === null ? {} : { after }) };
      const page = await request('GET', admin(`/v1/audit-events?${new URLSearchParams(query).toString()}`), { token });
      assert.equal(page.status, 200, page.text);
      for (const item of page.body['items'] as { id: string; agencyId: string }[]) {
        assert.equal(item.agencyId, a.id, 'only rows scoped to its own agency');
        seen.push(item.id);
      }
      after = page.body['next'] as string | null;
    } while (after !== null);
    assert.ok(seen.length >= 4);
    assert.deepEqual(
      seen,
      [...seen].sort((x, y) => Number(BigInt(y) - BigInt(x))),
      'newest first, no duplicates across pages',
    );
    assert.equal(new Set(seen).size, seen.length);
    const other = await request('GET', admin(`/v1/audit-events?agencyId=${b.id}`), { token });
    assert.deepEqual(other.body['items'], [], 'asking for another agency’s scope yields nothing');
  });

  it('writes the audit row in the change’s transaction: a refused change leaves no change row, only the refusal', async () => {
    const first = await request('POST', admin(`/v1/agencies/${a.id}/sharing-agreements`), {
      token: stack.adminToken,
      body: { granteeAgencyId: b.id, purpose: 'joint investigations' },
      headers: { 'x-request-id': 'dup-agreement-1' },
    });
    assert.equal(first.status, 201, first.text);
    const second = await request('POST', admin(`/v1/agencies/${a.id}/sharing-agreements`), {
      token: stack.adminToken,
      body: { granteeAgencyId: b.id, purpose: 'again' },
      headers: { 'x-request-id': 'dup-agreement-2' },
    });
    assert.equal(second.status, 409);
    assert.equal(second.headers.get('x-request-id'), 'dup-agreement-2');
    const rows = (await auditEvents(stack)).filter((e) => e.requestId === 'dup-agreement-2');
    assert.deepEqual(
      rows.map((e) => `${e.action}:${e.outcome}`),
      ['request.refused:failure'],
    );
    const creates = await auditEvents(stack, { action: 'sharing-agreement.create', agencyId: a.id });
    assert.equal(creates.length, 1);
    assert.equal(creates[0]?.requestId, 'dup-agreement-1');
  });
});
