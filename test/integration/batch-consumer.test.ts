import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import type { Kafka } from 'kafkajs';
import {
  BatchConsumer,
  DEAD_LETTER_HEADERS,
  DurableProducer,
  ensureTopics,
  isTransientFailure,
  type ConsumedRecord,
  type RetryPolicy,
} from '@liaison/messaging';
import { collect, createTestDatabase, expectEventually, testBrokers, testKafka, uniqueSuffix, type TestDatabase } from '@liaison/testing';

const PARTITIONS = 3;
const PER_PARTITION = 30;

describe('BatchConsumer: partitions consumed concurrently', () => {
  let kafka: Kafka;
  const topic = `t-batch-consumer-${uniqueSuffix()}`;
  const groupId = `${topic}.group`;

  before(async () => {
    kafka = testKafka(testBrokers());
    await ensureTopics(kafka, [{ topic, numPartitions: PARTITIONS }]);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();
    const messages = [];
    for (let i = 0; i < PER_PARTITION; i++) {
      for (let p = 0; p < PARTITIONS; p++) messages.push({ partition: p, value: `${p}:${i}` });
    }
    await producer.send({ topic, acks: -1, messages });
    await producer.disconnect();
  });

  it('works on every partition at once, keeps each partition in order, and commits a batch only after its handler', async () => {
    const seen = new Map<number, string[]>();
    const inFlight = new Map<number, number>();
    let running = 0;
    let mostRunning = 0;
    let mostPerPartition = 0;
    let committedWhileHeld: number | undefined;
    let release: () => void = () => undefined;
    // The first batches wait here until all partitions are in the handler at once (or 15 s pass, and the assertions fail).
    const gate = new Promise<void>((resolve) => {
      release = resolve;
      setTimeout(resolve, 15_000).unref();
    });
    const admin = kafka.admin();
    await admin.connect();
    const committedTotal = async (): Promise<number> => {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    };
    const handler = async (records: ConsumedRecord[]): Promise<void> => {
      const partition = records[0]?.partition ?? -1;
      running += 1;
      inFlight.set(partition, (inFlight.get(partition) ?? 0) + 1);
      mostRunning = Math.max(mostRunning, running);
      mostPerPartition = Math.max(mostPerPartition, inFlight.get(partition) ?? 0);
      try {
        if (running === PARTITIONS) {
          committedWhileHeld = await committedTotal();
          release();
        }
        await gate;
        const list = seen.get(partition) ?? [];
        for (const r of records) list.push(r.value?.toString() ?? '');
        seen.set(partition, list);
      } finally {
        running -= 1;
        inFlight.set(partition, (inFlight.get(partition) ?? 1) - 1);
      }
    };
    const producer = new DurableProducer(kafka);
    await producer.connect();
    const consumer = new BatchConsumer(kafka, {
      groupId,
      topics: () => Promise.resolve([topic]),
      handler,
      deadLetter: { producer, topic: `${topic}.dlq`, consumer: 'test' },
      partitionsConsumedConcurrently: PARTITIONS,
    });
    try {
      await consumer.start();
      await expectEventually(
        () =>
          assert.equal(
            [...seen.values()].reduce((n, l) => n + l.length, 0),
            PARTITIONS * PER_PARTITION,
          ),
        { timeoutMs: 45_000 },
      );
      assert.equal(mostRunning, PARTITIONS, 'every partition had a batch in the handler at the same time');
      assert.equal(mostPerPartition, 1, 'never two batches of one partition at once');
      assert.equal(committedWhileHeld, 0, 'nothing was committed while the first batches were still in their handlers');
      for (let p = 0; p < PARTITIONS; p++) {
        assert.deepEqual(
          seen.get(p),
          Array.from({ length: PER_PARTITION }, (_, i) => `${p}:${i}`),
          `partition ${p} in offset order`,
        );
      }
      await expectEventually(async () => assert.equal(await committedTotal(), PARTITIONS * PER_PARTITION), { timeoutMs: 20_000 });
    } finally {
      await consumer.stop();
      await producer.disconnect();
      await admin.disconnect();
    }
  });
});

