import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
import {
  createDataSource,
  dropDatabase,
  LedgerRepository,
  migrate,
  withDatabase,
  type DecisionRecord,
  type DeliveryRecord,
} from '@liaison/persistence';
import { DEFAULT_DATABASE_URL } from '@liaison/config';
import { uniqueSuffix } from '@liaison/testing';

interface DecisionRow {
  id: string;
  owner_agency_id: string;
  event_id: string;
  event_type: string;
  subject: string;
  tlp: string;
  recipient_agency_id: string;
  decision: string;
  reasons: string[];
  agreement_id: string | null;
  policy_ids: string[];
  decided_at: Date;
}

function decision(
  ownerAgencyId: string,
  eventId: string,
  recipientAgencyId: string,
  overrides: Partial<DecisionRecord> = {},
): DecisionRecord {
  return {
    ownerAgencyId,
    eventId,
    eventType: 'gov.liaison.incident.reported.v1',
    subject: 'incident-1',
    tlp: 'GREEN',
    recipientAgencyId,
    decision: 'denied',
    reasons: ['no-policy'],
    agreementId: null,
    policyIds: [],
    ...overrides,
  };
}

function toRecord(r: DecisionRow): DecisionRecord {
  return {
    ownerAgencyId: r.owner_agency_id,
    eventId: r.event_id,
    eventType: r.event_type,
    subject: r.subject,
    tlp: r.tlp,
    recipientAgencyId: r.recipient_agency_id,
    decision: r.decision as DecisionRecord['decision'],
    reasons: r.reasons,
    agreementId: r.agreement_id,
    policyIds: r.policy_ids,
  };
}

