import assert from 'node:assert/strict';
import { Client } from 'pg';
import { after, before, describe, it } from 'node:test';
import { toBinaryRecord, topicNames, validateEvent } from '@liaison/contracts';
import {
  collect,
  createAgency,
  createAgreement,
  exampleEvent,
  expectEventually,
  issueKey,
  recordCount,
  request,
  startStack,
  testKafka,
  type TestAgency,
  type TestStack,
} from '@liaison/testing';

const INCIDENT = 'gov.liaison.incident.reported.v1';

describe('the first event, end to end (gateway → Kafka → router → delivery, real Postgres)', () => {
  let stack: TestStack;
  let a: TestAgency;
  let b: TestAgency;
  let c: TestAgency;
  let publishKey: string;
  let agreementId: string;
  const kafka = () => testKafka(stack.brokers);
  const topics = () => topicNames(stack.namespace);

  before(async () => {
    stack = await startStack('first-event', ['admin', 'router', 'delivery', 'gateway']);
    a = await createAgency(stack, 'Agency A (publisher)');
    b = await createAgency(stack, 'Agency B (partner)', 'county');
    c = await createAgency(stack, 'Agency C (no agreement)', 'state');
    agreementId = await createAgreement(stack, a, b);
    publishKey = await issueKey(stack, a, ['publish']);
  });

  after(async () => {
    await stack?.stop();
  });

  it('delivers exactly one copy to the partner, none to the other, and records both decisions', async () => {
    const event = exampleEvent(INCIDENT);
    const collector = await collect(kafka(), [topics().delivery(b.id)]);
    try {
      const accepted = await request('POST', `${stack.url('gateway')}/v1/events`, {
        token: publishKey,
        body: event,
        contentType: 'application/cloudevents+json',
      });
      assert.equal(accepted.status, 202, accepted.text);
      assert.equal(accepted.body['id'], event['id']);

      const ledgerUrl = `${stack.url('admin')}/v1/agencies/${a.id}/events/${String(event['id'])}/disseminations`;
      const ledger = await expectEventually(async () => {
        const res = await request('GET', ledgerUrl, { token: stack.adminToken });
        assert.equal(res.status, 200, res.text);
        const items = res.body['items'] as { recipientAgencyId: string; decision: string; reasons: string[]; deliveries: unknown[] }[];
        assert.equal(items.length, 2);
        assert.ok(items.every((i) => i.decision === 'denied' || i.deliveries.length === 1));
        return items;
      });
      const byRecipient = new Map(ledger.map((i) => [i.recipientAgencyId, i]));
      assert.equal(byRecipient.get(b.id)?.decision, 'shared');
      assert.deepEqual(byRecipient.get(b.id)?.reasons, ['shared-under-policy']);
      assert.equal(byRecipient.get(c.id)?.decision, 'denied');
      assert.deepEqual(byRecipient.get(c.id)?.reasons, ['no-policy']);
      // The ledger names the granting policy (today the agreement, read as a policy).
      const db = new Client({ connectionString: stack.database.url });
      await db.connect();
      try {
        const rows = await db.query<{ recipient_agency_id: string; policy_ids: string[]; agreement_id: string | null }>(
          'SELECT recipient_agency_id, policy_ids, agreement_id FROM dissemination WHERE owner_agency_id = $1 AND event_id = $2',
          [a.id, event['id']],
        );
        const byId = new Map(rows.rows.map((r) => [r.recipient_agency_id, r]));
        assert.deepEqual(byId.get(b.id)?.policy_ids, [agreementId]);
        assert.equal(byId.get(b.id)?.agreement_id, agreementId);
        assert.deepEqual(byId.get(c.id)?.policy_ids, []);
      } finally {
        await db.end();
      }

      // The router writes the ledger only after its copies are durable, so these counts are final.
      assert.equal(await recordCount(kafka(), topics().delivery(b.id)), 1);
      assert.equal(await recordCount(kafka(), topics().delivery(c.id)), 0);
      const copies = await expectEventually(() => {
        assert.equal(collector.records.length, 1);
        return collector.records;
      });
      const copy = copies[0];
      assert.ok(copy);
      assert.equal(copy.headers['ce_id'], event['id']);
      assert.equal(copy.headers['ce_type'], INCIDENT);
      assert.equal(copy.headers['ce_agency'], a.id);
      assert.equal(copy.key, event['subject']);
      assert.equal(copy.headers['content-type'], 'application/json');
      assert.deepEqual(JSON.parse(copy.value?.toString() ?? 'null'), event['data']);
    } finally {
      await collector.stop();
    }
  });

  it('never shares RED or AMBER+STRICT outside the owner, agreement or not', async () => {
    const before = await recordCount(kafka(), topics().delivery(b.id));
    const red = exampleEvent(INCIDENT, { tlp: 'RED' });
    const strict = exampleEvent(INCIDENT, { tlp: 'AMBER+STRICT' });
    for (const event of [red, strict]) {
      const res = await request('POST', `${stack.url('gateway')}/v1/events`, { token: publishKey, body: event });
      assert.equal(res.status, 202, res.text);
    }
    const reasonsFor = async (eventId: unknown): Promise<Map<string, string[]>> => {
      const res = await request('GET', `${stack.url('admin')}/v1/agencies/${a.id}/events/${String(eventId)}/disseminations`, {
        token: stack.adminToken,
      });
      assert.equal(res.status, 200, res.text);
      const items = res.body['items'] as { recipientAgencyId: string; decision: string; reasons: string[] }[];
      assert.equal(items.length, 2);
      assert.ok(items.every((i) => i.decision === 'denied'));
      return new Map(items.map((i) => [i.recipientAgencyId, i.reasons]));
    };
    const redReasons = await expectEventually(() => reasonsFor(red['id']));
    assert.deepEqual(redReasons.get(b.id), ['tlp-red-not-named']);
    const strictReasons = await expectEventually(() => reasonsFor(strict['id']));
    assert.deepEqual(strictReasons.get(b.id), ['tlp-amber-strict']);
    assert.equal(await recordCount(kafka(), topics().delivery(b.id)), before);
  });

  it('denies a RED event even to the recipient it names when the policy stops at AMBER, and says why', async () => {
    const before = await recordCount(kafka(), topics().delivery(b.id));
    // Produced to the ingest topic as the gateway does (agency stamped), naming B by its ORI: the
    // envelope's `recipients` attribute is read by the router whether or not the contract declares it yet.
    const red = exampleEvent(INCIDENT, { tlp: 'RED', agency: a.id });
    const validated = validateEvent(red);
    assert.ok(validated.ok);
    const binary = toBinaryRecord(validated.value);
    const producer = kafka().producer();
    await producer.connect();
    try {
      await producer.send({
        topic: topics().ingest,
        acks: -1,
        messages: [{ key: binary.key, value: binary.value, headers: { ...binary.headers, ce_recipients: b.ori } }],
      });
    } finally {
      await producer.disconnect();
    }
    const items = await expectEventually(async () => {
      const res = await request('GET', `${stack.url('admin')}/v1/agencies/${a.id}/events/${String(red['id'])}/disseminations`, {
        token: stack.adminToken,
      });
      assert.equal(res.status, 200, res.text);
      const list = res.body['items'] as { recipientAgencyId: string; decision: string; reasons: string[] }[];
      assert.equal(list.length, 2);
      return new Map(list.map((i) => [i.recipientAgencyId, i]));
    });
    // B is named, but its only policy (the agreement) shares up to AMBER; C is not named at all.
    assert.equal(items.get(b.id)?.decision, 'denied');
    assert.deepEqual(items.get(b.id)?.reasons, ['tlp-above-policy-max']);
    assert.equal(items.get(c.id)?.decision, 'denied');
    assert.deepEqual(items.get(c.id)?.reasons, ['tlp-red-not-named']);
    assert.equal(await recordCount(kafka(), topics().delivery(b.id)), before);
  });

  it('answers a malformed event with a 400 naming the field, and nothing reaches Kafka', async () => {
    const before = await recordCount(kafka(), topics().ingest);
    const event = exampleEvent(INCIDENT);
    const data = { ...(event['data'] as Record<string, unknown>), priority: 'urgent' };
    const res = await request('POST', `${stack.url('gateway')}/v1/events`, { token: publishKey, body: { ...event, data, tlp: 'PURPLE' } });
    assert.equal(res.status, 400, res.text);
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal(res.body['status'], 400);
    const pointers = (res.body['errors'] as { pointer: string }[]).map((e) => e.pointer);
    assert.ok(pointers.includes('/data/priority'), pointers.join());
    assert.ok(pointers.includes('/tlp'), pointers.join());

    const broken = await request('POST', `${stack.url('gateway')}/v1/events`, { token: publishKey, rawBody: '{"specversion": "1.0",' });
    assert.equal(broken.status, 400);
    assert.equal(broken.body['type'], 'urn:liaison:problem:malformed-json');

    const unknownField = await request('POST', `${stack.url('gateway')}/v1/events`, {
      token: publishKey,
      body: { ...event, id: 'x-1', classification: 'SECRET' },
    });
    assert.equal(unknownField.status, 400);
    assert.deepEqual(
      (unknownField.body['errors'] as { pointer: string }[]).map((e) => e.pointer),
      ['/classification'],
    );

    assert.equal(await recordCount(kafka(), topics().ingest), before);
  });

  it('refuses missing, malformed and revoked keys with 401 and publishes nothing', async () => {
    const before = await recordCount(kafka(), topics().ingest);
    const url = `${stack.url('gateway')}/v1/events`;
    const event = exampleEvent(INCIDENT);
    assert.equal((await request('POST', url, { body: event })).status, 401);
    assert.equal((await request('POST', url, { token: 'lsk_aaaaaaaaaaaa_' + 'A'.repeat(43), body: event })).status, 401);
    assert.equal(
      (await request('POST', url, { token: publishKey.slice(0, -1) + (publishKey.endsWith('A') ? 'B' : 'A'), body: event })).status,
      401,
    );

    const doomed = await issueKey(stack, a, ['publish']);
    const keys = await request('GET', `${stack.url('admin')}/v1/agencies/${a.id}/api-keys`, { token: stack.adminToken });
    const doomedId = (keys.body['items'] as { id: string; prefix: string }[]).find((k) => doomed.includes(k.prefix))?.id;
    assert.ok(doomedId);
    assert.equal(
      (await request('DELETE', `${stack.url('admin')}/v1/agencies/${a.id}/api-keys/${doomedId}`, { token: stack.adminToken })).status,
      204,
    );
    await expectEventually(async () => assert.equal((await request('POST', url, { token: doomed, body: event })).status, 401));
    assert.equal(await recordCount(kafka(), topics().ingest), before);
  });

  it("answers another tenant's objects with 404", async () => {
    const bAdmin = await issueKey(stack, b, ['manage']);
    const admin = stack.url('admin');
    for (const path of [
      `/v1/agencies/${a.id}`,
      `/v1/agencies/${a.id}/api-keys`,
      `/v1/agencies/${a.id}/sharing-agreements`,
      `/v1/agencies/${a.id}/events/x/disseminations`,
    ]) {
      const res = await request('GET', `${admin}${path}`, { token: bAdmin });
      assert.equal(res.status, 404, `${path}: ${res.text}`);
    }
    const own = await request('GET', `${admin}/v1/agencies/${b.id}`, { token: bAdmin });
    assert.equal(own.status, 200);
    const create = await request('POST', `${admin}/v1/agencies/${a.id}/sharing-agreements`, {
      token: bAdmin,
      body: { granteeAgencyId: b.id, purpose: 'take' },
    });
    assert.equal(create.status, 404);
    const onboard = await request('POST', `${admin}/v1/agencies`, { token: bAdmin, body: { ori: 'ZZ9999999', name: 'x', kind: 'local' } });
    assert.equal(onboard.status, 403);
  });
});
