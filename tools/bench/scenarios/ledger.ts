import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  createDataSource,
  dropDatabase,
  LedgerRepository,
  migrate,
  serviceDatabaseUrl,
  withDatabase,
  type DecisionRecord,
} from '@liaison/persistence';

/**
 * The dissemination ledger as the router writes it (one idempotent statement per batch) against
 * the naive way (one awaited, autocommitted INSERT per decision), on a database of its own.
 *
 * Batch sizes are what the router sees: one decision per event and candidate recipient, so at 50
 * agencies a batch of n events is n × 49 rows — 49 for a lone event (light load), hundreds to
 * thousands when the ingest topic is busy. The two writers alternate in rounds on the same table,
 * so a noisy, shared machine slows them alike.
 */
export interface LedgerBenchResult {
  batched: { batchRows: number; rowsPerSecond: number }[];
  singleRowsPerSecond: number;
}

/** Candidate recipients per event: a 50-agency federation. */
const RECIPIENTS = 49;

function decisions(count: number): DecisionRecord[] {
  const owner = randomUUID();
  const recipients = Array.from({ length: RECIPIENTS }, () => randomUUID());
  const policy = randomUUID();
  let eventId = '';
  return Array.from({ length: count }, (_, i) => {
    if (i % RECIPIENTS === 0) eventId = randomUUID();
    const shared = i % 3 !== 0;
    return {
      ownerAgencyId: owner,
      eventId,
      eventType: 'gov.liaison.incident.reported.v1',
      subject: `incident-${Math.floor(i / RECIPIENTS) % 997}`,
      tlp: 'GREEN',
      recipientAgencyId: recipients[i % RECIPIENTS] ?? owner,
      decision: shared ? 'shared' : 'denied',
      reasons: [shared ? 'shared-under-policy' : 'no-policy'],
      agreementId: shared ? policy : null,
      policyIds: shared ? [policy] : [],
    };
  });
}

/**
 * Writes `rows` decisions batched at each of `batchSizes`, and a tenth as many one INSERT at a
 * time, interleaved over `rounds`; returns the rates.
 */
export async function ledgerBench(
  databaseUrl: string,
  rows: number,
  batchSizes: readonly number[],
  rounds = 5,
): Promise<LedgerBenchResult> {
  const url = withDatabase(databaseUrl, `liaison_bench_${randomUUID().slice(0, 8)}`);
  await migrate(url);
  // Both writers as the router's role, which is how the router writes the ledger.
  const routerUrl = serviceDatabaseUrl(url, 'router');
  const dataSource = createDataSource(routerUrl, 'liaison-bench');
  await dataSource.initialize();
  const client = new Client({ connectionString: routerUrl });
  await client.connect();
  try {
    const ledger = new LedgerRepository(dataSource);
    // Warm-up of both writers (connections, plans), not measured.
    await ledger.recordDecisions(decisions(RECIPIENTS * 10));
    await insertOneByOne(client, decisions(RECIPIENTS));

    const batchedMs = batchSizes.map(() => 0);
    const batchedRows = batchSizes.map(() => 0);
    let singleMs = 0;
    let singleRows = 0;
    // The baseline writes a tenth of the rows: at its rate the full count would dominate the run.
    const perRound = Math.max(RECIPIENTS, Math.floor(rows / rounds));
    const singlePerRound = Math.max(RECIPIENTS, Math.floor(perRound / 10));
    for (let round = 0; round < rounds; round++) {
      for (const [k, batchRows] of batchSizes.entries()) {
        const all = decisions(Math.ceil(perRound / batchRows) * batchRows);
        const started = performance.now();
        for (let i = 0; i < all.length; i += batchRows) await ledger.recordDecisions(all.slice(i, i + batchRows));
        batchedMs[k] = (batchedMs[k] ?? 0) + (performance.now() - started);
        batchedRows[k] = (batchedRows[k] ?? 0) + all.length;
      }
      const single = decisions(singlePerRound);
      const started = performance.now();
      await insertOneByOne(client, single);
      singleMs += performance.now() - started;
      singleRows += single.length;
    }
    return {
      batched: batchSizes.map((batchRows, k) => ({ batchRows, rowsPerSecond: (batchedRows[k] ?? 0) / ((batchedMs[k] ?? 0) / 1000) })),
      singleRowsPerSecond: singleRows / (singleMs / 1000),
    };
  } finally {
    await client.end();
    await dataSource.destroy();
    await dropDatabase(url);
  }
}

/** The baseline: the same rows and columns, one awaited INSERT each, autocommitted (so one WAL flush each). */
async function insertOneByOne(client: Client, rows: readonly DecisionRecord[]): Promise<void> {
  for (const d of rows) {
    await client.query(
      `INSERT INTO dissemination (owner_agency_id, event_id, event_type, subject, tlp, recipient_agency_id, decision, reasons, agreement_id, policy_ids)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
      [d.ownerAgencyId, d.eventId, d.eventType, d.subject, d.tlp, d.recipientAgencyId, d.decision, d.reasons, d.agreementId, d.policyIds],
    );
  }
}