describe('dissemination ledger writer: one idempotent statement per batch (real PostgreSQL)', () => {
  const url = withDatabase(process.env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL, `liaison_test_ledger_${uniqueSuffix()}`);
  let db: DataSource;
  let ledger: LedgerRepository;

  before(async () => {
    await migrate(url);
    db = createDataSource(url, 'liaison-test-ledger');
    await db.initialize();
    ledger = new LedgerRepository(db);
  });

  after(async () => {
    await db.destroy();
    await dropDatabase(url);
  });

  const rowsOf = (ownerAgencyId: string): Promise<DecisionRow[]> =>
    db.query<DecisionRow[]>(`SELECT * FROM dissemination WHERE owner_agency_id = $1 ORDER BY id`, [ownerAgencyId]);

  it('records every column as given, in the order given', async () => {
    const owner = randomUUID();
    const policy = randomUUID();
    const other = randomUUID();
    const batch = [
      decision(owner, 'ev-1', randomUUID(), {
        decision: 'shared',
        reasons: ['shared-under-policy'],
        agreementId: policy,
        policyIds: [policy, other],
        tlp: 'AMBER+STRICT',
      }),
      // Text that would need escaping in an array literal or SQL, and non-ASCII.
      decision(owner, 'ev-1', randomUUID(), { reasons: ['a "quoted", {braced} \\ reason', 'ünïcødé — ✓', ''], subject: "o'brien, {x}" }),
      decision(owner, 'ev-2', randomUUID(), { reasons: [], policyIds: [policy] }),
    ];
    await ledger.recordDecisions(batch);
    const rows = await rowsOf(owner);
    assert.deepEqual(rows.map(toRecord), batch);
    assert.ok(rows.every((r) => r.decided_at instanceof Date && Math.abs(r.decided_at.getTime() - Date.now()) < 60_000));
  });

  it('records nothing twice: a re-delivered batch, an overlapping batch, a duplicate inside one batch', async () => {
    const owner = randomUUID();
    const [r1, r2, r3] = [randomUUID(), randomUUID(), randomUUID()];
    const first = [decision(owner, 'ev-1', r1), decision(owner, 'ev-1', r2)];
    await ledger.recordDecisions(first);
    await ledger.recordDecisions(first);
    // The first row again, even with a different outcome, keeps what was recorded first.
    await ledger.recordDecisions([
      decision(owner, 'ev-1', r1, { decision: 'shared', reasons: ['shared-under-policy'] }),
      decision(owner, 'ev-1', r3),
      decision(owner, 'ev-1', r3),
    ]);
    const rows = await rowsOf(owner);
    assert.deepEqual(
      rows.map((r) => [r.recipient_agency_id, r.decision]),
      [
        [r1, 'denied'],
        [r2, 'denied'],
        [r3, 'denied'],
      ],
    );
  });

  it('writes a batch beyond the bind-parameter limit as one statement (one transaction, one decided_at)', async () => {
    const owner = randomUUID();
    const recipients = Array.from({ length: 49 }, () => randomUUID());
    // 7,350 rows × 10 columns would be 73,500 bind parameters, over PostgreSQL's 65,535.
    const batch = Array.from({ length: 7_350 }, (_, i) => decision(owner, `ev-${Math.floor(i / 49)}`, recipients[i % 49] ?? owner));
    await ledger.recordDecisions(batch);
    const [summary] = await db.query<{ n: number; instants: number; ordered: boolean }[]>(
      `SELECT count(*)::int AS n, count(DISTINCT decided_at)::int AS instants,
              bool_and(event_id = 'ev-' || ((rn - 1) / 49)) AS ordered
         FROM (SELECT event_id, decided_at, row_number() OVER (ORDER BY id) AS rn FROM dissemination WHERE owner_agency_id = $1) s`,
      [owner],
    );
    assert.deepEqual(summary, { n: 7_350, instants: 1, ordered: true });
  });

  it('is all or nothing: a row the table refuses fails the whole batch', async () => {
    const owner = randomUUID();
    const bad = { ...decision(owner, 'ev-1', randomUUID()), decision: 'maybe' } as unknown as DecisionRecord;
    await assert.rejects(ledger.recordDecisions([decision(owner, 'ev-1', randomUUID()), bad]), /check constraint/);
    assert.equal((await rowsOf(owner)).length, 0);
  });

  it('does nothing for an empty batch', async () => {
    const [before] = await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM dissemination`);
    await ledger.recordDecisions([]);
    await ledger.recordDeliveries([]);
    const [after] = await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM dissemination`);
    assert.equal(after?.n, before?.n);
  });

  it('records deliveries: every attempt, each successful delivery once per channel and subscription', async () => {
    const owner = randomUUID();
    const recipient = randomUUID();
    const [hookA, hookB] = [randomUUID(), randomUUID()];
    const delivered = (channel: DeliveryRecord['channel'], subscriptionId?: string): DeliveryRecord => ({
      ownerAgencyId: owner,
      eventId: 'ev-1',
      recipientAgencyId: recipient,
      channel,
      outcome: 'delivered',
      detail: channel === 'agency-topic' ? 'topic[0]@42' : null,
      ...(subscriptionId === undefined ? {} : { subscriptionId }),
    });
    const failed: DeliveryRecord = { ...delivered('webhook', hookA), outcome: 'failed', detail: 'HTTP 503' };
    await ledger.recordDeliveries([delivered('agency-topic'), failed, failed, delivered('webhook', hookA), delivered('webhook', hookB)]);
    // Re-delivered batch: the successes are not recorded again; failures are attempts, each one kept.
    await ledger.recordDeliveries([delivered('agency-topic'), delivered('webhook', hookA), failed]);
    const rows = await ledger.deliveriesForEvent(owner, 'ev-1');
    const summary = rows
      .map((r) => `${r.channel}/${r.subscriptionId ?? '-'}/${r.outcome}/${r.detail ?? '-'}`)
      .sort()
      .join('\n');
    assert.equal(
      summary,
      [
        'agency-topic/-/delivered/topic[0]@42',
        `webhook/${hookA}/delivered/-`,
        `webhook/${hookA}/failed/HTTP 503`,
        `webhook/${hookA}/failed/HTTP 503`,
        `webhook/${hookA}/failed/HTTP 503`,
        `webhook/${hookB}/delivered/-`,
      ]
        .sort()
        .join('\n'),
    );
    // Newest first is the reverse of the order the attempts were given in.
    const newest = await ledger.deliveriesToRecipient(recipient, 3);
    assert.deepEqual(
      newest.map((r) => [r.channel, r.subscriptionId, r.outcome]),
      [
        ['webhook', hookA, 'failed'],
        ['webhook', hookB, 'delivered'],
        ['webhook', hookA, 'delivered'],
      ],
    );
  });
});
