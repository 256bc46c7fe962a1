import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DATABASE_SERVICES, serviceRoleName, type DatabaseService } from '../database-roles';

type Privilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

/**
 * What each service does to each table, read from its repositories' statements. Anything not listed
 * is refused; nobody but the owner may UPDATE, DELETE or TRUNCATE `audit_log`, `dissemination` or
 * `delivery_attempt` (the records of who did and received what). Later migrations grant their own
 * tables; nothing is granted by default.
 */
const GRANTS: Record<DatabaseService, Record<string, Privilege[]>> = {
  // Verifies agency keys.
  gateway: {
    agency: ['SELECT'],
    api_key: ['SELECT'],
    // Every service counts its requests in the shared rate-limit windows and forgets expired ones (ADR 0029).
    rate_limit_counter: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  },
  // Writes the ledger's decisions and the routed events; reads its configuration from Kafka.
  router: {
    dissemination: ['INSERT'],
    routed_event: ['INSERT'],
    rate_limit_counter: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  },
  // Verifies consumer keys, stores copies, runs webhook deliveries, writes the delivery ledger.
  delivery: {
    agency: ['SELECT'],
    api_key: ['SELECT'],
    subscription: ['SELECT', 'UPDATE'],
    inbox_event: ['SELECT', 'INSERT'],
    webhook_delivery: ['SELECT', 'INSERT', 'UPDATE'],
    delivery_attempt: ['INSERT'],
    rate_limit_counter: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  },
  // The management API: configuration, accounts, sessions, subscriptions, the audit trail, and reads of the ledger.
  admin: {
    agency: ['SELECT', 'INSERT', 'UPDATE'],
    api_key: ['SELECT', 'INSERT', 'UPDATE'],
    feed: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
    sharing_group: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
    sharing_group_member: ['SELECT', 'INSERT', 'DELETE'],
    sharing_policy: ['SELECT', 'INSERT', 'UPDATE'],
    // The relay marks rows published and forgets old ones; LOCK … EXCLUSIVE needs UPDATE.
    outbox: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
    operator_account: ['SELECT', 'INSERT', 'UPDATE'],
    session: ['SELECT', 'INSERT', 'UPDATE'],
    // Appends (the chain trigger does the rest as the owner) and verifies; the head is read to find a cut-off tail.
    audit_log: ['SELECT', 'INSERT'],
    audit_log_head: ['SELECT'],
    subscription: ['SELECT', 'INSERT', 'UPDATE'],
    // Replays requeue deliveries (INSERT … ON CONFLICT DO UPDATE) from the agency's stored copies.
    webhook_delivery: ['SELECT', 'INSERT', 'UPDATE'],
    inbox_event: ['SELECT'],
    dissemination: ['SELECT'],
    delivery_attempt: ['SELECT'],
    routed_event: ['SELECT'],
    rate_limit_counter: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  },
};

/**
 * bigserial columns draw from a sequence, which needs its own grant (identity columns do not).
 * `audit_log` ids are drawn by its chain trigger, as the owner.
 */
const SEQUENCES: Partial<Record<DatabaseService, string[]>> = {
  admin: ['outbox_id_seq'],
};

/**
 * Each service connects as its own role with only the grants it needs (docs/adr/0031). The roles
 * exist already (provisioned with the database, see data-source.ts); this migration, run as the
 * owner, closes the database to PUBLIC and grants per table.
 */
export class ServiceRoles1764220001000 implements MigrationInterface {
  name = 'ServiceRoles1764220001000';

  async up(q: QueryRunner): Promise<void> {
    const database = await currentDatabase(q);
    const role = (service: DatabaseService): string => quoteIdent(serviceRoleName(database, service));
    // New databases let PUBLIC connect and create temporary tables; only the services may connect.
    await q.query(`REVOKE ALL ON DATABASE ${quoteIdent(database)} FROM PUBLIC`);
    await q.query(`REVOKE ALL ON SCHEMA public FROM PUBLIC`);
    for (const service of DATABASE_SERVICES) {
      await q.query(`GRANT CONNECT ON DATABASE ${quoteIdent(database)} TO ${role(service)}`);
      await q.query(`GRANT USAGE ON SCHEMA public TO ${role(service)}`);
      for (const [table, privileges] of Object.entries(GRANTS[service])) {
        await q.query(`GRANT ${privileges.join(', ')} ON TABLE ${quoteIdent(table)} TO ${role(service)}`);
      }
      for (const sequence of SEQUENCES[service] ?? []) {
        await q.query(`GRANT USAGE ON SEQUENCE ${quoteIdent(sequence)} TO ${role(service)}`);
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    const database = await currentDatabase(q);
    for (const service of DATABASE_SERVICES) {
      const role = quoteIdent(serviceRoleName(database, service));
      await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${role}`);
      await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${role}`);
      await q.query(`REVOKE ALL ON SCHEMA public FROM ${role}`);
      await q.query(`REVOKE ALL ON DATABASE ${quoteIdent(database)} FROM ${role}`);
    }
    await q.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${quoteIdent(database)} TO PUBLIC`);
    await q.query(`GRANT USAGE ON SCHEMA public TO PUBLIC`);
  }
}

async function currentDatabase(q: QueryRunner): Promise<string> {
  const rows = (await q.query('SELECT current_database() AS name')) as { name: string }[];
  const name = rows[0]?.name;
  if (name === undefined) throw new Error('no current database');
  return name;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
