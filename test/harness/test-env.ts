import { randomBytes } from 'node:crypto';
import { DEFAULT_DATABASE_URL } from '@liaison/config';
import { DATABASE_SERVICES, dropDatabase, migrate, serviceDatabaseUrl, withDatabase, type DatabaseService } from '@liaison/persistence';

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
  /** The provisioning login (a superuser here): for tests that inspect or tamper with the database. */
  url: string;
  /** What each service connects with: its own role, with the password this database gave it. */
  serviceUrl(service: DatabaseService): string;
  /** The service roles' passwords, for tests that check no secret is ever printed. */
  passwords: Readonly<Record<DatabaseService, string>>;
  drop(): Promise<void>;
}

/**
 * Creates and migrates a database of its own for one suite, with its own roles (random passwords,
 * which a trust-auth server ignores and a password-auth one checks); `drop()` leaves nothing behind.
 */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const base = process.env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL;
  const url = withDatabase(base, `liaison_test_${label}_${uniqueSuffix()}`);
  const passwords = Object.fromEntries(DATABASE_SERVICES.map((s) => [s, `pw-${s}-${randomBytes(12).toString('hex')}`])) as Record<
    DatabaseService,
    string
  >;
  await migrate(url, { passwords });
  return { url, passwords, serviceUrl: (service) => serviceDatabaseUrl(url, service, passwords[service]), drop: () => dropDatabase(url) };
}
