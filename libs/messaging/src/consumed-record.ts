import type { KafkaMessage } from 'kafkajs';

/** A record as a Liaison consumer sees it; headers are already decoded to strings. */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  timestamp: string;
}

export function toConsumedRecord(topic: string, partition: number, message: KafkaMessage): ConsumedRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value === undefined) continue;
    // A repeated header is kept as the last value; decoders that care reject records with repeats.
    headers[name] = (Array.isArray(value) ? (value[value.length - 1] ?? '') : value).toString();
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    value: message.value,
    headers,
    timestamp: message.timestamp,
  };
}
