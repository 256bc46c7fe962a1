/** Readiness: when a (re)started cluster really serves clients. */
import { Kafka, logLevel } from 'kafkajs';
import { sleep } from './processes';
import type { KafkaClientSecurity } from './security';

function parseBroker(b: string): { host: string; port: number } {
  const i = b.lastIndexOf(':');
  return { host: b.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(b.slice(i + 1)) };
}

async function probeOnce(brokers: string[], timeoutMs: number, security: KafkaClientSecurity): Promise<void> {
  const kafka = new Kafka({
    ...security,
    clientId: 'liaison-kafka-readiness',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: Math.min(3000, timeoutMs),
    requestTimeout: Math.min(5000, timeoutMs),
    retry: { retries: 0 },
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  let timer: NodeJS.Timeout | undefined;
  const work = (async () => {
    await admin.connect();
    const cluster = await admin.describeCluster();
    const ports = new Set(cluster.brokers.map((b) => b.port));
    const missing = brokers.filter((b) => !ports.has(parseBroker(b).port));
    if (missing.length > 0 || cluster.brokers.length < brokers.length) {
      throw new Error(`cluster reports ${cluster.brokers.length} broker(s); not yet registered: ${missing.join(', ')}`);
    }
    if (cluster.controller === null || cluster.controller < 0) throw new Error('no controller yet');
    await admin.fetchTopicMetadata(); // a real Metadata request for all topics
    // Consumer groups need the group coordinator, which first creates and loads __consumer_offsets
    // (kafkajs#1752): until it has, every service start logs "coordinator is loading" errors.
    // describeGroups throws (no retries here) while the coordinator is unavailable or loading.
    await admin.describeGroups(['liaison-readiness-probe']);
    // Idempotent producers ask for a producer id first, which needs the transaction coordinator.
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 500 },
    });
    await producer.connect();
    await producer.disconnect();
  })();
  try {
    await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`probe timed out after ${timeoutMs}ms`)), timeoutMs);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
    work.catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Resolves once the cluster really serves requests: describeCluster lists every broker in `brokers`
 * (matched by port) with a controller, and a Metadata request succeeds. Rejects after timeoutMs
 * with the last error (or soon after `signal` is aborted). On a secured cluster, `security` is how
 * the probe connects (a super user: it describes groups and asks for a producer id).
 */
export async function waitForKafka(
  brokers: string[],
  timeoutMs: number,
  options: { signal?: AbortSignal; security?: KafkaClientSecurity } = {},
): Promise<void> {
  const { signal, security = {} } = options;
  if (brokers.length === 0) throw new Error('waitForKafka: no brokers given');
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    if (signal?.aborted) throw new Error('waitForKafka: aborted');
    const left = deadline - Date.now();
    if (left <= 0) break;
    try {
      await probeOnce(brokers, Math.min(left, 10_000), security);
      return;
    } catch (err) {
      last = err;
    }
    await sleep(Math.min(500, Math.max(0, deadline - Date.now())));
  }
  throw new Error(`Kafka at ${brokers.join(',')} not ready after ${timeoutMs}ms: ${last instanceof Error ? last.message : String(last)}`);
}
