/**
 * Tells infrastructure trouble (a database or broker that is down, restarting, overloaded or out of
 * reach: it passes, and retrying the same work later succeeds) from a failure of the work itself (a
 * record PostgreSQL refuses, a bug hit by one event: retrying it gives the same answer). Consumers
 * keep retrying the first kind and isolate the record for the second (docs/adr/0032); the HTTP
 * services answer the first kind with 503 and Retry-After instead of 500.
 */
export function isTransientFailure(error: unknown): boolean {
  return transient(error, 0);
}

/**
 * SQLSTATE classes and codes that describe the server or the connection, not the statement's data:
 * 08 connection exception, 53 insufficient resources, 57P0x shutdown / cannot connect now, 58
 * system (I/O) error, 28 and 3D the role or database is missing or refused (an operator's
 * change, not the record's), 40001/40P01 serialization failure and deadlock, 55P03 lock not
 * available, 57014 statement cancelled (a timeout under load), 42501 a privilege revoked.
 */
const TRANSIENT_SQLSTATE_CLASSES = ['08', '53', '58', '28', '3D'];
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03', '57P04', '57P05', '40001', '40P01', '55P03', '57014', '42501']);

/** Socket and DNS failures reported by Node (also inside pg and kafkajs errors). */
const TRANSIENT_SYSTEM_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Messages of the pg pool and client, and of TypeORM, that carry no code (a connection lost, a pool
 * that could not connect in time, a data source not connected), or whose code is too general to
 * go by (55000 for a database closed to connections).
 */
const TRANSIENT_MESSAGES =
  /connection terminated|is not currently accepting connections|timeout exceeded when trying to connect|not queryable|connection timeout|Connection is not established|Driver not Connected/i;

/** Kafka protocol errors that are about the records sent, not the cluster: the only Kafka errors a record can cause. */
const RECORD_KAFKA_ERRORS = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'CORRUPT_MESSAGE',
  'INVALID_RECORD',
  'INVALID_TIMESTAMP',
]);

function transient(error: unknown, depth: number): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  const name = stringMember(error, 'name') ?? '';
  const code = stringMember(error, 'code');
  const type = stringMember(error, 'type');
  if (name.startsWith('KafkaJS')) {
    // Every kafkajs failure is about the cluster (connections, leaders, coordinators, timeouts,
    // authorisation, retries given up) except a handful about the records themselves.
    if (type !== undefined && RECORD_KAFKA_ERRORS.has(type)) return false;
    return !causes(error).some((cause) => isRecordKafkaError(cause));
  }
  if (TRANSIENT_MESSAGES.test(stringMember(error, 'message') ?? '')) return true;
  if (code !== undefined) {
    if (TRANSIENT_SYSTEM_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code)) return TRANSIENT_SQLSTATES.has(code) || TRANSIENT_SQLSTATE_CLASSES.includes(code.slice(0, 2));
  }
  const driverError = member(error, 'driverError');
  if (driverError !== undefined) return transient(driverError, depth + 1);
  const retriable = member(error, 'retriable');
  if (typeof retriable === 'boolean') return retriable;
  return causes(error).some((cause) => transient(cause, depth + 1));
}

function isRecordKafkaError(error: unknown): boolean {
  const type = typeof error === 'object' && error !== null ? stringMember(error, 'type') : undefined;
  return type !== undefined && RECORD_KAFKA_ERRORS.has(type);
}

/** The errors an error wraps: `cause`, and the members of an AggregateError. */
function causes(error: object): unknown[] {
  const found: unknown[] = [];
  const cause = member(error, 'cause');
  if (cause !== undefined && cause !== error) found.push(cause);
  const errors = member(error, 'errors');
  if (Array.isArray(errors)) found.push(...(errors as unknown[]));
  return found;
}

function member(value: object, key: string): unknown {
  return (value as Record<string, unknown>)[key];
}

function stringMember(value: object, key: string): string | undefined {
  const found = member(value, key);
  return typeof found === 'string' ? found : undefined;
}
