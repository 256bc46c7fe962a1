import { CompressionTypes, Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';

export interface OutgoingRecord {
  topic: string;
  key: string;
  /** Null is a tombstone (compacted topics: the key's object is gone). */
  value: Buffer | null;
  headers: Record<string, string>;
}

/**
 * A producer whose every send is acknowledged by all in-sync replicas (acks=all) and idempotent,
 * so a retried send never writes a duplicate. It uses the Java client's murmur2 partitioner, so a
 * key lands on the same partition whichever client produced it.
 */
export class DurableProducer {
  private readonly producer: Producer;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  /** Sends all records in one request per broker; resolves once every one is durable. */
  async send(records: readonly OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    const byTopic = new Map<string, Message[]>();
    for (const r of records) {
      const messages = byTopic.get(r.topic) ?? [];
      messages.push({ key: r.key, value: r.value, headers: r.headers });
      byTopic.set(r.topic, messages);
    }
    await this.producer.sendBatch({
      acks: -1,
      compression: CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }
}