const FAST_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 20, maxDelayMs: 200 };

/** One partition holding `values` in order; returns its topic and a dead-letter topic beside it. */
async function onePartition(kafka: Kafka, label: string, values: string[]): Promise<{ topic: string; deadLetter: string }> {
  const topic = `t-${label}-${uniqueSuffix()}`;
  const deadLetter = `${topic}.dlq`;
  await ensureTopics(kafka, [
    { topic, numPartitions: 1 },
    { topic: deadLetter, numPartitions: 1 },
  ]);
  const producer = new DurableProducer(kafka);
  await producer.connect();
  await producer.send(values.map((value, i) => ({ topic, key: `k${i}`, value: Buffer.from(value), headers: { seq: String(i) } })));
  await producer.disconnect();
  return { topic, deadLetter };
}

describe('BatchConsumer: a failing record never stops its partition', () => {
  let kafka: Kafka;
  let producer: DurableProducer;

  before(async () => {
    kafka = testKafka(testBrokers());
    producer = new DurableProducer(kafka);
    await producer.connect();
  });

  after(() => producer?.disconnect());

  it('retries a record-specific failure a bounded number of times, isolates the record, dead-letters it with the reason, and processes the rest once, in order', async () => {
    const values = Array.from({ length: 40 }, (_, i) => (i === 13 ? 'poison' : `good-${i}`));
    const { topic, deadLetter } = await onePartition(kafka, 'poison', values);
    const processed: string[] = [];
    let triesWithPoison = 0;
    const handler = (records: ConsumedRecord[]): Promise<void> => {
      const batch = records.map((r) => r.value?.toString() ?? '');
      // Like PostgreSQL refusing one row: the whole statement fails and nothing of it is kept.
      if (batch.includes('poison')) {
        triesWithPoison += 1;
        return Promise.reject(new TypeError('cannot store "poison"'));
      }
      processed.push(...batch);
      return Promise.resolve();
    };
    const dead = await collect(kafka, [deadLetter]);
    const consumer = new BatchConsumer(kafka, {
      groupId: `${topic}.group`,
      topics: () => Promise.resolve([topic]),
      handler,
      retry: FAST_RETRY,
      deadLetter: { producer, topic: deadLetter, consumer: 'test-consumer' },
    });
    try {
      await consumer.start();
      await expectEventually(() => assert.equal(processed.length, values.length - 1), { timeoutMs: 45_000 });
      await expectEventually(() => assert.equal(dead.records.length, 1), { timeoutMs: 20_000 });
      assert.deepEqual(
        processed,
        values.filter((v) => v !== 'poison'),
        'every good record processed exactly once, in offset order',
      );
      const [letter] = dead.records;
      assert.equal(letter?.value?.toString(), 'poison');
      assert.equal(letter?.headers['seq'], '13', 'the original headers travel with it');
      assert.equal(letter?.headers[DEAD_LETTER_HEADERS.topic], topic);
      assert.equal(letter?.headers[DEAD_LETTER_HEADERS.offset], '13');
      assert.equal(letter?.headers[DEAD_LETTER_HEADERS.consumer], 'test-consumer');
      assert.match(letter?.headers[DEAD_LETTER_HEADERS.reason] ?? '', /failed 3 times: TypeError: cannot store "poison"/);
      // Whatever the batches were: 3 tries of the first batch holding it, one per halving (≤ log2 40 → 6), 3 on its own.
      assert.ok(triesWithPoison >= 3 + 3 && triesWithPoison <= 3 + 6 + 3, `tried the poison record ${triesWithPoison} times`);
      const admin = kafka.admin();
      await admin.connect();
      try {
        await expectEventually(async () => {
          const [offsets] = await admin.fetchOffsets({ groupId: `${topic}.group`, topics: [topic] });
          assert.equal(offsets?.partitions[0]?.offset, String(values.length));
        });
      } finally {
        await admin.disconnect();
      }
    } finally {
      await consumer.stop();
      await dead.stop();
    }
  });

  it('keeps retrying while the infrastructure is down, dead-letters nothing, and catches up when it returns', async () => {
    const values = Array.from({ length: 10 }, (_, i) => `event-${i}`);
    const { topic, deadLetter } = await onePartition(kafka, 'outage', values);
    const processed: string[] = [];
    let refusals = 0;
    let outage = true;
    const handler = (records: ConsumedRecord[]): Promise<void> => {
      if (outage) {
        refusals += 1;
        // What pg gives while PostgreSQL is down.
        return Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
      }
      processed.push(...records.map((r) => r.value?.toString() ?? ''));
      return Promise.resolve();
    };
    const dead = await collect(kafka, [deadLetter]);
    const consumer = new BatchConsumer(kafka, {
      groupId: `${topic}.group`,
      topics: () => Promise.resolve([topic]),
      handler,
      retry: FAST_RETRY,
      deadLetter: { producer, topic: deadLetter, consumer: 'test-consumer' },
    });
    try {
      await consumer.start();
      // Well past the attempts of a record-specific failure, and past a session timeout.
      await expectEventually(() => assert.ok(refusals >= 4 * FAST_RETRY.attempts), { timeoutMs: 30_000 });
      // The outage outlasts a session timeout (6 s): the consumer must keep its partition meanwhile.
      await new Promise((r) => setTimeout(r, 7_000));
      const returnedAt = Date.now();
      outage = false;
      await expectEventually(() => assert.deepEqual(processed, values), { timeoutMs: 20_000 });
      assert.ok(Date.now() - returnedAt < 5_000, `caught up ${Date.now() - returnedAt} ms after the outage ended`);
      assert.equal(dead.records.length, 0, 'nothing was dead-lettered for an outage');
    } finally {
      await consumer.stop();
      await dead.stop();
    }
  });
});

