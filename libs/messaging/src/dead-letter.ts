import type { ConsumedRecord } from './consumed-record';
import type { OutgoingRecord } from './durable-producer';

/** Header names on dead-letter records. The original headers are kept beside them. */
export const DEAD_LETTER_HEADERS = {
  reason: 'liaison-dlq-reason',
  topic: 'liaison-dlq-topic',
  partition: 'liaison-dlq-partition',
  offset: 'liaison-dlq-offset',
  consumer: 'liaison-dlq-consumer',
  at: 'liaison-dlq-at',
} as const;

/**
 * Wraps a record a consumer could not process into a record for the dead-letter topic: the same
 * key, value and headers, plus where it came from, who gave up on it, and why.
 */
export function toDeadLetter(deadLetterTopic: string, record: ConsumedRecord, reason: string, consumer: string, now: Date): OutgoingRecord {
  return {
    topic: deadLetterTopic,
    key: record.key ?? `${record.topic}/${record.partition}/${record.offset}`,
    value: record.value ?? Buffer.alloc(0),
    headers: {
      ...record.headers,
      [DEAD_LETTER_HEADERS.reason]: reason.slice(0, 2_000),
      [DEAD_LETTER_HEADERS.topic]: record.topic,
      [DEAD_LETTER_HEADERS.partition]: String(record.partition),
      [DEAD_LETTER_HEADERS.offset]: record.offset,
      [DEAD_LETTER_HEADERS.consumer]: consumer,
      [DEAD_LETTER_HEADERS.at]: now.toISOString(),
    },
  };
}
