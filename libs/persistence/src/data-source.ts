import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** Builds (without connecting) the DataSource every service and the migration CLI use. */
export function createDataSource(url: string, applicationName = 'liaison'): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    applicationName,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    // A connection attempt gives up after 3 s, so with the consumers' 2 s back-off cap work resumes
    // within 5 s of the database returning, even from a network that dropped packets (ADR 0033).
    extra: { max: 10, connectionTimeoutMillis: 3_000 },
  });
}

/** Creates the database named in `url` if it does not exist yet. */
export async function ensureDatabase(url: string): Promise<void> {
  const { name, maintenanceUrl } = splitDatabaseUrl(url);
  const client = new Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
  } catch (error: unknown) {
    // Two processes racing to create the same database: the loser sees 42P04 (duplicate_database).
    if (!(error instanceof Error && 'code' in error && error.code === '42P04')) throw error;
  } finally {
    await client.end();
  }
}

/** Drops the database named in `url`, disconnecting its sessions (tests use it to leave nothing behind). */
export async function dropDatabase(url: string): Promise<void> {
  const { name, maintenanceUrl } = splitDatabaseUrl(url);
  const client = new Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Ensures the database exists and applies every pending migration; returns the names applied. */
export async function migrate(url: string): Promise<string[]> {
  await ensureDatabase(url);
  const dataSource = createDataSource(url, 'liaison-migrate');
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}

/** Returns `url` with its database replaced by `database`. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function splitDatabaseUrl(url: string): { name: string; maintenanceUrl: string } {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (name === '') throw new Error('DATABASE_URL must name a database');
  return { name, maintenanceUrl: withDatabase(url, 'postgres') };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
