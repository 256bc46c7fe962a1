import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { DurableProducer, ensureTopics } from '@liaison/messaging';
import { startKafka, type RunningKafka } from '../../tools/kafka/cluster';
import { collect, expectEventually, recordCount } from '@liaison/testing';

/** Ports of this suite's own cluster, clear of the run's test broker (29092) and `npm start` (19092). */
// Below the kernel's ephemeral range (32768+), so an outgoing connection can never hold one of them.
const BASE_PORT = Number(process.env['LIAISON_TEST_CLUSTER_PORT'] ?? 29192);

async function produce(kafka: Kafka, topic: string, values: string[]): Promise<void> {
  // A killed leader stays listed until the controller fences it (~6 s here); retry for longer than that.
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 15, maxRetryTime: 2_000 } });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: values.map((value, i) => ({ key: `k${i % 5}`, value })) });
  } finally {
    await producer.disconnect();
  }
}

describe('the project-started three-node Kafka cluster (tools/kafka)', () => {
  let cluster: RunningKafka;
  let kafka: Kafka;
  let dataDir: string;
  const topic = 'replicated-3';

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'liaison-kafka-3n-'));
    cluster = await startKafka({ nodes: 3, dataDir, basePort: BASE_PORT, heapMb: 384 });
    // The bootstrap admin over TLS + SCRAM: the cluster is secured like every other.
    kafka = new Kafka({
      clientId: 'kafka-cluster-test',
      brokers: cluster.brokers,
      logLevel: logLevel.NOTHING,
      ...cluster.clientSecurity(),
    });
  });

  after(async () => {
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('forms a quorum of three brokers', async () => {
    assert.equal(cluster.brokers.length, 3);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { brokers } = await admin.describeCluster();
      assert.equal(brokers.length, 3);
    } finally {
      await admin.disconnect();
    }
  });

  it('replicates a topic three ways with min.insync.replicas=2', async () => {
    await ensureTopics(kafka, [{ topic, numPartitions: 3, replicationFactor: 3 }]);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      for (const partition of metadata.topics[0]?.partitions ?? []) assert.equal(partition.replicas.length, 3);
      const config = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['min.insync.replicas'] }],
      });
      assert.equal(config.resources[0]?.configEntries.find((e) => e.configName === 'min.insync.replicas')?.configValue, '2');
    } finally {
      await admin.disconnect();
    }
    await produce(kafka, topic, ['a1', 'a2', 'a3']);
  });

  it('keeps accepting acks=all writes, and serving every record, with one broker killed', async () => {
    await cluster.kill(0);
    // Until the controller fences the dead broker, metadata still names it, and a client that picks
    // it to connect gets ECONNREFUSED before the write is attempted: such a refusal wrote nothing, so
    // the client retries, as a real producer would.
    await expectEventually(() => produce(kafka, topic, ['b1', 'b2', 'b3']), { timeoutMs: 60_000, intervalMs: 500 });
    const reader = await expectEventually(() => collect(kafka, [topic]), { timeoutMs: 60_000, intervalMs: 500 });
    try {
      await expectEventually(
        // A retried produce may repeat a record (at least once); what matters is that none is missing.
        () => assert.deepEqual([...new Set(reader.records.map((r) => r.value?.toString()))].sort(), ['a1', 'a2', 'a3', 'b1', 'b2', 'b3']),
        {
          timeoutMs: 60_000,
        },
      );
    } finally {
      await reader.stop();
    }
    await cluster.restart(0);
  });

  it('keeps every acknowledged record when the leader of the partitions being written is killed mid-send', async () => {
    // kafkajs 2.2.4 could resolve a send whose partitions moved to a broker that had already answered
    // without ever writing them (docs/stack-notes.md); patches/kafkajs+2.2.4.patch fixes it.
    const acked = 'acked-under-leader-kill';
    const partitions = 6;
    await ensureTopics(kafka, [{ topic: acked, numPartitions: partitions, replicationFactor: 3 }]);
    const admin = kafka.admin();
    await admin.connect();
    // A topic just created may not be in every broker's metadata yet (kafkajs#1563): ask until it is.
    const leaders = await expectEventually(
      async () => {
        const metadata = await admin.fetchTopicMetadata({ topics: [acked] });
        assert.equal(metadata.topics[0]?.partitions.length, partitions, 'every partition of the new topic has metadata');
        return metadata;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    ).finally(() => admin.disconnect());
    const leaderOfFirst = leaders.topics[0]?.partitions.find((p) => p.partitionId === 0)?.leader;
    // tools/kafka numbers node i as broker i + 1.
    const victim = (leaderOfFirst ?? 0) - 1;
    assert.ok(victim >= 0 && victim < cluster.brokers.length, `partition 0 has a leader among the nodes (${String(leaderOfFirst)})`);
    // The services' own producer (acks=all, idempotent) on a client with the services' retry settings.
    const client = new Kafka({
      clientId: 'acked-under-leader-kill',
      brokers: cluster.brokers.filter((_, i) => i !== victim),
      logLevel: logLevel.NOTHING,
      retry: { initialRetryTime: 100, retries: 10, maxRetryTime: 5_000 },
      ...cluster.clientSecurity(),
    });
    const producers = Array.from({ length: 4 }, () => new DurableProducer(client));
    await Promise.all(producers.map((p) => p.connect()));
    const acknowledged: string[] = [];
    let refused = 0;
    let sent = 0;
    let killedAt: number | undefined;
    const sendUntil = async (producer: DurableProducer, w: number): Promise<void> => {
      for (let n = 0; killedAt === undefined || Date.now() - killedAt < 12_000; n++) {
        // One record per partition in every send, so each send spans every broker.
        const values = Array.from({ length: partitions * 2 }, (_, i) => `w${w}-s${n}-m${i}`);
        sent += values.length;
        try {
          await producer.send(values.map((value, i) => ({ topic: acked, key: `k${i}`, value: Buffer.from(value), headers: {} })));
          acknowledged.push(...values);
        } catch {
          refused += values.length;
        }
      }
    };
    try {
      const sending = producers.map((p, w) => sendUntil(p, w));
      await expectEventually(() => assert.ok(acknowledged.length >= 2_000), { timeoutMs: 60_000 });
      await cluster.kill(victim);
      killedAt = Date.now();
      await Promise.all(sending);
    } finally {
      await Promise.all(producers.map((p) => p.disconnect()));
    }
    assert.ok(acknowledged.length > 2_000, `sent ${sent}, acknowledged ${acknowledged.length}, refused ${refused}`);
    const survivors = new Kafka({
      clientId: 'acked-reader',
      brokers: cluster.brokers.filter((_, i) => i !== victim),
      logLevel: logLevel.NOTHING,
      ...cluster.clientSecurity(),
    });
    const reader = await expectEventually(() => collect(survivors, [acked]), { timeoutMs: 60_000, intervalMs: 500 });
    try {
      const total = await recordCount(survivors, acked);
      await expectEventually(() => assert.equal(reader.records.length, total), { timeoutMs: 60_000 });
      const onTopic = new Set(reader.records.map((r) => r.value?.toString()));
      const lost = acknowledged.filter((v) => !onTopic.has(v));
      console.log(
        `[leader kill] sent ${sent}, acknowledged ${acknowledged.length}, refused ${refused}, on topic ${total}, lost ${lost.length}`,
      );
      assert.deepEqual(lost.slice(0, 20), [], `${lost.length} of ${acknowledged.length} acknowledged records are not on the topic`);
    } finally {
      await reader.stop();
    }
    await cluster.restart(victim);
  });
});
