/**
 * `node dist/tools/bench/ledger-profile.js [batchRows] [rows]`: where the dissemination ledger's
 * write time goes (ADR 0024). For each statement shape, CPU time per row in this process and in the
 * PostgreSQL backend serving it (read from /proc, so it holds on a loaded machine where wall time
 * does not), and the WAL flush's share of one statement. Linux only; a diagnostic, not a benchmark.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { DEFAULT_DATABASE_URL } from '@liaison/config';
import {
  createDataSource,
  DisseminationEntity,
  dropDatabase,
  LedgerRepository,
  migrate,
  withDatabase,
  type DecisionRecord,
} from '@liaison/persistence';
import { table } from './measure';

const COLUMNS = 'owner_agency_id, event_id, event_type, subject, tlp, recipient_agency_id, decision, reasons, agreement_id, policy_ids';

type Writer = (rows: readonly DecisionRecord[]) => Promise<unknown>;

function decisions(count: number): DecisionRecord[] {
  const owner = randomUUID();
  const policy = randomUUID();
  const recipients = Array.from({ length: 49 }, () => randomUUID());
  let eventId = '';
  return Array.from({ length: count }, (_, i) => {
    if (i % 49 === 0) eventId = randomUUID();
    const shared = i % 3 !== 0;
    return {
      ownerAgencyId: owner,
      eventId,
      eventType: 'gov.liaison.incident.reported.v1',
      subject: `incident-${i % 997}`,
      tlp: 'GREEN',
      recipientAgencyId: recipients[i % 49] ?? owner,
      decision: shared ? 'shared' : 'denied',
      reasons: [shared ? 'shared-under-policy' : 'no-policy'],
      agreementId: shared ? policy : null,
      policyIds: shared ? [policy] : [],
    };
  });
}

/** A PostgreSQL array literal of text elements (for the unnest shape only). */
function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((s) => `"${s.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}

function writers(dataSource: DataSource, client: Client): Record<string, Writer> {
  return {
    // The writer before ADR 0024.
    'query builder, VALUES': (rows) =>
      dataSource
        .createQueryBuilder()
        .insert()
        .into(DisseminationEntity)
        .values([...rows])
        .orIgnore()
        .updateEntity(false)
        .execute(),
    'pg, the same VALUES': (rows) => {
      const params: unknown[] = [];
      const tuples = rows.map((r) => {
        const base = params.length;
        params.push(
          r.ownerAgencyId,
          r.eventId,
          r.eventType,
          r.subject,
          r.tlp,
          r.recipientAgencyId,
          r.decision,
          r.reasons,
          r.agreementId,
          r.policyIds,
        );
        return `(${Array.from({ length: 10 }, (_, k) => `$${base + k + 1}`).join(',')})`;
      });
      return client.query(`INSERT INTO dissemination (${COLUMNS}) VALUES ${tuples.join(',')} ON CONFLICT DO NOTHING`, params);
    },
    'pg, unnest': (rows) =>
      client.query(
        `INSERT INTO dissemination (${COLUMNS}) SELECT o, e, t, s, l, r, d, rs::text[], a, p::uuid[]
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::text[], $9::uuid[], $10::text[])
                WITH ORDINALITY AS u(o, e, t, s, l, r, d, rs, a, p, n) ORDER BY n ON CONFLICT DO NOTHING`,
        [
          rows.map((r) => r.ownerAgencyId),
          rows.map((r) => r.eventId),
          rows.map((r) => r.eventType),
          rows.map((r) => r.subject),
          rows.map((r) => r.tlp),
          rows.map((r) => r.recipientAgencyId),
          rows.map((r) => r.decision),
          rows.map((r) => arrayLiteral(r.reasons)),
          rows.map((r) => r.agreementId),
          rows.map((r) => arrayLiteral(r.policyIds)),
        ],
      ),
    'LedgerRepository (jsonb)': (rows) => new LedgerRepository(dataSource).recordDecisions(rows),
  };
}

/** User + system CPU of a process, ms (Linux clock ticks are 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function backendPids(client: Client, applicationName: string): Promise<number[]> {
  const result = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
  return result.rows.map((r) => r.pid);
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  const batchRows = Number(process.argv[2] ?? 490);
  const rows = Number(process.argv[3] ?? 9_800);
  const url = withDatabase(process.env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL, `liaison_profile_${randomUUID().slice(0, 8)}`);
  await migrate(url);
  const dataSource = createDataSource(url, 'liaison-profile-orm');
  await dataSource.initialize();
  const client = new Client({ connectionString: url, application_name: 'liaison-profile-pg' });
  await client.connect();
  try {
    const shapes = writers(dataSource, client);
    const samples = new Map<string, { node: number[]; backend: number[]; wall: number[] }>();
    for (let rep = 0; rep < 5; rep++) {
      for (const [name, write] of Object.entries(shapes)) {
        const all = decisions(rows + batchRows);
        await write(all.slice(0, batchRows)); // opens the pool's connection
        const pids = [...(await backendPids(client, 'liaison-profile-orm')), ...(await backendPids(client, 'liaison-profile-pg'))];
        const backend0 = pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
        const node0 = process.cpuUsage();
        const started = performance.now();
        for (let i = batchRows; i < all.length; i += batchRows) await write(all.slice(i, i + batchRows));
        const wall = performance.now() - started;
        const node = process.cpuUsage(node0);
        const backend = pids.reduce((sum, pid) => sum + cpuMs(pid), 0) - backend0;
        const s = samples.get(name) ?? { node: [], backend: [], wall: [] };
        s.node.push((node.user + node.system) / rows);
        s.backend.push((backend * 1000) / rows);
        s.wall.push((wall * 1000) / rows);
        samples.set(name, s);
      }
    }
    console.log(`${batchRows}-row batches, ${rows} rows, median of 5 (µs per row)`);
    console.log(
      table(
        ['shape', 'Node CPU', 'backend CPU', 'wall'],
        [...samples].map(([name, s]) => [name, median(s.node).toFixed(1), median(s.backend).toFixed(1), median(s.wall).toFixed(1)]),
      ),
    );

    // The flush: the same statement with and without waiting for the WAL at commit, interleaved.
    const ledger = new LedgerRepository(dataSource);
    const flush: string[][] = [];
    for (const size of [1, 49, batchRows]) {
      const times: Record<'on' | 'off', number[]> = { on: [], off: [] };
      for (let round = 0; round < 20; round++) {
        for (const mode of ['on', 'off'] as const) {
          // One pooled connection at a time (the pool reuses an idle one), so the SET applies to it.
          await dataSource.query(`SET synchronous_commit = ${mode}`);
          for (let k = 0; k < 5; k++) {
            const batch = decisions(size);
            const started = performance.now();
            await ledger.recordDecisions(batch);
            times[mode].push(performance.now() - started);
          }
        }
      }
      const [on, off] = [median(times.on), median(times.off)];
      flush.push([String(size), on.toFixed(3), off.toFixed(3), `${(((on - off) / on) * 100).toFixed(0)} %`]);
    }
    await dataSource.query('SET synchronous_commit = on');
    console.log('\nms per statement, median of 100, with and without the WAL flush at commit');
    console.log(table(['rows', 'flushed', 'not flushed', 'flush share'], flush));
  } finally {
    await client.end();
    await dataSource.destroy();
    await dropDatabase(url);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
