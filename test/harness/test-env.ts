import { randomBytes } from 'node:crypto';
import { DEFAULT_DATABASE_URL } from '@liaison/config';
import { dropDatabase, migrate, withDatabase } from '@liaison/persistence';

/** Set by test/run.ts: the `security/` directory (CA, SCRAM passwords, signing key) of the run's Kafka. */
export const KAFKA_SECURITY_DIR_VARIABLE = 'LIAISON_KAFKA_SECURITY_DIR';

/** Set by test/run.ts once it has chosen and started the Kafka cluster for the whole run. */
export function testBrokers(): string {
  const brokers = process.env['KAFKA_BROKERS'];
  if (brokers === undefined || brokers === '') {
    throw new Error('KAFKA_BROKERS is not set: run the tests with `npm test`, which starts Kafka (or set KAFKA_BROKERS to a cluster)');
  }
  return brokers;
}

/** A short random suffix for databases, topic namespaces and ORIs, so suites never collide. */
export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates and migrates a database of its own for one suite; `drop()` leaves nothing behind. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const base = process.env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL;
  const url = withDatabase(base, `liaison_test_${label}_${uniqueSuffix()}`);
  await migrate(url);
  return { url, drop: () => dropDatabase(url) };
}