describe('isTransientFailure: real PostgreSQL errors', () => {
  let database: TestDatabase;

  before(async () => {
    database = await createTestDatabase('transient');
  });

  after(() => database?.drop());

  const failure = async (url: string, sql: string, params: unknown[] = []): Promise<unknown> => {
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      await client.query(sql, params);
    } catch (error: unknown) {
      return error;
    } finally {
      await client.end().catch(() => undefined);
    }
    assert.fail(`expected ${sql} to fail`);
  };

  it('calls a record PostgreSQL refuses permanent: U+0000 in jsonb, NUL in text, a value out of range', async () => {
    assert.equal(isTransientFailure(await failure(database.url, `SELECT $1::jsonb`, [JSON.stringify({ a: 'x\u0000y' })])), false);
    assert.equal(isTransientFailure(await failure(database.url, `SELECT $1::text`, ['x\u0000y'])), false);
    assert.equal(isTransientFailure(await failure(database.url, `SELECT 2147483648::int4`)), false);
  });

  it('calls an unreachable server, a missing database and a refused connection transient', async () => {
    assert.equal(isTransientFailure(await failure('postgres://postgres@127.0.0.1:1/liaison', 'SELECT 1')), true);
    const missing = new URL(database.url);
    missing.pathname = `/liaison_missing_${uniqueSuffix()}`;
    assert.equal(isTransientFailure(await failure(missing.toString(), 'SELECT 1')), true);
    const name = new URL(database.url).pathname.slice(1);
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    try {
      const backend = new Client({ connectionString: database.url });
      await backend.connect();
      const ended = new Promise<unknown>((resolve) => backend.on('error', resolve));
      const [{ pid }] = (await backend.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [{ pid: number }];
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      assert.equal(isTransientFailure(await ended), true, 'a terminated session (57P01)');
      await backend.end().catch(() => undefined);
      assert.equal(isTransientFailure(await failure(database.url, `SELECT 1 FROM "${name}_no_such_table"`)), false);
    } finally {
      await admin.end();
    }
  });

  it('honours the retriable flag of an error that states it', () => {
    assert.equal(isTransientFailure(Object.assign(new Error('quota'), { retriable: true })), true);
    assert.equal(isTransientFailure(Object.assign(new Error('bad'), { retriable: false })), false);
    assert.equal(isTransientFailure(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) })), true);
  });
});
