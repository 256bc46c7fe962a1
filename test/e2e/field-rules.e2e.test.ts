/**
 * What a partner actually receives under a policy with field rules, and where TLP:RED may go:
 * published over HTTP, routed by the real router, read back from each recipient's delivery topic.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fromBinaryRecord, topicNames } from '@liaison/contracts';
import {
  collect,
  createAgency,
  exampleEvent,
  expectEventually,
  issueKey,
  request,
  startStack,
  testKafka,
  type TestAgency,
  type TestStack,
} from '@liaison/testing';

const INCIDENT = 'gov.liaison.incident.reported.v1';

interface Decision {
  recipientAgencyId: string;
  decision: string;
  reasons: string[];
}

describe('field rules and TLP levels, end to end (HTTP → Kafka → router → recipients’ topics)', () => {
  let stack: TestStack;
  let owner: TestAgency;
  let redacted: TestAgency;
  let full: TestAgency;
  let outsider: TestAgency;
  let publishKey: string;
  let reader: Awaited<ReturnType<typeof collect>>;
  const admin = (path: string) => `${stack.url('admin')}${path}`;

  async function policy(grantee: TestAgency, body: Record<string, unknown>): Promise<string> {
    const res = await request('POST', admin(`/v1/agencies/${owner.id}/policies`), {
      token: stack.adminToken,
      body: { granteeAgencyId: grantee.id, purpose: 'test: joint violent-crime task force', ...body },
    });
    assert.equal(res.status, 201, res.text);
    const id = String(res.body['id']);
    // The router applies configuration from the compacted topic; wait until it holds this policy.
    await expectEventually(async () => {
      const status = await request('GET', `${stack.url('router')}/config/status?key=${encodeURIComponent(`policy:${id}`)}`);
      assert.ok(status.body['key'] !== null && status.body['key'] !== undefined, `router has not applied policy ${id}`);
    });
    return id;
  }

  async function publish(overrides: Record<string, unknown>): Promise<Record<string, unknown>> {
    const event = exampleEvent(INCIDENT, overrides);
    const res = await request('POST', `${stack.url('gateway')}/v1/events`, { token: publishKey, body: event });
    assert.equal(res.status, 202, res.text);
    return event;
  }

  /** The recipient's copies of one event, as a consumer of its topic decodes them. */
  function copiesOf(agency: TestAgency, eventId: unknown): Record<string, unknown>[] {
    const topic = topicNames(stack.namespace).delivery(agency.id);
    return reader.records
      .filter((r) => r.topic === topic)
      .map((r) => fromBinaryRecord({ value: r.value, headers: r.headers }))
      .filter((e) => e['id'] === eventId);
  }

  async function ledger(eventId: unknown): Promise<Map<string, Decision>> {
    return expectEventually(async () => {
      const res = await request('GET', admin(`/v1/agencies/${owner.id}/events/${String(eventId)}/disseminations`), {
        token: stack.adminToken,
      });
      assert.equal(res.status, 200, res.text);
      const items = res.body['items'] as Decision[];
      assert.ok(items.length >= 3, res.text);
      return new Map(items.map((i) => [i.recipientAgencyId, i]));
    });
  }

  before(async () => {
    stack = await startStack('field-rules', ['admin', 'router', 'gateway']);
    owner = await createAgency(stack, 'Owner PD');
    redacted = await createAgency(stack, 'Partner under field rules', 'county');
    full = await createAgency(stack, 'Partner without field rules', 'state');
    outsider = await createAgency(stack, 'Agency without a policy');
    publishKey = await issueKey(stack, owner, ['publish']);
    await policy(redacted, {
      maxTlp: 'RED',
      fieldRules: { redact: ['/caseNumber', '/respondingUnits'], coarsenLocationDegrees: 0.01, dropNarrative: true },
    });
    await policy(full, { maxTlp: 'AMBER' });
    const topics = topicNames(stack.namespace);
    reader = await collect(
      testKafka(stack.brokers),
      [redacted, full, outsider].map((a) => topics.delivery(a.id)),
    );
  });

  after(async () => {
    await reader?.stop();
    await stack?.stop();
  });

  it('cuts the copy down by the recipient’s field rules and leaves another partner’s copy whole', async () => {
    const event = await publish({ tlp: 'AMBER' });
    const data = event['data'] as Record<string, unknown>;
    const [cut] = await expectEventually(() => {
      const copies = copiesOf(redacted, event['id']);
      assert.equal(copies.length, 1);
      return copies;
    });
    const [whole] = await expectEventually(() => {
      const copies = copiesOf(full, event['id']);
      assert.equal(copies.length, 1);
      return copies;
    });
    const cutData = cut?.['data'] as Record<string, unknown>;
    assert.equal(cutData['narrative'], undefined, 'narrative dropped');
    assert.equal(cutData['caseNumber'], undefined, 'caseNumber redacted');
    assert.equal(cutData['respondingUnits'], undefined, 'respondingUnits redacted');
    const point = (cutData['location'] as { point: { lat: number; lon: number } }).point;
    assert.deepEqual(point, { lat: 32.77, lon: -96.8 }, 'point snapped to the 0.01° cell’s south-west corner');
    assert.equal(cut?.['personaldata'], undefined, 'personaldata no longer names the removed narrative');
    assert.equal(cut?.['id'], event['id'], 'the copy keeps the stable event id');
    assert.deepEqual(whole?.['data'], data, 'the partner without field rules gets the payload unchanged');
    const decisions = await ledger(event['id']);
    assert.equal(decisions.get(redacted.id)?.decision, 'shared');
    assert.equal(decisions.get(full.id)?.decision, 'shared');
    assert.deepEqual(decisions.get(outsider.id)?.reasons, ['no-policy']);
    assert.equal(copiesOf(outsider, event['id']).length, 0);
  });

  it('sends TLP:RED only to the recipient the event names, under a policy that reaches RED', async () => {
    const event = await publish({ tlp: 'RED', recipients: `${redacted.ori} ${full.ori}` });
    const decisions = await ledger(event['id']);
    assert.equal(decisions.get(redacted.id)?.decision, 'shared', JSON.stringify(decisions.get(redacted.id)));
    assert.equal(decisions.get(full.id)?.decision, 'denied', 'named, but its policy stops at AMBER');
    assert.ok(decisions.get(full.id)?.reasons.includes('tlp-above-policy-max'), JSON.stringify(decisions.get(full.id)));
    assert.equal(decisions.get(outsider.id)?.decision, 'denied');
    assert.ok(decisions.get(outsider.id)?.reasons.includes('tlp-red-not-named'), JSON.stringify(decisions.get(outsider.id)));
    await expectEventually(() => assert.equal(copiesOf(redacted, event['id']).length, 1));
    assert.equal(copiesOf(full, event['id']).length, 0);
    assert.equal(copiesOf(outsider, event['id']).length, 0);
  });

  it('shares CLEAR and GREEN under any covering policy and keeps AMBER+STRICT inside the owner', async () => {
    const clear = await publish({ tlp: 'CLEAR' });
    const green = await publish({ tlp: 'GREEN' });
    const strict = await publish({ tlp: 'AMBER+STRICT' });
    for (const event of [clear, green]) {
      const decisions = await ledger(event['id']);
      assert.equal(decisions.get(redacted.id)?.decision, 'shared');
      assert.equal(decisions.get(full.id)?.decision, 'shared');
      assert.equal(decisions.get(outsider.id)?.decision, 'denied');
    }
    const decisions = await ledger(strict['id']);
    for (const agency of [redacted, full, outsider]) {
      assert.equal(decisions.get(agency.id)?.decision, 'denied');
      assert.ok(decisions.get(agency.id)?.reasons.includes('tlp-amber-strict'), JSON.stringify(decisions.get(agency.id)));
    }
    await expectEventually(() => {
      assert.equal(copiesOf(full, clear['id']).length, 1);
      assert.equal(copiesOf(full, green['id']).length, 1);
    });
    assert.equal(copiesOf(full, strict['id']).length, 0);
  });
});
