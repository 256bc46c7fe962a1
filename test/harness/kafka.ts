import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { toConsumedRecord, type ConsumedRecord } from '@liaison/messaging';
import { uniqueSuffix } from './test-env';

export function testKafka(brokers: string): Kafka {
  return new Kafka({ clientId: `liaison-test-${uniqueSuffix()}`, brokers: brokers.split(','), logLevel: logLevel.NOTHING });
}

/** Number of records ever written to a topic (sum of its partitions' high-water marks). */
export async function recordCount(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Reads topics from the beginning into an array, in a consumer group of its own. */
export async function collect(kafka: Kafka, topics: string[]): Promise<{ records: ConsumedRecord[]; stop: () => Promise<void> }> {
  const records: ConsumedRecord[] = [];
  const consumer: Consumer = kafka.consumer({ groupId: `liaison-test-collector-${uniqueSuffix()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ topic, partition, message }) => {
      records.push(toConsumedRecord(topic, partition, message));
      return Promise.resolve();
    },
  });
  return { records, stop: () => consumer.disconnect() };
}
