import type { Kafka } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  /** Defaults to the broker's default.replication.factor. */
  replicationFactor?: number;
  configEntries?: { name: string; value: string }[];
}

/**
 * Creates the topics that do not exist yet and waits for their leaders. Consumers must not start
 * before this: a topic auto-created under a running consumer yields "This server does not host
 * this topic-partition" errors in kafkajs.
 */
export async function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[]): Promise<void> {
  if (specs.length === 0) return;
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.topic));
    if (missing.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((s) => ({
        topic: s.topic,
        numPartitions: s.numPartitions,
        replicationFactor: s.replicationFactor ?? -1,
        configEntries: s.configEntries ?? [],
      })),
    });
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
