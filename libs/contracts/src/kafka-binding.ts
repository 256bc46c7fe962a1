import { ENVELOPE_ATTRIBUTES, type LiaisonEvent } from './envelope';

/** A Kafka record as the CloudEvents Kafka protocol binding (binary mode) lays it out. */
export interface BinaryKafkaRecord {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

export const CONTENT_TYPE_HEADER = 'content-type';
const CE_PREFIX = 'ce_';

/**
 * Encodes an event in binary mode: each context attribute becomes a `ce_` header, `data` is the
 * value, and the key is the subject so one incident's events share a partition.
 */
export function toBinaryRecord(event: LiaisonEvent): BinaryKafkaRecord {
  const headers: Record<string, string> = { [CONTENT_TYPE_HEADER]: event.datacontenttype ?? 'application/json' };
  for (const name of ENVELOPE_ATTRIBUTES) {
    if (name === 'datacontenttype') continue;
    const value = event[name];
    // An optional attribute given as null is absent (CloudEvents has no null attribute values).
    if (value !== undefined && value !== null) headers[`${CE_PREFIX}${name}`] = String(value);
  }
  return { key: event.subject, value: Buffer.from(JSON.stringify(event.data)), headers };
}

/** Why a Kafka record could not be read back as an event (before contract validation). */
export class UndecodableRecordError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * Decodes a binary-mode record into an untrusted plain envelope. The result must still go through
 * `validateEvent`; this only undoes the binding. Throws `UndecodableRecordError` on a broken record.
 */
export function fromBinaryRecord(record: {
  value: Buffer | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(record.headers ?? {})) {
    if (raw === undefined) continue;
    if (Array.isArray(raw)) throw new UndecodableRecordError(`header ${name} appears more than once`);
    const value = raw.toString();
    if (name === CONTENT_TYPE_HEADER) plain['datacontenttype'] = value;
    else if (name.startsWith(CE_PREFIX)) plain[name.slice(CE_PREFIX.length)] = value;
  }
  if (plain['datacontenttype'] !== 'application/json') {
    throw new UndecodableRecordError(`content-type must be application/json, got ${String(plain['datacontenttype'])}`);
  }
  if (record.value === null) throw new UndecodableRecordError('record has no value');
  try {
    plain['data'] = JSON.parse(record.value.toString('utf8')) as unknown;
  } catch {
    throw new UndecodableRecordError('record value is not valid JSON');
  }
  return plain;
}
