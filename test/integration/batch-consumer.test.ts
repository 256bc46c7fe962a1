import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Kafka } from 'kafkajs';
import { BatchConsumer, ensureTopics, type ConsumedRecord } from '@liaison/messaging';
import { expectEventually, testBrokers, testKafka, uniqueSuffix } from '@liaison/testing';

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
    const consumer = new BatchConsumer(kafka, {
      groupId,
      topics: () => Promise.resolve([topic]),
      handler,
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
      await admin.disconnect();
    }
  });
});
