/**
 * Explain and simulate over the running services: events published over HTTP and routed by the
 * real router (which records them in `routed_event`), then explained and simulated by the admin
 * API against the policies in Postgres.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import {
  createAgency,
  exampleEvent,
  expectEventually,
  issueKey,
  request,
  startStack,
  type TestAgency,
  type TestStack,
} from '@liaison/testing';

const INCIDENT = 'gov.liaison.incident.reported.v1';

interface Explanation {
  recipientAgencyId: string;
  share: boolean;
  reasons: string[];
  policyIds: string[];
  fieldRules: { redact: string[]; coarsenLocationDegrees: number | null; dropNarrative: boolean } | null;
  copy: Record<string, unknown> | null;
}

interface Simulation {
  eventsEvaluated: number;
  partners: { recipientAgencyId: string; gained: string[]; lost: string[]; fieldRulesChanged: string[] }[];
}

describe('explain and simulate, end to end (HTTP → Kafka → router → routed_event → admin)', () => {
  let stack: TestStack;
  let owner: TestAgency;
  let partner: TestAgency;
  let newcomer: TestAgency;
  let other: TestAgency;
  let publishKey: string;
  let partnerPolicyId: string;
  let otherPolicyId: string;
  let db: Client;
  const published: string[] = [];
  const admin = (path: string) => `${stack.url('admin')}${path}`;

  async function policy(grantor: TestAgency, grantee: TestAgency, body: Record<string, unknown>): Promise<string> {
    const res = await request('POST', admin(`/v1/agencies/${grantor.id}/policies`), {
      token: stack.adminToken,
      body: { granteeAgencyId: grantee.id, purpose: 'test: joint violent-crime task force', maxTlp: 'AMBER', ...body },
    });
    assert.equal(res.status, 201, res.text);
    const id = String(res.body['id']);
    await expectEventually(async () => {
      const status = await request('GET', `${stack.url('router')}/config/status?key=${encodeURIComponent(`policy:${id}`)}`);
      assert.ok(status.body['key'] !== null && status.body['key'] !== undefined, `router has not applied policy ${id}`);
    });
    return id;
  }

  const explain = (agencyId: string, body: Record<string, unknown>) =>
    request('POST', admin(`/v1/agencies/${agencyId}/explain`), { token: stack.adminToken, body });
  const simulate = (agencyId: string, body: Record<string, unknown>) =>
    request('POST', admin(`/v1/agencies/${agencyId}/policies/simulate`), { token: stack.adminToken, body });

  /** Rows a real change would have written: policy versions, outbox records, audit rows of policy changes. */
  async function writtenRows(): Promise<number[]> {
    const counts: number[] = [];
    for (const sql of [
      'SELECT count(*)::int AS n FROM sharing_policy',
      'SELECT count(*)::int AS n FROM outbox',
      `SELECT count(*)::int AS n FROM audit_log WHERE action LIKE 'policy.%'`,
    ]) {
      counts.push(((await db.query<{ n: number }>(sql)).rows[0] as { n: number }).n);
    }
    return counts;
  }

  /** Events routed in one batch share a routed_at, so their relative order is not asserted. */
  const sorted = (s: Simulation) =>
    s.partners.map((p) => ({
      ...p,
      gained: [...p.gained].sort(),
      lost: [...p.lost].sort(),
      fieldRulesChanged: [...p.fieldRulesChanged].sort(),
    }));

  before(async () => {
    stack = await startStack('explain-simulate', ['admin', 'router', 'gateway']);
    owner = await createAgency(stack, 'Owner PD');
    partner = await createAgency(stack, 'Partner with a policy', 'county');
    newcomer = await createAgency(stack, 'Partner without a policy', 'state');
    other = await createAgency(stack, 'Another agency');
    publishKey = await issueKey(stack, owner, ['publish']);
    partnerPolicyId = await policy(owner, partner, { fieldRules: { redact: ['/caseNumber'], dropNarrative: true } });
    otherPolicyId = await policy(other, owner, {});
    db = new Client({ connectionString: stack.database.url });
    await db.connect();
    // One at a time, each routed before the next is posted: events routed in one batch share a
    // routed_at (and arrive on different partitions), so only separate batches give "newest first"
    // an order the revoke case below can assert.
    for (let i = 0; i < 3; i += 1) {
      const event = exampleEvent(INCIDENT, { tlp: 'AMBER' });
      const res = await request('POST', `${stack.url('gateway')}/v1/events`, { token: publishKey, body: event });
      assert.equal(res.status, 202, res.text);
      published.push(String(event['id']));
      // The router records each routed event with the ledger, before committing its offsets.
      await expectEventually(async () => {
        const rows = await db.query<{ event_id: string }>('SELECT event_id FROM routed_event WHERE owner_agency_id = $1', [owner.id]);
        assert.deepEqual(rows.rows.map((r) => r.event_id).sort(), [...published].sort());
      });
    }
  });

  after(async () => {
    await db?.end();
    await stack?.stop();
  });

  it('explains a posted event: shared with its cut copy for the partner, denied with no-policy for another', async () => {
    const event = exampleEvent(INCIDENT, { tlp: 'AMBER' });
    const shared = await explain(owner.id, { event, recipientAgencyId: partner.id });
    assert.equal(shared.status, 200, shared.text);
    const yes = shared.body as unknown as Explanation;
    assert.equal(yes.share, true);
    assert.deepEqual(yes.reasons, ['shared-under-policy']);
    assert.deepEqual(yes.policyIds, [partnerPolicyId]);
    assert.deepEqual(yes.fieldRules, { redact: ['/caseNumber'], coarsenLocationDegrees: null, dropNarrative: true });
    const data = event['data'] as Record<string, unknown>;
    const kept = Object.fromEntries(Object.entries(data).filter(([k]) => k !== 'caseNumber' && k !== 'narrative'));
    assert.deepEqual(yes.copy, kept, 'the copy is the payload without the redacted members');

    const denied = await explain(owner.id, { event, recipientAgencyId: newcomer.id });
    assert.equal(denied.status, 200, denied.text);
    const no = denied.body as unknown as Explanation;
    assert.equal(no.share, false);
    assert.deepEqual(no.reasons, ['no-policy']);
    assert.equal(no.copy, null);
    assert.equal(no.fieldRules, null);
  });

  it('explains a routed event by its id, from what the router recorded', async () => {
    const res = await explain(owner.id, { eventId: published[0], recipientAgencyId: partner.id });
    assert.equal(res.status, 200, res.text);
    const e = res.body as unknown as Explanation;
    assert.equal(e.share, true);
    assert.deepEqual(e.policyIds, [partnerPolicyId]);
    assert.equal(e.copy?.['caseNumber'], undefined);
    assert.equal(typeof e.copy?.['incidentType'], 'string');
  });

  it('simulates a new policy (the partner gains the recent events) and a revoke (the partner loses them), saving nothing', async () => {
    const before = await writtenRows();
    const created = await simulate(owner.id, {
      change: { kind: 'create', policy: { granteeAgencyId: newcomer.id, maxTlp: 'AMBER', purpose: 'test: proposed task force' } },
    });
    assert.equal(created.status, 200, created.text);
    const gain = created.body as unknown as Simulation;
    assert.equal(gain.eventsEvaluated, 3);
    assert.deepEqual(sorted(gain), [{ recipientAgencyId: newcomer.id, gained: [...published].sort(), lost: [], fieldRulesChanged: [] }]);

    const revoked = await simulate(owner.id, { change: { kind: 'revoke', policyId: partnerPolicyId }, limit: 2 });
    assert.equal(revoked.status, 200, revoked.text);
    const loss = revoked.body as unknown as Simulation;
    assert.equal(loss.eventsEvaluated, 2);
    assert.deepEqual(loss.partners, [
      { recipientAgencyId: partner.id, gained: [], lost: [published[2], published[1]], fieldRulesChanged: [] },
    ]);

    const updated = await simulate(owner.id, {
      change: {
        kind: 'update',
        policyId: partnerPolicyId,
        policy: { granteeAgencyId: partner.id, maxTlp: 'AMBER', purpose: 'test: keep all' },
      },
    });
    assert.equal(updated.status, 200, updated.text);
    assert.deepEqual(sorted(updated.body as unknown as Simulation), [
      { recipientAgencyId: partner.id, gained: [], lost: [], fieldRulesChanged: [...published].sort() },
    ]);

    assert.deepEqual(await writtenRows(), before, 'no policy version, outbox record or audit change was written');
    const still = await explain(owner.id, { eventId: published[0], recipientAgencyId: newcomer.id });
    assert.equal((still.body as unknown as Explanation).share, false, 'the simulated policy is not in force');
  });

  it('answers 404 for another agency’s event or policy, and for an agency the key does not own', async () => {
    assert.equal((await explain(owner.id, { eventId: 'no-such-event', recipientAgencyId: partner.id })).status, 404);
    assert.equal((await explain(other.id, { eventId: published[0], recipientAgencyId: partner.id })).status, 404);
    assert.equal((await simulate(owner.id, { change: { kind: 'revoke', policyId: otherPolicyId } })).status, 404);
    const ownerAdmin = await issueKey(stack, owner, ['manage']);
    const foreign = await request('POST', admin(`/v1/agencies/${other.id}/explain`), {
      token: ownerAdmin,
      body: { eventId: published[0], recipientAgencyId: partner.id },
    });
    assert.equal(foreign.status, 404, foreign.text);
  });

  it('answers 400 naming the field for a bad body', async () => {
    const pointers = (res: { body: Record<string, unknown> }) =>
      ((res.body['errors'] ?? []) as { pointer: string }[]).map((e) => e.pointer);
    const badEvent = await explain(owner.id, { event: exampleEvent(INCIDENT, { tlp: 'PURPLE' }), recipientAgencyId: partner.id });
    assert.equal(badEvent.status, 400, badEvent.text);
    assert.ok(pointers(badEvent).includes('/event/tlp'), badEvent.text);
    const unknownField = await explain(owner.id, { eventId: published[0], recipientAgencyId: partner.id, extra: 1 });
    assert.equal(unknownField.status, 400, unknownField.text);
    const badPolicy = await simulate(owner.id, {
      change: { kind: 'create', policy: { granteeAgencyId: newcomer.id, maxTlp: 'AMBER', purpose: 'x', feeds: ['nope'] } },
    });
    assert.equal(badPolicy.status, 400, badPolicy.text);
    assert.ok(pointers(badPolicy).includes('/change/policy/feeds/0'), badPolicy.text);
    const badLimit = await simulate(owner.id, { change: { kind: 'revoke', policyId: partnerPolicyId }, limit: 5000 });
    assert.equal(badLimit.status, 400, badLimit.text);
    assert.ok(pointers(badLimit).includes('/limit'), badLimit.text);
  });
});
