import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { DATABASE_SERVICES, databaseNameOf, ownerRoleName, serviceRoleName, type DatabaseService } from './database-roles';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface DataSourceOptions {
  /**
   * A role to assume for the whole session (`SET ROLE` at connection start). The migrations use
   * it to run as the database's owner over the provisioning login.
   */
  role?: string;
}

/** Builds (without connecting) the DataSource every service and the migration CLI use. */
export function createDataSource(url: string, applicationName = 'liaison', options: DataSourceOptions = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    applicationName,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    // Services hold no right to create extensions, and no migration needs one (gen_random_uuid is built in).
    installExtensions: false,
    // Never log queries: their parameters can hold digests and sealed secrets (docs/security.md).
    logging: false,
    extra: {
      max: 10,
      connectionTimeoutMillis: 5_000,
      ...(options.role === undefined ? {} : { options: `-c role=${options.role}` }),
    },
  });
}

/** Serialises provisioning across processes: roles are cluster-wide, and CREATE/ALTER ROLE race. */
const PROVISION_LOCK_KEY = 7_316_220_031;
/** Serialises migration runs on one database (taken in that database, so per database). */
const MIGRATE_LOCK_KEY = 7_316_220_032;

export interface MigrateOptions {
  /** Passwords to set on the service roles (for servers that authenticate by password). */
  passwords?: Partial<Record<DatabaseService, string>>;
}

/**
 * Provisions what one database needs at cluster level, as the (privileged) user of `url`: the
 * owner and service roles (created if missing, passwords set when given) and the database, owned by
 * its owner role. Idempotent, and safe to run from several processes at once.
 */
export async function provisionDatabase(url: string, options: MigrateOptions = {}): Promise<void> {
  const name = databaseNameOf(url);
  const owner = ownerRoleName(name);
  const client = new Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    // Advisory locks are per database: every provisioner meets in `postgres`, so this serialises them.
    await client.query('SELECT pg_advisory_lock($1)', [PROVISION_LOCK_KEY]);
    await createRole(client, owner, 'NOLOGIN');
    for (const service of DATABASE_SERVICES) {
      const role = serviceRoleName(name, service);
      await createRole(client, role, 'LOGIN');
      const password = options.passwords?.[service];
      // A literal, never a logged parameter: utility statements take no bind parameters.
      if (password !== undefined)
        await client.query(`ALTER ROLE ${client.escapeIdentifier(role)} PASSWORD ${client.escapeLiteral(password)}`);
    }
    const me = await client.query<{ superuser: boolean }>('SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user');
    // A non-superuser provisioner (CREATEROLE + CREATEDB) must be a member of the owner to migrate as it.
    if (me.rows[0]?.superuser !== true) await client.query(`GRANT ${client.escapeIdentifier(owner)} TO CURRENT_USER`);
    const found = await client.query<{ owner: string }>('SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1', [
      name,
    ]);
    if (found.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} OWNER ${client.escapeIdentifier(owner)}`);
      } catch (error: unknown) {
        // Another tool racing to create the same database: the loser sees 42P04 (duplicate_database).
        if (sqlState(error) !== '42P04') throw error;
      }
    } else if (found.rows[0]?.owner !== owner) {
      await client.query(`ALTER DATABASE ${client.escapeIdentifier(name)} OWNER TO ${client.escapeIdentifier(owner)}`);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PROVISION_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
  await adoptTables(url, owner);
}

/**
 * A database made before roles existed has its tables owned by the provisioning user; hand them
 * to the owner so that migrations, run as the owner, can change them.
 */
async function adoptTables(url: string, owner: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const foreign = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND pg_get_userbyid(c.relowner) <> $1`,
      [owner],
    );
    for (const { name } of foreign.rows) {
      await client.query(`ALTER TABLE public.${client.escapeIdentifier(name)} OWNER TO ${client.escapeIdentifier(owner)}`);
    }
  } finally {
    await client.end();
  }
}

async function createRole(client: Client, role: string, login: 'LOGIN' | 'NOLOGIN'): Promise<void> {
  const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  if (exists.rowCount !== 0) return;
  try {
    await client.query(`CREATE ROLE ${client.escapeIdentifier(role)} ${login} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION`);
  } catch (error: unknown) {
    // Created meanwhile by a provisioner that does not take the lock: 42710 duplicate_object, or 23505 on pg_authid.
    if (sqlState(error) !== '42710' && sqlState(error) !== '23505') throw error;
  }
}

/** Drops the database named in `url` and its roles, disconnecting its sessions (tests leave nothing behind). */
export async function dropDatabase(url: string): Promise<void> {
  const name = databaseNameOf(url);
  const client = new Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
    for (const role of [...DATABASE_SERVICES.map((s) => serviceRoleName(name, s)), ownerRoleName(name)]) {
      await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(role)}`);
    }
  } finally {
    await client.end();
  }
}

/**
 * Provisions the database (roles, database) and applies every pending migration as its owner
 * role; returns the names applied. `url` is the provisioning login: a superuser, or a role with
 * CREATEROLE and CREATEDB.
 */
export async function migrate(url: string, options: MigrateOptions = {}): Promise<string[]> {
  await provisionDatabase(url, options);
  // TypeORM does not serialise migration runs: two at once would both apply the first pending one.
  const lock = new Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATE_LOCK_KEY]);
    const dataSource = createDataSource(url, 'liaison-migrate', { role: ownerRoleName(databaseNameOf(url)) });
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await lock.end();
  }
}

/** Returns `url` with its database replaced by `database`. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function sqlState(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}
