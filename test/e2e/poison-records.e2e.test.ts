import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type DataSource } from 'typeorm';
import { toBinaryRecord, topicNames, validateEvent, type LiaisonEvent } from '@liaison/contracts';
import { DEAD_LETTER_HEADERS, DurableProducer, ensureTopics } from '@liaison/messaging';
import { createDataSource } from '@liaison/persistence';
import {
  collect,
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
const CANARIES = 6;
/**
 * PostgreSQL's refusal as the consumer saw it, or, once the contracts refuse U+0000 themselves, the
 * validation problem the router dead-letters it with: either way it is named.
 */
const POISON_REASON = /Unicode|\\u0000|U\+0000|0x00|control char/i;

/**
 * Records PostgreSQL refuses (a U+0000 in a string: jsonb has no way to store it) put straight on
 * the topics, past the gateway, as a buggy or hostile producer with topic access could: they must
 * not stop their partition, must reach the dead-letter topic with the reason, and must not make
 * the retries multiply what the consumer produces.
 */
describe('poison records on real Kafka and PostgreSQL: router and delivery', () => {
  let stack: TestStack;
  let db: DataSource;
  let producer: DurableProducer;
  let a: TestAgency;
  let b: TestAgency;
  const kafka = () => testKafka(stack.brokers);
  const topics = () => topicNames(stack.namespace);

  /** Events on one partition (one subject): the poison first, then the canaries. */
  const poisonThenCanaries = (subject: string): { poison: LiaisonEvent; canaries: LiaisonEvent[] } => {
    const event = (data?: Record<string, unknown>): LiaisonEvent => {
      const outcome = validateEvent(exampleEvent(INCIDENT, { subject, agency: a.id }));
      assert.ok(outcome.ok, JSON.stringify(outcome));
      // The gateway and validateEvent refuse a NUL now; the poison is what a producer that bypassed them would put on the topic.
      return data === undefined
        ? outcome.value
        : ({ ...outcome.value, data: { ...(outcome.value.data as object), ...data } } as unknown as LiaisonEvent);
    };
    return { poison: event({ narrative: 'shots fired\u0000; suspect fled' }), canaries: Array.from({ length: CANARIES }, () => event()) };
  };

  const inboxCount = async (eventIds: string[]): Promise<number> => {
    const rows = await db.query<{ n: string }[]>('SELECT count(*) AS n FROM inbox_event WHERE event_id = ANY($1)', [eventIds]);
    return Number(rows[0]?.n);
  };

  before(async () => {
    stack = await startStack('poison', ['admin', 'router', 'delivery']);
    db = await createDataSource(stack.database.url, 'liaison-test').initialize();
    a = await createAgency(stack, 'Publisher');
    b = await createAgency(stack, 'Partner');
    await createAgreement(stack, a, b);
    producer = new DurableProducer(kafka());
    await producer.connect();
  });

  after(async () => {
    await producer?.disconnect();
    await db?.destroy();
    await stack?.stop();
  });

  it('router: dead-letters the event PostgreSQL refuses, routes the canaries behind it, and produces each copy once', async () => {
    const { poison, canaries } = poisonThenCanaries('INC-POISON-ROUTER');
    const dead = await collect(kafka(), [topics().deadLetter]);
    try {
      await producer.send([poison, ...canaries].map((e) => ({ topic: topics().ingest, ...toBinaryRecord(e) })));
      const ids = canaries.map((c) => c.id);
      // The canaries reach the partner's inbox through the delivery topic: the partition moved on.
      await expectEventually(async () => assert.equal(await inboxCount(ids), CANARIES), { timeoutMs: 60_000 });
      const letter = await expectEventually(
        () => {
          const found = dead.records.find((r) => r.headers['ce_id'] === poison.id);
          assert.ok(found, 'the poison event is on the dead-letter topic');
          return found;
        },
        { timeoutMs: 30_000 },
      );
      assert.equal(letter.headers[DEAD_LETTER_HEADERS.consumer], 'router');
      assert.equal(letter.headers[DEAD_LETTER_HEADERS.topic], topics().ingest);
      assert.match(letter.headers[DEAD_LETTER_HEADERS.reason] ?? '', POISON_REASON);
      assert.equal(letter.value?.toString(), toBinaryRecord(poison).value.toString(), 'the record as it was published');

      const rows = await db.query<{ event_id: string }[]>(`SELECT event_id FROM dissemination WHERE event_id = ANY($1)`, [
        [poison.id, ...ids],
      ]);
      assert.deepEqual(rows.map((r) => r.event_id).sort(), [...ids].sort(), 'one decision per canary, none for the refused event');

      // Every attempt at the poisoned batch ran before anything was produced: each canary was
      // copied to the partner's topic exactly once, and the poison event never.
      const copies = await collect(kafka(), [topics().delivery(b.id)]);
      try {
        await expectEventually(() => assert.ok(copies.records.filter((r) => ids.includes(r.headers['ce_id'] ?? '')).length >= CANARIES));
        const perEvent = new Map<string, number>();
        for (const r of copies.records) perEvent.set(r.headers['ce_id'] ?? '', (perEvent.get(r.headers['ce_id'] ?? '') ?? 0) + 1);
        for (const id of ids) assert.equal(perEvent.get(id), 1, `copies of canary ${id}`);
        assert.equal(perEvent.get(poison.id), undefined, 'no copy of the refused event');
      } finally {
        await copies.stop();
      }
    } finally {
      await dead.stop();
    }
  });

  it('delivery: dead-letters the copy PostgreSQL refuses and stores the canaries behind it', async () => {
    const { poison, canaries } = poisonThenCanaries('INC-POISON-DELIVERY');
    const deliveryTopic = topics().delivery(b.id);
    await ensureTopics(kafka(), [{ topic: deliveryTopic, numPartitions: 3 }]);
    const dead = await collect(kafka(), [topics().deadLetter]);
    try {
      await producer.send([poison, ...canaries].map((e) => ({ topic: deliveryTopic, ...toBinaryRecord(e) })));
      const ids = canaries.map((c) => c.id);
      await expectEventually(async () => assert.equal(await inboxCount(ids), CANARIES), { timeoutMs: 60_000 });
      const letter = await expectEventually(
        () => {
          const found = dead.records.find(
            (r) => r.headers['ce_id'] === poison.id && r.headers[DEAD_LETTER_HEADERS.consumer] === 'delivery',
          );
          assert.ok(found, 'the poison copy is on the dead-letter topic');
          return found;
        },
        { timeoutMs: 30_000 },
      );
      assert.equal(letter.headers[DEAD_LETTER_HEADERS.topic], deliveryTopic);
      assert.match(letter.headers[DEAD_LETTER_HEADERS.reason] ?? '', POISON_REASON);
      assert.equal(await inboxCount([poison.id]), 0);
      const delivered = await db.query<{ n: string }[]>(
        `SELECT count(*) AS n FROM delivery_attempt WHERE event_id = ANY($1) AND channel = 'agency-topic'`,
        [ids],
      );
      assert.equal(Number(delivered[0]?.n), CANARIES, 'one ledger row per canary');
      assert.equal(dead.records.filter((r) => r.headers['ce_id'] === poison.id).length, 1, 'dead-lettered once');
    } finally {
      await dead.stop();
    }
  });
});
