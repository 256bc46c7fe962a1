import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createDataSource, dropDatabase, LedgerRepository, migrate, withDatabase, type DecisionRecord } from '@liaison/persistence';

/**
 * The dissemination ledger as the router writes it (multi-row, idempotent INSERTs per batch)
 * against the naive way (one awaited INSERT per decision), on a database of its own.
 */
export interface LedgerBenchResult {
  batchedRowsPerSecond: number;
  singleRowsPerSecond: number;
}

function decisions(count: number): DecisionRecord[] {
  const owner = randomUUID();
  const recipients = Array.from({ length: 50 }, () => randomUUID());
  return Array.from({ length: count }, (_, i) => ({
    ownerAgencyId: owner,
    eventId: `bench-${Math.floor(i / recipients.length)}-${randomUUID()}`,
    eventType: 'gov.liaison.incident.reported.v1',
    subject: `incident-${i % 997}`,
    tlp: 'GREEN',
    recipientAgencyId: recipients[i % recipients.length] ?? owner,
    decision: i % 3 === 0 ? 'denied' : 'shared',
    reasons: [i % 3 === 0 ? 'no-policy' : 'shared-under-policy'],
    agreementId: null,
    policyIds: [],
  }));
}

export async function ledgerBench(databaseUrl: string, rows: number, batchRows: number): Promise<LedgerBenchResult> {
  const url = withDatabase(databaseUrl, `liaison_bench_${randomUUID().slice(0, 8)}`);
  await migrate(url);
  const dataSource = createDataSource(url, 'liaison-bench');
  await dataSource.initialize();
  try {
    const ledger = new LedgerRepository(dataSource);
    const batched = decisions(rows);
    let started = performance.now();
    for (let i = 0; i < batched.length; i += batchRows) await ledger.recordDecisions(batched.slice(i, i + batchRows));
    const batchedRowsPerSecond = rows / ((performance.now() - started) / 1000);

    // The baseline writes a tenth of the rows: at its rate the full count would dominate the run.
    const single = decisions(Math.max(50, Math.floor(rows / 10)));
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      started = performance.now();
      for (const d of single) {
        await client.query(
          `INSERT INTO dissemination (owner_agency_id, event_id, event_type, subject, tlp, recipient_agency_id, decision, reasons)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
          [d.ownerAgencyId, d.eventId, d.eventType, d.subject, d.tlp, d.recipientAgencyId, d.decision, d.reasons],
        );
      }
      const singleRowsPerSecond = single.length / ((performance.now() - started) / 1000);
      return { batchedRowsPerSecond, singleRowsPerSecond };
    } finally {
      await client.end();
    }
  } finally {
    await dataSource.destroy();
    await dropDatabase(url);
  }
}
