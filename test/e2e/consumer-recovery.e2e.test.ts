import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { toBinaryRecord, topicNames, validateEvent } from '@liaison/contracts';
import { DurableProducer, ensureTopics } from '@liaison/messaging';
import { repoRoot } from '../../tools/kafka/cluster';
import { startService, type RunningService, type ServiceName } from '../../tools/stack/service-process';
import {
  createAgency,
  createAgreement,
  exampleEvent,
  expectEventually,
  startStack,
  testKafka,
  type TestAgency,
  type TestStack,
} from '@liaison/testing';

const INCIDENT = 'gov.liaison.incident.reported.v1';
const EVENTS = 24;
/** The target of issue 10: a crashed instance's partitions consume again within 10 s. */
const RECOVERY_BUDGET_MS = 10_000;

/**
 * Two instances each of the router and delivery, one of each SIGKILLed: the survivors must take
 * over the dead instances' partitions within the budget (ADR 0033), with the default session timeout.
 */
describe('consumer recovery after a SIGKILL', () => {
  let stack: TestStack;
  let db: Client;
  let a: TestAgency;
  let b: TestAgency;
  const second: RunningService[] = [];
  const kafka = () => testKafka(stack.brokers);
  const topics = () => topicNames(stack.namespace);

  const startSecond = async (name: ServiceName): Promise<RunningService> => {
    const service = await startService({
      name,
      distDir: join(repoRoot(), 'dist'),
      env: stack.envFor(name),
      // A fifth and sixth service process start slowly on a loaded 2-core machine; what is timed is the takeover, not this.
      readyTimeoutMs: 180_000,
    });
    second.push(service);
    return service;
  };

  const groupMembers = async (groupId: string): Promise<number> => {
    const admin = kafka().admin();
    await admin.connect();
    try {
      const { groups } = await admin.describeGroups([groupId]);
      return groups[0]?.state === 'Stable' ? (groups[0]?.members.length ?? 0) : 0;
    } finally {
      await admin.disconnect();
    }
  };

  const count = async (table: 'dissemination' | 'inbox_event', ids: string[]): Promise<number> => {
    const rows = await db.query<{ n: string }>(`SELECT count(DISTINCT event_id) AS n FROM ${table} WHERE event_id = ANY($1)`, [ids]);
    return Number(rows.rows[0]?.n);
  };

  before(async () => {
    stack = await startStack('recovery', ['admin', 'router', 'delivery']);
    // The services' own default session timeout, not one chosen for the tests.
    delete stack.env['KAFKA_SESSION_TIMEOUT_MS'];
    await stack.start('router');
    await stack.start('delivery');
    db = new Client({ connectionString: stack.database.url });
    await db.connect();
    a = await createAgency(stack, 'Publisher');
    b = await createAgency(stack, 'Partner');
    await createAgreement(stack, a, b);
    // The partner's delivery topic exists before the delivery instances share out the partitions.
    await ensureTopics(kafka(), [{ topic: topics().delivery(b.id), numPartitions: 3 }]);
  });

  after(async () => {
    await Promise.all(second.map((s) => s.stop()));
    await db?.end();
    await stack?.stop();
  });

  it('the surviving router and delivery instances consume the killed instances’ partitions within 10 s', async () => {
    await startSecond('router');
    await startSecond('delivery');
    await expectEventually(async () => assert.equal(await groupMembers(`${stack.namespace}.router`), 2), {
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    await expectEventually(async () => assert.equal(await groupMembers(`${stack.namespace}.delivery`), 2), {
      timeoutMs: 60_000,
      intervalMs: 500,
    });

    const producer = new DurableProducer(kafka());
    await producer.connect();
    try {
      const events = Array.from({ length: EVENTS }, () => {
        const outcome = validateEvent({ ...exampleEvent(INCIDENT), agency: a.id });
        assert.ok(outcome.ok);
        return outcome.value;
      });
      const ids = events.map((e) => e.id);
      await Promise.all(second.map((s) => s.kill()));
      const killedAt = Date.now();
      // Random subjects spread the events over every ingest and delivery partition.
      await producer.send(events.map((e) => ({ topic: topics().ingest, ...toBinaryRecord(e) })));
      let routedMs = 0;
      await expectEventually(
        async () => {
          assert.equal(await count('dissemination', ids), EVENTS);
          routedMs = Date.now() - killedAt;
        },
        { timeoutMs: 60_000, intervalMs: 100 },
      );
      await expectEventually(async () => assert.equal(await count('inbox_event', ids), EVENTS), { timeoutMs: 60_000, intervalMs: 100 });
      const deliveredMs = Date.now() - killedAt;
      console.log(`[recovery] after SIGKILL: every event routed in ${routedMs} ms, every copy stored in ${deliveredMs} ms`);
      assert.ok(routedMs < RECOVERY_BUDGET_MS, `router partitions consumed again after ${routedMs} ms`);
      assert.ok(deliveredMs < RECOVERY_BUDGET_MS, `delivery partitions consumed again after ${deliveredMs} ms`);
    } finally {
      await producer.disconnect();
    }
  });
});
