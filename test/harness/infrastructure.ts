import { Client } from 'pg';
import { join } from 'node:path';
import { DEFAULT_DATABASE_URL, redactUrl } from '@liaison/config';
import { loadSecurityMaterial, repoRoot, startKafka } from '../../tools/kafka/cluster';
import { KAFKA_SECURITY_DIR_VARIABLE } from './test-env';

/** Where the run's Kafka and PostgreSQL come from, and how to give them back. */
export interface Infrastructure {
  kafkaSource: 'KAFKA_BROKERS' | 'project-started Apache Kafka';
  brokers: string;
  /** The cluster's `security/` directory (CA, SCRAM passwords, signing key): tests reach Kafka with it. */
  kafkaSecurityDir: string;
  databaseUrl: string;
  release(): Promise<void>;
}

/**
 * Ports of the test cluster: away from the 19092 that `npm start` uses, so both can run at once.
 * LIAISON_TEST_KAFKA_PORT moves it, so two checkouts can run their suites side by side.
 */
export const TEST_KAFKA_BASE_PORT = Number(process.env['LIAISON_TEST_KAFKA_PORT'] ?? 29092);

/**
 * The one place that decides what the tests run against. KAFKA_BROKERS, when set, names a cluster
 * to use as is, secured with the material in LIAISON_KAFKA_SECURITY_DIR; otherwise the project
 * starts a real single-node Apache Kafka on the JVM, secured (TLS, SASL, ACLs) as always.
 * PostgreSQL is the server at DATABASE_URL (default: the local one); each suite makes its own
 * database there and drops it.
 */
export async function acquireInfrastructure(log: (line: string) => void): Promise<Infrastructure> {
  const databaseUrl = process.env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL;
  await checkPostgres(databaseUrl);
  const external = process.env['KAFKA_BROKERS'];
  if (external !== undefined && external !== '') {
    const kafkaSecurityDir = process.env[KAFKA_SECURITY_DIR_VARIABLE] ?? '';
    if (kafkaSecurityDir === '') {
      throw new Error(
        `KAFKA_BROKERS is set but ${KAFKA_SECURITY_DIR_VARIABLE} is not: ` +
          'name the security/ directory of that cluster ' +
          '(CA, credentials.json; see tools/kafka/security.ts), the tests connect only with TLS and SASL',
      );
    }
    loadSecurityMaterial(kafkaSecurityDir); // fails now, naming what is missing
    log(`Kafka: ${external} (KAFKA_BROKERS, security from ${kafkaSecurityDir})`);
    return { kafkaSource: 'KAFKA_BROKERS', brokers: external, kafkaSecurityDir, databaseUrl, release: () => Promise.resolve() };
  }
  const started = Date.now();
  const kafka = await startKafka({
    nodes: 1,
    dataDir: join(repoRoot(), '.liaison', 'test-kafka'),
    basePort: TEST_KAFKA_BASE_PORT,
    fresh: true,
    log,
  });
  log(`Kafka: started ${kafka.brokers.join(',')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return {
    kafkaSource: 'project-started Apache Kafka',
    brokers: kafka.brokers.join(','),
    kafkaSecurityDir: kafka.security.dir,
    databaseUrl,
    release: () => kafka.stop(),
  };
}

async function checkPostgres(url: string): Promise<void> {
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error: unknown) {
    throw new Error(
      `PostgreSQL is not reachable at ${redactUrl(url)} (${error instanceof Error ? error.message : String(error)}); start it or set DATABASE_URL`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
