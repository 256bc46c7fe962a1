import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { topicNames } from '@liaison/contracts';
import {
  auditEvents,
  createAgency,
  exampleEvent,
  expectEventually,
  issueKey,
  recordCount,
  request,
  startStack,
  testKafka,
  type HttpResult,
  type TestAgency,
  type TestStack,
} from '@liaison/testing';

const INCIDENT = 'gov.liaison.incident.reported.v1';
const PURPOSE = 'test: regional robbery series, need-to-know';

interface Problem {
  pointer: string;
  detail: string;
}

function pointers(res: HttpResult): string[] {
  return ((res.body['errors'] as Problem[] | undefined) ?? []).map((e) => e.pointer);
}

/** Figures printed at the end: admin 2xx → router snapshot holds the change. */
const propagation: { change: string; afterResponseMs: number; afterRequestMs: number }[] = [];

describe('tenancy, sharing policies and live propagation to the router (HTTP + Kafka + Postgres)', () => {
  let stack: TestStack;
  let a: TestAgency;
  let b: TestAgency;
  let c: TestAgency;
  let aAdmin: string;
  let bAdmin: string;
  let aPublish: string;
  const kafka = () => testKafka(stack.brokers);
  const topics = () => topicNames(stack.namespace);
  const admin = (path: string) => `${stack.url('admin')}${path}`;

  /** Sends an admin change and waits until the router's snapshot holds what it produced; records the delay. */
  async function change(
    label: string,
    key: (res: HttpResult) => string,
    send: () => Promise<HttpResult>,
    expectedStatus: number,
  ): Promise<HttpResult> {
    const requested = Date.now();
    const res = await send();
    const responded = Date.now();
    assert.equal(res.status, expectedStatus, res.text);
    const applied = await expectEventually(
      async () => {
        const status = await request('GET', `${stack.url('router')}/config/status?key=${encodeURIComponent(key(res))}`);
        const held = status.body['key'] as { appliedAt: number } | null;
        assert.ok(held !== null && held.appliedAt >= requested, `router has not applied ${key(res)} yet`);
        return held.appliedAt;
      },
      { intervalMs: 5 },
    );
    propagation.push({ change: label, afterResponseMs: applied - responded, afterRequestMs: applied - requested });
    return res;
  }

  async function publish(key: string, overrides: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const event = exampleEvent(INCIDENT, overrides);
    const res = await request('POST', `${stack.url('gateway')}/v1/events`, { token: key, body: event });
    assert.equal(res.status, 202, res.text);
    return event;
  }

  /** The owner's ledger for one event, once the router has decided about (at least) every active candidate: recipient id → decision. */
  async function decisions(owner: TestAgency, eventId: unknown, candidates: number): Promise<Map<string, string>> {
    return expectEventually(async () => {
      const res = await request('GET', admin(`/v1/agencies/${owner.id}/events/${String(eventId)}/disseminations`), {
        token: stack.adminToken,
      });
      assert.equal(res.status, 200, res.text);
      const items = res.body['items'] as { recipientAgencyId: string; decision: string }[];
      assert.ok(items.length >= candidates, res.text);
      return new Map(items.map((i) => [i.recipientAgencyId, i.decision]));
    });
  }

  before(async () => {
    stack = await startStack('policies', ['admin', 'router', 'gateway']);
    a = await createAgency(stack, 'Agency A (grantor)');
    b = await createAgency(stack, 'Agency B (partner)', 'county');
    c = await createAgency(stack, 'Agency C (task force member)', 'state');
    aAdmin = await issueKey(stack, a, ['manage']);
    bAdmin = await issueKey(stack, b, ['manage']);
    aPublish = await issueKey(stack, a, ['publish']);
  });

  after(async () => {
    await stack?.stop();
    if (propagation.length > 0) {
      console.log('propagation, admin change → router snapshot (ms):');
      for (const p of propagation)
        console.log(`  ${p.change.padEnd(34)} after 2xx ${p.afterResponseMs}  after request ${p.afterRequestMs}`);
      const sorted = propagation.map((p) => p.afterRequestMs).sort((x, y) => x - y);
      console.log(`  n=${sorted.length} median ${sorted[Math.floor(sorted.length / 2)]} max ${sorted[sorted.length - 1]}`);
    }
  });

  it('agency facts: created and changed by operators, suspension and reinstatement are explicit', async () => {
    const created = await request('POST', admin('/v1/agencies'), {
      token: stack.adminToken,
      body: {
        ori: 'ZZ7000001',
        name: 'Facts PD',
        kind: 'local',
        jurisdiction: '48201',
        lawEnforcement: false,
        acceptsStatuses: ['Exercise'],
      },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body['jurisdiction'], '48201');
    assert.equal(created.body['lawEnforcement'], false);
    assert.deepEqual(created.body['acceptsStatuses'], ['Exercise']);
    const id = String(created.body['id']);

    const bad = await request('PATCH', admin(`/v1/agencies/${id}`), {
      token: stack.adminToken,
      body: { acceptsStatuses: ['Actual'], lawEnforcement: 'yes', ori: 'ZZ7000002' },
    });
    assert.equal(bad.status, 400, bad.text);
    assert.deepEqual(pointers(bad).sort(), ['/acceptsStatuses', '/lawEnforcement', '/ori']);

    const patched = await request('PATCH', admin(`/v1/agencies/${id}`), {
      token: stack.adminToken,
      body: { jurisdiction: null, lawEnforcement: true },
    });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body['jurisdiction'], null);
    assert.equal(patched.body['lawEnforcement'], true);
    assert.deepEqual(patched.body['acceptsStatuses'], ['Exercise']);

    // An agency administrator can read its agency but not change its facts or status.
    const own = await request('PATCH', admin(`/v1/agencies/${a.id}`), { token: aAdmin, body: { lawEnforcement: true } });
    assert.equal(own.status, 403, own.text);
    assert.equal((await request('POST', admin(`/v1/agencies/${a.id}/suspend`), { token: aAdmin })).status, 403);
    assert.equal((await request('POST', admin(`/v1/agencies/${b.id}/suspend`), { token: aAdmin })).status, 404);

    const suspended = await request('POST', admin(`/v1/agencies/${id}/suspend`), { token: stack.adminToken });
    assert.equal(suspended.status, 200, suspended.text);
    assert.equal(suspended.body['status'], 'suspended');
    assert.match(String(suspended.body['suspendedAt']), /^\d{4}-/);
    const reinstated = await request('POST', admin(`/v1/agencies/${id}/reinstate`), { token: stack.adminToken });
    assert.equal(reinstated.body['status'], 'active');
    assert.equal(reinstated.body['suspendedAt'], null);
    assert.equal((await request('POST', admin(`/v1/agencies/${crypto.randomUUID()}/suspend`), { token: stack.adminToken })).status, 404);
  });

  it('feeds: CRUD by the agency administrator, keyset pages, field-level errors, another tenant gets 404', async () => {
    const base = admin(`/v1/agencies/${a.id}/feeds`);
    const cad = await request('POST', base, {
      token: aAdmin,
      body: { name: 'cad', eventTypes: [INCIDENT], defaultTlp: 'GREEN', retentionDays: 365 },
    });
    assert.equal(cad.status, 201, cad.text);
    const alpr = await request('POST', base, {
      token: aAdmin,
      body: {
        name: 'alpr',
        eventTypes: ['gov.liaison.sensor.alpr-hit.v1'],
        defaultTlp: 'AMBER',
        retentionDays: 90,
        description: 'plate reads',
      },
    });
    assert.equal(alpr.status, 201, alpr.text);

    const duplicate = await request('POST', base, {
      token: aAdmin,
      body: { name: 'cad', eventTypes: [INCIDENT], defaultTlp: 'GREEN', retentionDays: 1 },
    });
    assert.equal(duplicate.status, 409, duplicate.text);
    assert.deepEqual(pointers(duplicate), ['/name']);

    const invalid = await request('POST', base, {
      token: aAdmin,
      body: { name: '-bad', eventTypes: ['gov.liaison.nope.v1'], defaultTlp: 'PURPLE', retentionDays: 0, colour: 'red' },
    });
    assert.equal(invalid.status, 400, invalid.text);
    assert.deepEqual([...new Set(pointers(invalid))].sort(), ['/colour', '/defaultTlp', '/eventTypes', '/name', '/retentionDays']);

    const page1 = await request('GET', `${base}?limit=1`, { token: aAdmin });
    assert.equal(page1.status, 200, page1.text);
    assert.deepEqual(
      (page1.body['items'] as { name: string }[]).map((f) => f.name),
      ['alpr'],
    );
    assert.equal(page1.body['next'], 'alpr');
    const page2 = await request('GET', `${base}?limit=1&after=alpr`, { token: aAdmin });
    assert.deepEqual(
      (page2.body['items'] as { name: string }[]).map((f) => f.name),
      ['cad'],
    );
    assert.equal(page2.body['next'], null);

    const alprId = String(alpr.body['id']);
    const patched = await request('PATCH', `${base}/${alprId}`, { token: aAdmin, body: { retentionDays: 30, description: null } });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body['retentionDays'], 30);
    assert.equal(patched.body['description'], null);

    // Tenant isolation: B's administrator sees none of it, through either agency's path.
    for (const [method, url] of [
      ['GET', base],
      ['GET', `${base}/${alprId}`],
      ['PATCH', `${base}/${alprId}`],
      ['DELETE', `${base}/${alprId}`],
      ['GET', admin(`/v1/agencies/${b.id}/feeds/${alprId}`)],
    ] as const) {
      const res = await request(method, url, { token: bAdmin, body: method === 'PATCH' ? { retentionDays: 1 } : undefined });
      assert.equal(res.status, 404, `${method} ${url}: ${res.text}`);
    }

    assert.equal((await request('DELETE', `${base}/${alprId}`, { token: aAdmin })).status, 204);
    assert.equal((await request('GET', `${base}/${alprId}`, { token: aAdmin })).status, 404);
  });

  it('policies: create, list, get, update as a new version, revoke; every invalid member named', async () => {
    const base = admin(`/v1/agencies/${a.id}/policies`);
    const invalid = await request('POST', base, {
      token: aAdmin,
      body: {
        granteeAgencyId: b.id,
        granteeGroupId: crypto.randomUUID(),
        maxTlp: 'PURPLE',
        purpose: '   ',
        eventTypes: ['gov.liaison.nope.v1'],
        fieldRules: { redact: ['/narrative'], blur: true },
        extra: 1,
      },
    });
    assert.equal(invalid.status, 400, invalid.text);
    assert.deepEqual([...new Set(pointers(invalid))].sort(), ['/eventTypes', '/extra', '/fieldRules/blur', '/maxTlp', '/purpose']);

    const cases: [Record<string, unknown>, string[]][] = [
      [{ granteeAgencyId: b.id, granteeGroupId: crypto.randomUUID() }, ['/granteeGroupId']],
      [{}, ['/granteeAgencyId']],
      [{ granteeAgencyId: a.id }, ['/granteeAgencyId']],
      [{ granteeAgencyId: crypto.randomUUID() }, ['/granteeAgencyId']],
      [{ granteeGroupId: crypto.randomUUID() }, ['/granteeGroupId']],
      [{ granteeAgencyId: b.id, feeds: ['no-such-feed'] }, ['/feeds/0']],
      [{ granteeAgencyId: b.id, geoScope: { kind: 'bbox', west: -95.8, south: 30.1, east: -95.0, north: 29.5 } }, ['/geoScope/north']],
      [{ granteeAgencyId: b.id, geoScope: { kind: 'bbox', west: -195, south: 29, east: -95, north: 30 } }, ['/geoScope/west']],
      [
        {
          granteeAgencyId: b.id,
          geoScope: {
            kind: 'polygon',
            ring: [
              [-95.8, 29.5],
              [-95.0, 29.5],
              [-95.0, 30.1],
              [-95.8, 30.1],
            ],
          },
        },
        ['/geoScope/ring/3'],
      ],
      [
        {
          granteeAgencyId: b.id,
          geoScope: {
            kind: 'polygon',
            ring: [
              [0, 0],
              [1, 91],
              [1, 1],
              [0, 0],
            ],
          },
        },
        ['/geoScope/ring/1'],
      ],
      [{ granteeAgencyId: b.id, geoScope: { kind: 'circle' } }, ['/geoScope/kind']],
      [{ granteeAgencyId: b.id, fieldRules: { redact: ['narrative', '/ok', '/bad~2'] } }, ['/fieldRules/redact/0', '/fieldRules/redact/2']],
      [{ granteeAgencyId: b.id, fieldRules: { coarsenLocationDegrees: 0 } }, ['/fieldRules/coarsenLocationDegrees']],
      [{ granteeAgencyId: b.id, validFrom: '2027-01-01T00:00:00Z', validUntil: '2026-01-01T00:00:00Z' }, ['/validUntil']],
      [{ granteeAgencyId: b.id, validFrom: 'tomorrow' }, ['/validFrom']],
    ];
    for (const [body, expected] of cases) {
      const res = await request('POST', base, { token: aAdmin, body: { maxTlp: 'AMBER', purpose: PURPOSE, ...body } });
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
      assert.deepEqual([...new Set(pointers(res))].sort(), expected, `${JSON.stringify(body)}: ${res.text}`);
    }

    const created = await request('POST', base, {
      token: aAdmin,
      body: {
        granteeAgencyId: b.id,
        eventTypes: [INCIDENT],
        maxTlp: 'GREEN',
        purpose: PURPOSE,
        geoScope: { kind: 'bbox', west: -95.8, south: 29.5, east: -95.0, north: 30.1 },
        fieldRules: { redact: ['/involvedPersons/-/identifiers'], coarsenLocationDegrees: 0.01 },
        validUntil: '2099-01-01T00:00:00Z',
      },
    });
    assert.equal(created.status, 201, created.text);
    const id = String(created.body['id']);
    assert.equal(created.body['version'], 1);
    assert.deepEqual(created.body['grantee'], { kind: 'agency', agencyId: b.id });
    assert.deepEqual(created.body['fieldRules'], {
      redact: ['/involvedPersons/-/identifiers'],
      coarsenLocationDegrees: 0.01,
      dropNarrative: false,
    });
    assert.match(String(created.body['createdBy']), /^api-key:/);

    const updated = await request('PUT', `${base}/${id}`, {
      token: aAdmin,
      body: { granteeAgencyId: b.id, maxTlp: 'AMBER', purpose: PURPOSE },
    });
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.body['version'], 2);
    assert.equal(updated.body['geoScope'], null);
    const got = await request('GET', `${base}/${id}`, { token: aAdmin });
    assert.equal(got.body['version'], 2);
    const versions = await request('GET', `${base}/${id}/versions`, { token: aAdmin });
    assert.deepEqual(
      (versions.body['items'] as { version: number; maxTlp: string }[]).map((v) => [v.version, v.maxTlp]),
      [
        [1, 'GREEN'],
        [2, 'AMBER'],
      ],
    );
    // Each change left its audit row (written in the transaction that wrote the version and its outbox row).
    const trail = await auditEvents(stack, { objectType: 'sharing-policy', objectId: id });
    assert.deepEqual(
      trail.map((e) => [e.action, e.outcome, e.agencyId, (e.after as { version?: number } | null)?.version]),
      [
        ['policy.update', 'success', a.id, 2],
        ['policy.create', 'success', a.id, 1],
      ],
    );
    assert.equal((trail[0]?.before as { version?: number } | null)?.version, 1);

    // Tenant isolation: B's administrator cannot see, change or create A's policies.
    for (const [method, url, body] of [
      ['GET', base, undefined],
      ['GET', `${base}/${id}`, undefined],
      ['PUT', `${base}/${id}`, { granteeAgencyId: b.id, maxTlp: 'RED', purpose: PURPOSE }],
      ['DELETE', `${base}/${id}`, undefined],
      ['POST', base, { granteeAgencyId: b.id, maxTlp: 'RED', purpose: 'take everything' }],
      ['GET', admin(`/v1/agencies/${b.id}/policies/${id}`), undefined],
    ] as const) {
      const res = await request(method, url, { token: bAdmin, body });
      assert.equal(res.status, 404, `${method} ${url}: ${res.text}`);
    }

    const second = await request('POST', base, {
      token: stack.adminToken,
      body: { granteeAgencyId: c.id, maxTlp: 'CLEAR', purpose: PURPOSE },
    });
    assert.equal(second.status, 201, second.text);
    assert.equal(second.body['createdBy'], 'operator');
    const ids = [id, String(second.body['id'])].sort();
    const page1 = await request('GET', `${base}?limit=1`, { token: aAdmin });
    assert.deepEqual(
      (page1.body['items'] as { id: string }[]).map((p) => p.id),
      [ids[0]],
    );
    const page2 = await request('GET', `${base}?limit=1&after=${String(page1.body['next'])}`, { token: aAdmin });
    assert.deepEqual(
      (page2.body['items'] as { id: string }[]).map((p) => p.id),
      [ids[1]],
    );

    assert.equal((await request('DELETE', `${base}/${id}`, { token: aAdmin })).status, 204);
    assert.equal((await request('DELETE', `${base}/${id}`, { token: aAdmin })).status, 204);
    const afterRevoke = await request('GET', `${base}?limit=50`, { token: aAdmin });
    assert.ok(!(afterRevoke.body['items'] as { id: string }[]).some((p) => p.id === id));
    const withRevoked = await request('GET', `${base}?includeRevoked=true`, { token: aAdmin });
    assert.ok((withRevoked.body['items'] as { id: string; revokedAt: string | null }[]).some((p) => p.id === id && p.revokedAt !== null));
    const changeRevoked = await request('PUT', `${base}/${id}`, {
      token: aAdmin,
      body: { granteeAgencyId: b.id, maxTlp: 'AMBER', purpose: PURPOSE },
    });
    assert.equal(changeRevoked.status, 409, changeRevoked.text);
    assert.equal((await request('DELETE', `${base}/${String(second.body['id'])}`, { token: stack.adminToken })).status, 204);
  });

  it('sharing groups: operators manage them, members read their own, others get 404', async () => {
    const created = await request('POST', admin('/v1/sharing-groups'), {
      token: stack.adminToken,
      body: { name: `Task force ${crypto.randomUUID()}`, memberAgencyIds: [b.id] },
    });
    assert.equal(created.status, 201, created.text);
    const id = String(created.body['id']);
    assert.deepEqual(created.body['memberAgencyIds'], [b.id]);

    const unknownMember = await request('POST', admin('/v1/sharing-groups'), {
      token: stack.adminToken,
      body: { name: 'x', memberAgencyIds: [b.id, crypto.randomUUID()] },
    });
    assert.equal(unknownMember.status, 400, unknownMember.text);
    assert.deepEqual(pointers(unknownMember), ['/memberAgencyIds/1']);
    assert.equal((await request('POST', admin('/v1/sharing-groups'), { token: bAdmin, body: { name: 'mine' } })).status, 403);

    assert.equal((await request('GET', admin(`/v1/sharing-groups/${id}`), { token: bAdmin })).status, 200);
    assert.equal((await request('GET', admin(`/v1/sharing-groups/${id}`), { token: aAdmin })).status, 404);
    const aList = await request('GET', admin('/v1/sharing-groups'), { token: aAdmin });
    assert.ok(!(aList.body['items'] as { id: string }[]).some((g) => g.id === id));
    const bList = await request('GET', admin('/v1/sharing-groups'), { token: bAdmin });
    assert.ok((bList.body['items'] as { id: string }[]).some((g) => g.id === id));

    const added = await request('PUT', admin(`/v1/sharing-groups/${id}/members/${c.id}`), { token: stack.adminToken });
    assert.equal(added.status, 200, added.text);
    assert.deepEqual(added.body['memberAgencyIds'], [b.id, c.id].sort());
    assert.equal(
      (await request('PUT', admin(`/v1/sharing-groups/${id}/members/${crypto.randomUUID()}`), { token: stack.adminToken })).status,
      404,
    );
    const removed = await request('DELETE', admin(`/v1/sharing-groups/${id}/members/${c.id}`), { token: stack.adminToken });
    assert.deepEqual(removed.body['memberAgencyIds'], [b.id]);
    const renamed = await request('PATCH', admin(`/v1/sharing-groups/${id}`), {
      token: stack.adminToken,
      body: { description: 'renamed' },
    });
    assert.equal(renamed.body['description'], 'renamed');

    // A group a policy names stays (the record keeps pointing at it).
    const policy = await request('POST', admin(`/v1/agencies/${a.id}/policies`), {
      token: aAdmin,
      body: { granteeGroupId: id, maxTlp: 'AMBER', purpose: PURPOSE },
    });
    assert.equal(policy.status, 201, policy.text);
    assert.deepEqual(policy.body['grantee'], { kind: 'group', groupId: id });
    assert.equal((await request('DELETE', admin(`/v1/sharing-groups/${id}`), { token: stack.adminToken })).status, 409);
    assert.equal(
      (await request('DELETE', admin(`/v1/agencies/${a.id}/policies/${String(policy.body['id'])}`), { token: aAdmin })).status,
      204,
    );

    const empty = await request('POST', admin('/v1/sharing-groups'), {
      token: stack.adminToken,
      body: { name: `Empty ${crypto.randomUUID()}` },
    });
    assert.equal(
      (await request('DELETE', admin(`/v1/sharing-groups/${String(empty.body['id'])}`), { token: stack.adminToken })).status,
      204,
    );
  });

  it('a policy change takes effect in the running router without a restart', async () => {
    const recipients = async (event: Record<string, unknown>) => decisions(a, event['id'], await activeOthers(a));
    const before = await recordCount(kafka(), topics().delivery(b.id));

    const first = await publish(aPublish);
    assert.equal((await recipients(first)).get(b.id), 'denied');

    const granted = await change(
      'policy created (agency grantee)',
      (res) => `policy:${String(res.body['id'])}`,
      () =>
        request('POST', admin(`/v1/agencies/${a.id}/policies`), {
          token: aAdmin,
          body: { granteeAgencyId: b.id, maxTlp: 'AMBER', purpose: PURPOSE },
        }),
      201,
    );
    const second = await publish(aPublish);
    assert.equal((await recipients(second)).get(b.id), 'shared');
    // The router writes the ledger and produces the copy at once (both durable before its commit),
    // so the ledger may show the decision a moment before the copy is on the topic.
    await expectEventually(async () => assert.equal(await recordCount(kafka(), topics().delivery(b.id)), before + 1));

    const policyId = String(granted.body['id']);
    await change(
      'policy revoked',
      () => `policy:${policyId}`,
      () => request('DELETE', admin(`/v1/agencies/${a.id}/policies/${policyId}`), { token: aAdmin }),
      204,
    );
    const third = await publish(aPublish);
    assert.equal((await recipients(third)).get(b.id), 'denied');
    assert.equal(await recordCount(kafka(), topics().delivery(b.id)), before + 1);

    // Through a group: membership changes alone move the outcome.
    const group = await change(
      'group created',
      (res) => `group:${String(res.body['id'])}`,
      () =>
        request('POST', admin('/v1/sharing-groups'), {
          token: stack.adminToken,
          body: { name: `Live ${crypto.randomUUID()}`, memberAgencyIds: [c.id] },
        }),
      201,
    );
    const groupId = String(group.body['id']);
    await change(
      'policy created (group grantee)',
      (res) => `policy:${String(res.body['id'])}`,
      () =>
        request('POST', admin(`/v1/agencies/${a.id}/policies`), {
          token: aAdmin,
          body: { granteeGroupId: groupId, maxTlp: 'AMBER', purpose: PURPOSE },
        }),
      201,
    );
    // TLP:AMBER needs a policy granted to the recipient agency itself (the engine's rule), so the
    // group part publishes GREEN copies of the incident; the AMBER one still reaches no group member.
    const amber = await publish(aPublish);
    assert.equal((await recipients(amber)).get(c.id), 'denied');
    const fourth = await publish(aPublish, { tlp: 'GREEN' });
    const fourthDecisions = await recipients(fourth);
    assert.equal(fourthDecisions.get(c.id), 'shared');
    assert.equal(fourthDecisions.get(b.id), 'denied');
    await change(
      'group member added',
      () => `group:${groupId}`,
      () => request('PUT', admin(`/v1/sharing-groups/${groupId}/members/${b.id}`), { token: stack.adminToken }),
      200,
    );
    const fifth = await publish(aPublish, { tlp: 'GREEN' });
    assert.equal((await recipients(fifth)).get(b.id), 'shared');
    await change(
      'group member removed',
      () => `group:${groupId}`,
      () => request('DELETE', admin(`/v1/sharing-groups/${groupId}/members/${b.id}`), { token: stack.adminToken }),
      200,
    );
    const sixth = await publish(aPublish, { tlp: 'GREEN' });
    assert.equal((await recipients(sixth)).get(b.id), 'denied');
    assert.equal((await recipients(sixth)).get(c.id), 'shared');
  });

  it('a suspended agency neither publishes nor receives; reinstated, it does both again', async () => {
    await change(
      'agreement created',
      (res) => `policy:${String(res.body['id'])}`,
      () =>
        request('POST', admin(`/v1/agencies/${a.id}/sharing-agreements`), {
          token: stack.adminToken,
          body: { granteeAgencyId: b.id, purpose: PURPOSE },
        }),
      201,
    );
    const bPublish = await issueKey(stack, b, ['publish']);
    const before = await recordCount(kafka(), topics().delivery(b.id));

    await change(
      'agency suspended',
      () => `agency:${b.id}`,
      () => request('POST', admin(`/v1/agencies/${b.id}/suspend`), { token: stack.adminToken }),
      200,
    );
    const whileSuspended = await publish(aPublish);
    const decided = await decisions(a, whileSuspended['id'], await activeOthers(a));
    assert.notEqual(decided.get(b.id), 'shared');
    assert.equal(await recordCount(kafka(), topics().delivery(b.id)), before);
    await expectEventually(async () => {
      const res = await request('POST', `${stack.url('gateway')}/v1/events`, { token: bPublish, body: exampleEvent(INCIDENT) });
      assert.equal(res.status, 403, res.text);
    });
    // Its administrators are locked out too.
    assert.equal((await request('GET', admin(`/v1/agencies/${b.id}`), { token: bAdmin })).status, 403);

    await change(
      'agency reinstated',
      () => `agency:${b.id}`,
      () => request('POST', admin(`/v1/agencies/${b.id}/reinstate`), { token: stack.adminToken }),
      200,
    );
    const afterReinstate = await publish(aPublish);
    assert.equal((await decisions(a, afterReinstate['id'], await activeOthers(a))).get(b.id), 'shared');
    await expectEventually(async () => assert.equal(await recordCount(kafka(), topics().delivery(b.id)), before + 1));
    await expectEventually(async () => {
      const res = await request('POST', `${stack.url('gateway')}/v1/events`, { token: bPublish, body: exampleEvent(INCIDENT) });
      assert.equal(res.status, 202, res.text);
    });
  });

  it('a restarted router reads the current configuration before it routes its first event', async () => {
    await stack.services.router?.stop();
    // Changed while no router runs: only the configuration topic can tell the next one.
    const d = await createAgency(stack, 'Agency D (granted while the router was down)');
    const policy = await request('POST', admin(`/v1/agencies/${a.id}/policies`), {
      token: aAdmin,
      body: { granteeAgencyId: d.id, maxTlp: 'AMBER', purpose: PURPOSE },
    });
    assert.equal(policy.status, 201, policy.text);
    const event = await publish(aPublish);
    await stack.start('router');
    const status = await request('GET', `${stack.url('router')}/config/status?key=policy:${String(policy.body['id'])}`);
    assert.equal(status.body['caughtUp'], true);
    assert.notEqual(status.body['key'], null);
    assert.equal((await decisions(a, event['id'], await activeOthers(a))).get(d.id), 'shared');
  });

  /** Agencies other than `owner` that are active now: the candidates the router decides about. */
  async function activeOthers(owner: TestAgency): Promise<number> {
    const res = await request('GET', admin('/v1/agencies?limit=200'), { token: stack.adminToken });
    return (res.body['items'] as { id: string; status: string }[]).filter((x) => x.id !== owner.id && x.status === 'active').length;
  }
});
