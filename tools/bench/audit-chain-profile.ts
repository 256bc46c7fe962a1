/**
 * `node dist/tools/bench/audit-chain-profile.js [rows] [writers]`: what the audit hash chain costs
 * (ADR 0031). Appends `rows` audit rows through AuditLogRepository as the admin role, one awaited
 * autocommitted append at a time and from `writers` connections at once, into the chained table
 * and into an unchained copy of it (same columns and indexes, no trigger), interleaved over rounds;
 * then times a verification walk. A diagnostic, not a benchmark with a target.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { DEFAULT_DATABASE_URL } from '@liaison/config';
import {
  AuditLogRepository,
  createDataSource,
  dropDatabase,
  migrate,
  ownerRoleName,
  serviceDatabaseUrl,
  serviceRoleName,
  withDatabase,
  type NewAuditRow,
} from '@liaison/persistence';

function row(i: number): NewAuditRow {
  return {
    actorKind: 'operator-account',
    actorId: 'e4b7c1f0-0000-4000-8000-000000000001',
    actorAgencyId: null,
    action: 'policy.update',
    objectType: 'sharing-policy',
    objectId: `policy-${i}`,
    agencyId: 'e4b7c1f0-0000-4000-8000-000000000002',
    before: { maxTlp: 'GREEN', eventTypes: ['gov.liaison.incident.reported.v1'], purpose: 'joint task force' },
    after: { maxTlp: 'AMBER', eventTypes: ['gov.liaison.incident.reported.v1'], purpose: 'joint task force' },
    outcome: 'success',
    reason: null,
    sourceIp: '10.0.0.7',
    requestId: randomBytes(8).toString('hex'),
  };
}

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 2_000);
  const writers = Number(process.argv[3] ?? 8);
  const rounds = 3;
  const url = withDatabase(process.env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL, `liaison_profile_${randomBytes(4).toString('hex')}`);
  await migrate(url);
  const name = new URL(url).pathname.slice(1);
  const owner = new Client({ connectionString: url, options: `-c role=${ownerRoleName(name)}` });
  await owner.connect();
  await owner.query(`CREATE TABLE audit_log_unchained (LIKE audit_log INCLUDING DEFAULTS INCLUDING INDEXES)`);
  await owner.query(`ALTER TABLE audit_log_unchained ALTER COLUMN prev_hash DROP NOT NULL, ALTER COLUMN hash DROP NOT NULL`);
  await owner.query(`CREATE SEQUENCE audit_log_unchained_id_seq OWNED BY audit_log_unchained.id`);
  await owner.query(`ALTER TABLE audit_log_unchained ALTER COLUMN id SET DEFAULT nextval('audit_log_unchained_id_seq')`);
  await owner.query(`GRANT SELECT, INSERT ON audit_log_unchained TO "${serviceRoleName(name, 'admin')}"`);
  await owner.query(`GRANT USAGE ON SEQUENCE audit_log_unchained_id_seq TO "${serviceRoleName(name, 'admin')}"`);
  await owner.end();
  const dataSource = await createDataSource(serviceDatabaseUrl(url, 'admin'), 'liaison-profile', {}).initialize();
  try {
    const chained = new AuditLogRepository(dataSource);
    // The same statement as the repository's, into the copy without the trigger.
    const unchained = {
      append: async (r: NewAuditRow): Promise<void> => {
        await dataSource.query(
          `INSERT INTO audit_log_unchained (actor_kind, actor_id, actor_agency_id, action, object_type, object_id, agency_id,
                                            before, after, outcome, reason, source_ip, request_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
          [
            r.actorKind,
            r.actorId,
            r.actorAgencyId,
            r.action,
            r.objectType,
            r.objectId,
            r.agencyId,
            JSON.stringify(r.before),
            JSON.stringify(r.after),
            r.outcome,
            r.reason,
            r.sourceIp,
            r.requestId,
          ],
        );
      },
    };
    const rate = async (append: (r: NewAuditRow) => Promise<void>, concurrency: number, count: number): Promise<number> => {
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < count) await append(row(next++));
        }),
      );
      return count / ((performance.now() - started) / 1000);
    };
    const results: Record<string, number[]> = {};
    const add = (label: string, value: number): void => {
      (results[label] ??= []).push(value);
    };
    await rate((r) => chained.append(r), 1, 100);
    await rate((r) => unchained.append(r), 1, 100);
    for (let round = 0; round < rounds; round += 1) {
      add('chained, 1 writer', await rate((r) => chained.append(r), 1, rows));
      add('unchained, 1 writer', await rate((r) => unchained.append(r), 1, rows));
      add(`chained, ${writers} writers`, await rate((r) => chained.append(r), writers, rows));
      add(`unchained, ${writers} writers`, await rate((r) => unchained.append(r), writers, rows));
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    for (const [label, values] of Object.entries(results)) {
      console.log(
        `${label.padEnd(24)} ${median(values).toFixed(0).padStart(6)} appends/s (median of ${values.length}; ${values.map((v) => v.toFixed(0)).join(', ')})`,
      );
    }
    const started = performance.now();
    const verification = await chained.verifyChain();
    const ms = performance.now() - started;
    console.log(
      `verify: ${verification.rows} rows in ${ms.toFixed(0)} ms (${((verification.rows / ms) * 1000).toFixed(0)} rows/s), intact: ${verification.intact}`,
    );
  } finally {
    await dataSource.destroy();
    await dropDatabase(url);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
