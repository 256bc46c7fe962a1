import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { ensureTopics } from '@liaison/messaging';
import { startKafka, type RunningKafka } from '../../tools/kafka/cluster';
import { collect, expectEventually } from '@liaison/testing';

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
});
