import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type Consumer, type KafkaConfig, type SASLOptions } from 'kafkajs';
import {
  BOOTSTRAP_ADMIN_PRINCIPAL,
  SERVICE_PRINCIPALS,
  toConsumedRecord,
  type ConsumedRecord,
  type LiaisonService,
} from '@liaison/messaging';
import { kafkaEnvFor, loadSecurityMaterial, serviceKafkaEnv, type SecurityMaterial } from '../../tools/kafka/cluster';
import { KAFKA_SECURITY_DIR_VARIABLE, uniqueSuffix } from './test-env';

let material: SecurityMaterial | undefined;

/** The run's Kafka CA, passwords and partner-token signing key. */
export function testKafkaSecurity(): SecurityMaterial {
  if (material === undefined) {
    const dir = process.env[KAFKA_SECURITY_DIR_VARIABLE];
    if (dir === undefined || dir === '') {
      throw new Error(`${KAFKA_SECURITY_DIR_VARIABLE} is not set: run the tests with \`npm test\`, which starts a secured Kafka`);
    }
    material = loadSecurityMaterial(dir);
  }
  return material;
}

/** SCRAM-SHA-512 as one of the cluster's principals (a service, or the bootstrap admin by default). */
export function scramAs(principal: string = BOOTSTRAP_ADMIN_PRINCIPAL): SASLOptions {
  const password = testKafkaSecurity().passwords[principal];
  if (password === undefined) throw new Error(`the test cluster has no SCRAM user ${principal}`);
  return { mechanism: 'scram-sha-512', username: principal, password };
}

export function serviceSasl(service: LiaisonService): SASLOptions {
  return scramAs(SERVICE_PRINCIPALS[service]);
}

export interface KafkaAsOptions {
  /** Default true: TLS trusting the cluster's CA. False: a plaintext connection (to prove it fails). */
  tls?: boolean;
  /** Client retries; 0 makes a refusal surface at once. kafkajs' default otherwise. */
  retries?: number;
}

/** `ssl` (trusting the run's CA) and `sasl` (none when undefined) for any kafkajs-based client (Nest's transport included). */
export function testClientSecurity(sasl: SASLOptions | undefined): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const security: Pick<KafkaConfig, 'ssl' | 'sasl'> = { ssl: { ca: [readFileSync(testKafkaSecurity().caFile, 'utf8')] } };
  if (sasl !== undefined) security.sasl = sasl;
  return security;
}

/** A kafkajs client authenticating with `sasl` (none when undefined), for tests that act as a given principal. */
export function kafkaAs(brokers: string, sasl: SASLOptions | undefined, options: KafkaAsOptions = {}): Kafka {
  const config: KafkaConfig = {
    clientId: `liaison-test-${uniqueSuffix()}`,
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    ...(options.tls === false ? (sasl === undefined ? {} : { sasl }) : testClientSecurity(sasl)),
  };
  if (options.retries !== undefined) config.retry = { retries: options.retries, initialRetryTime: 100, maxRetryTime: 500 };
  return new Kafka(config);
}

/** The test code's own client: the bootstrap admin (a super user), so tests can read and write any topic. */
export function testKafka(brokers: string): Kafka {
  return kafkaAs(brokers, scramAs());
}

/**
 * CommonConfig's Kafka variables for a service configured in-process by a test: as `service`'s
 * own principal, or the bootstrap admin when none is given.
 */
export function testKafkaEnv(service?: LiaisonService): Record<string, string> {
  const security = testKafkaSecurity();
  return service === undefined ? kafkaEnvFor(security, BOOTSTRAP_ADMIN_PRINCIPAL) : serviceKafkaEnv(security, service);
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
