/**
 * The PostgreSQL roles of one Liaison database, and the one rule that names them: each database
 * `<db>` has an owner `<db>_owner` (NOLOGIN; migrations run as it) and one login role per service,
 * `<db>_gateway`, `<db>_router`, `<db>_delivery`, `<db>_admin`, each granted only what that service
 * does (migrations hold the grants). Roles are per database, not per cluster, so suites that each
 * make a database never share, race over or reach each other's roles (docs/adr/0031).
 */
export const DATABASE_SERVICES = ['gateway', 'router', 'delivery', 'admin'] as const;
export type DatabaseService = (typeof DATABASE_SERVICES)[number];

/** PostgreSQL truncates longer identifiers silently, which could make two roles one. */
const MAX_IDENTIFIER_BYTES = 63;

/** The owner role of `database`: owns every table and runs the migrations; nobody logs in as it. */
export function ownerRoleName(database: string): string {
  return checked(`${database}_owner`);
}

/** The login role `service` connects to `database` as. */
export function serviceRoleName(database: string, service: DatabaseService): string {
  return checked(`${database}_${service}`);
}

/** The database named by a postgres:// URL. */
export function databaseNameOf(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (name === '') throw new Error('the database URL must name a database');
  return name;
}

/**
 * The URL `service` connects with: the server and database of `url` (the provisioning URL), as the
 * service's own role, with `password` when the server asks for one (trust auth on a laptop does not).
 */
export function serviceDatabaseUrl(url: string, service: DatabaseService, password?: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(serviceRoleName(databaseNameOf(url), service));
  parsed.password = password === undefined || password === '' ? '' : encodeURIComponent(password);
  return parsed.toString();
}

/**
 * Service role passwords from the environment (`GATEWAY_DATABASE_PASSWORD`, …), for the launcher
 * and the one-shot migration of a deployment whose server authenticates by password.
 */
export function servicePasswordsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<Record<DatabaseService, string>> {
  const passwords: Partial<Record<DatabaseService, string>> = {};
  for (const service of DATABASE_SERVICES) {
    const value = env[`${service.toUpperCase()}_DATABASE_PASSWORD`];
    if (value !== undefined && value !== '') passwords[service] = value;
  }
  return passwords;
}

function checked(role: string): string {
  if (Buffer.byteLength(role) > MAX_IDENTIFIER_BYTES) {
    throw new Error(`database role name "${role}" is longer than ${MAX_IDENTIFIER_BYTES} bytes: use a shorter database name`);
  }
  return role;
}
