import type { Kafka } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  /** Defaults to the broker's default.replication.factor. */
  replicationFactor?: number;
  configEntries?: { name: string; value: string }[];
}

/**
 * Creates the topics that do not exist yet and waits until every partition of every named topic has
 * a leader, as seen by two consecutive metadata requests. Consumers must not start before this: a
 * topic created under a running consumer yields "This server does not host this topic-partition".
 * kafkajs' own `waitForLeaders` asks one broker, which on KRaft may not know the topic yet and fails
 * with the same error (kafkajs#1563, #815), hence the polling.
 */
export async function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[], timeoutMs = 30_000): Promise<void> {
  if (specs.length === 0) return;
  const deadline = Date.now() + timeoutMs;
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.topic));
    if (missing.length > 0) {
      // Resolves false for a topic another process created meanwhile; that is fine.
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((s) => ({
          topic: s.topic,
          numPartitions: s.numPartitions,
          replicationFactor: s.replicationFactor ?? -1,
          configEntries: s.configEntries ?? [],
        })),
      });
    }
    const names = specs.map((s) => s.topic);
    let confirmations = 0;
    let last = 'no metadata yet';
    while (confirmations < 2) {
      if (Date.now() > deadline) throw new Error(`topics ${names.join(', ')} have no leaders after ${timeoutMs} ms: ${last}`);
      try {
        const metadata = await admin.fetchTopicMetadata({ topics: names });
        const ready =
          metadata.topics.length === names.length &&
          metadata.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
        confirmations = ready ? confirmations + 1 : 0;
        last = ready ? '' : 'some partitions have no leader';
      } catch (error: unknown) {
        confirmations = 0;
        last = error instanceof Error ? error.message : String(error);
      }
      await new Promise((r) => setTimeout(r, confirmations > 0 ? 100 : 250));
    }
  } finally {
    await admin.disconnect();
  }
}

/** Names of existing topics for which `matches` holds, sorted. */
export async function listTopics(kafka: Kafka, matches: (topic: string) => boolean): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).filter(matches).sort();
  } finally {
    await admin.disconnect();
  }
}

/**
 * A compacted topic (cleanup.policy=compact): Kafka keeps at least the latest record of every key,
 * so a reader from the beginning always ends with every object's current state. Tombstones (null
 * values) stay `deleteRetentionMs` so lagging readers see deletions. One partition by default: one
 * order for everything.
 */
export function compactedTopic(topic: string, options: { numPartitions?: number; deleteRetentionMs?: number } = {}): TopicSpec {
  return {
    topic,
    numPartitions: options.numPartitions ?? 1,
    configEntries: [
      { name: 'cleanup.policy', value: 'compact' },
      { name: 'delete.retention.ms', value: String(options.deleteRetentionMs ?? 24 * 3_600_000) },
    ],
  };
}
