import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { INestMicroservice } from '@nestjs/common';
import { topicNames, type LiaisonEvent } from '@liaison/contracts';
import {
  createAgency,
  createAgreement,
  exampleEvent,
  expectEventually,
  issueKey,
  recordCount,
  request,
  scramAs,
  startStack,
  testClientSecurity,
  testKafka,
  uniqueSuffix,
  type TestAgency,
  type TestStack,
} from '@liaison/testing';
import { startAgencyTopicConsumer } from '../examples/agency-topic-consumer';

describe('Kafka channel: a NestJS microservice consumes an agency delivery topic', () => {
  let stack: TestStack;
  let a: TestAgency;
  let b: TestAgency;
  let c: TestAgency;
  let consumers: INestMicroservice[] = [];

  before(async () => {
    stack = await startStack('agency-topic', ['admin', 'router', 'gateway']);
    a = await createAgency(stack, 'Publisher');
    b = await createAgency(stack, 'Partner');
    c = await createAgency(stack, 'Outsider');
    await createAgreement(stack, a, b);
  });

  after(async () => {
    await Promise.all(consumers.map((app) => app.close()));
    consumers = [];
    await stack?.stop();
  });

  it('receives the entitled copies in order per subject, and the outsider topic stays empty', async () => {
    const key = await issueKey(stack, a, ['publish']);
    const published: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const event = exampleEvent('gov.liaison.incident.reported.v1', { subject: 'INC-NEST-1' });
      const res = await request('POST', `${stack.url('gateway')}/v1/events`, { token: key, body: event });
      assert.equal(res.status, 202, res.text);
      published.push(String(event['id']));
    }
    const received: LiaisonEvent[] = [];
    const rejected: string[] = [];
    const outsider: LiaisonEvent[] = [];
    const base = {
      brokers: stack.brokers.split(','),
      // The bootstrap admin here; partner credentials are tested in kafka-security.
      security: testClientSecurity(scramAs()),
      namespace: stack.namespace,
      onRejected: (r: string) => rejected.push(r),
    };
    consumers.push(
      await startAgencyTopicConsumer({
        ...base,
        agencyId: b.id,
        groupId: `partner-cad-${uniqueSuffix()}`,
        onEvent: (e) => received.push(e),
      }),
    );
    consumers.push(
      await startAgencyTopicConsumer({ ...base, agencyId: c.id, groupId: `outsider-${uniqueSuffix()}`, onEvent: (e) => outsider.push(e) }),
    );
    await expectEventually(
      () =>
        assert.deepEqual(
          received.map((e) => e.id),
          published,
        ),
      { timeoutMs: 60_000 },
    );
    assert.deepEqual(rejected, []);
    assert.ok(received.every((e) => e.agency === a.id && e.subject === 'INC-NEST-1'));
    assert.deepEqual(outsider, []);
    // The router writes its ledger only after its copies are durable, so the outsider's count is final.
    assert.equal(await recordCount(testKafka(stack.brokers), topicNames(stack.namespace).delivery(c.id)), 0);
  });
});
