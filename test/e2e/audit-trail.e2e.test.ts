import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { auditEvents, createAgency, issueKey, request, startStack, type TestAgency, type TestStack } from '@liaison/testing';

interface Verification {
  intact: boolean;
  rows: number;
  lastId?: string | null;
  lastHash?: string;
  firstBrokenId?: string;
  problem?: string;
}

describe('audit trail: subscription changes audited, hash chain verified by operators (admin over real Postgres)', () => {
  let stack: TestStack;
  let agency: TestAgency;
  let manageKey: string;

  const subscriptions = (path = ''): string => `${stack.url('admin')}/v1/agencies/${agency.id}/subscriptions${path}`;
  const verify = async (token = stack.adminToken): Promise<{ status: number; body: Verification }> => {
    const res = await request('POST', `${stack.url('admin')}/v1/audit-events/verify`, { token });
    return { status: res.status, body: res.body as unknown as Verification };
  };

  before(async () => {
    stack = await startStack('audit', ['admin']);
    agency = await createAgency(stack, 'Audited Receiver');
    manageKey = await issueKey(stack, agency, ['manage']);
  });

  after(async () => {
    await stack?.stop();
  });

  it('writes an audit row for create, rotate-secret, disable, enable and replay, without the secret', async () => {
    const created = await request('POST', subscriptions(), {
      token: manageKey,
      body: { channel: 'webhook', label: 'CAD bridge', url: 'http://127.0.0.1:9/liaison' },
    });
    assert.equal(created.status, 201, created.text);
    const id = String(created.body['id']);
    const secrets = [String(created.body['secret'])];
    const rotated = await request('POST', subscriptions(`/${id}/rotate-secret`), { token: manageKey });
    assert.equal(rotated.status, 200, rotated.text);
    secrets.push(String(rotated.body['secret']));
    assert.equal((await request('POST', subscriptions(`/${id}/disable`), { token: manageKey })).status, 200);
    assert.equal((await request('POST', subscriptions(`/${id}/enable`), { token: stack.adminToken })).status, 200);
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const replayed = await request('POST', subscriptions(`/${id}/replay`), { token: manageKey, body: { from, to } });
    assert.equal(replayed.status, 202, replayed.text);

    const rows = (await auditEvents(stack, { objectType: 'subscription', objectId: id })).reverse();
    assert.deepEqual(
      rows.map((r) => r.action),
      ['subscription.create', 'subscription.rotate-secret', 'subscription.disable', 'subscription.enable', 'subscription.replay'],
    );
    for (const row of rows) {
      assert.equal(row.agencyId, agency.id, `${row.action} is scoped to the receiving agency`);
      assert.equal(row.outcome, 'success');
      for (const secret of secrets)
        assert.ok(!JSON.stringify(row).includes(secret.slice('whsec_'.length)), `${row.action} holds no secret`);
    }
    const [create, rotate, disable, enable, replay] = rows;
    assert.equal(create?.actor.kind, 'api-key');
    assert.equal(create?.after?.['url'], 'http://127.0.0.1:9/liaison');
    assert.equal(rotate?.before?.['rotationEndsAt'], null);
    assert.notEqual(rotate?.after?.['rotationEndsAt'], null);
    assert.deepEqual([disable?.before?.['status'], disable?.after?.['status']], ['active', 'disabled']);
    assert.deepEqual([enable?.before?.['status'], enable?.after?.['status']], ['disabled', 'active']);
    assert.equal(enable?.actor.kind, 'bootstrap-token');
    assert.deepEqual(replay?.after, { from, to, queued: 0 });
    // The agency's own administrator sees them too: they are scoped to its agency.
    const own = await auditEvents(stack, { objectId: id }, manageKey);
    assert.equal(own.length, 5);
  });

  it('a refused change writes no change row, only the refusal', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const res = await request('POST', subscriptions(`/${unknown}/disable`), { token: manageKey });
    assert.equal(res.status, 404);
    assert.deepEqual(await auditEvents(stack, { objectType: 'subscription', objectId: unknown }), []);
  });

  it('verifies the chain for operators only, and names the row a superuser edited directly', async () => {
    assert.equal((await verify(manageKey)).status, 403, 'an agency administrator may not verify the platform chain');
    const intact = await verify();
    assert.equal(intact.status, 200);
    assert.equal(intact.body.intact, true, JSON.stringify(intact.body));
    assert.ok(intact.body.rows >= 6);
    assert.match(intact.body.lastHash ?? '', /^[0-9a-f]{64}$/);

    // An intruder with full database access rewrites history: the disable never happened.
    const [disable] = await auditEvents(stack, { action: 'subscription.disable' });
    assert.ok(disable !== undefined);
    const db = new Client({ connectionString: stack.database.url });
    await db.connect();
    try {
      assert.equal(
        await db.query(`UPDATE audit_log SET outcome = 'failure' WHERE id = $1`, [disable.id]).then(
          () => 'updated',
          (error: { code?: string }) => error.code,
        ),
        '42501',
        'even a superuser is refused while the append-only trigger is on',
      );
      await db.query('SET session_replication_role = replica');
      await db.query(`UPDATE audit_log SET outcome = 'failure', reason = 'endpoint down' WHERE id = $1`, [disable.id]);
    } finally {
      await db.end();
    }
    const broken = await verify();
    assert.equal(broken.status, 200);
    assert.deepEqual(
      { intact: broken.body.intact, firstBrokenId: broken.body.firstBrokenId, problem: broken.body.problem },
      { intact: false, firstBrokenId: disable.id, problem: 'content' },
    );
    // Each check is itself on the record, with what it found.
    const checks = await auditEvents(stack, { action: 'audit.verify' });
    assert.equal(checks[0]?.after?.['firstBrokenId'], disable.id);
  });
});
