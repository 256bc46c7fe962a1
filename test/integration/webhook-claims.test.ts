import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
import {
  createDataSource,
  InboxRepository,
  WebhookDeliveryRepository,
  type ClaimedDelivery,
  type CompletedAttempt,
} from '@liaison/persistence';
import { AttemptCompletions } from '../../apps/delivery/src/webhooks/attempt-completions';
import { createTestDatabase, testOri, type TestDatabase } from '@liaison/testing';

/**
 * The dispatcher's database side (real PostgreSQL, real migrations): a claim returns only queue
 * heads within each endpoint's budget, and batched completions record every attempt, release
 * the leases and let the next copy of a subject through.
 */
describe('webhook claims and batched completions (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: DataSource;
  let deliveries: WebhookDeliveryRepository;
  let inbox: InboxRepository;
  let owner = '';
  let recipient = '';
  let endpointA = '';
  let endpointB = '';

  before(async () => {
    database = await createTestDatabase('webhookclaims');
    db = await createDataSource(database.url, 'liaison-test').initialize();
    deliveries = new WebhookDeliveryRepository(db);
    inbox = new InboxRepository(db);
    const agencies = await db.query<{ id: string }[]>(
      `INSERT INTO agency (ori, name, kind) VALUES ($1, 'Owner', 'local'), ($2, 'Recipient', 'county') RETURNING id`,
      [testOri(), testOri()],
    );
    owner = agencies[0]!.id;
    recipient = agencies[1]!.id;
    const subs = await db.query<{ id: string }[]>(
      `INSERT INTO subscription (agency_id, channel, label, url, secret_sealed)
       VALUES ($1, 'webhook', 'a', 'https://a.example/hook', '\\x00'), ($1, 'webhook', 'b', 'https://b.example/hook', '\\x00')
       RETURNING id`,
      [recipient],
    );
    endpointA = subs[0]!.id;
    endpointB = subs[1]!.id;
  });

  after(async () => {
    await db.destroy();
    await database.drop();
  });

  const store = (subjects: string[]): Promise<number> =>
    inbox.store(
      recipient,
      subjects.map((subject) => {
        const id = randomUUID();
        return {
          ownerAgencyId: owner,
          eventId: id,
          subject,
          type: 'gov.liaison.incident.reported.v1',
          event: { id, subject, specversion: '1.0' },
          webhookSubscriptionIds: [endpointA, endpointB],
        };
      }),
    );

  const delivered = (due: ClaimedDelivery): CompletedAttempt => ({
    outcome: { id: due.id, status: 'delivered', attempts: due.attempts + 1, error: null },
    ledger: {
      ownerAgencyId: due.ownerAgencyId,
      eventId: due.eventId,
      recipientAgencyId: recipient,
      channel: 'webhook',
      subscriptionId: due.subscriptionId,
      outcome: 'delivered',
      detail: 'HTTP 200',
    },
  });

  it('claims only the head of each (endpoint, subject) queue, at most the budget per endpoint, with the body as stored', async () => {
    // Subjects s0..s5, two copies each, in order s0 s1 ... s5 s0 s1 ... s5.
    const subjects = ['s0', 's1', 's2', 's3', 's4', 's5'];
    await store([...subjects, ...subjects]);
    const claimed = await deliveries.claimDue(500, 60_000, 4, new Map([[endpointB, 1]]));
    const perEndpoint = (id: string): ClaimedDelivery[] => claimed.filter((c) => c.subscriptionId === id);
    assert.equal(perEndpoint(endpointA).length, 4, 'budget 4 for A');
    assert.equal(perEndpoint(endpointB).length, 3, 'budget 4 minus 1 held for B');
    for (const id of [endpointA, endpointB]) {
      const got = perEndpoint(id);
      assert.equal(new Set(got.map((c) => c.subject)).size, got.length, 'one head per subject');
      assert.deepEqual(
        got.map((c) => c.subject),
        subjects.slice(0, got.length),
        'oldest heads first',
      );
    }
    const first = claimed[0]!;
    assert.equal((JSON.parse(first.body) as { subject: string }).subject, first.subject);
    // Leased: a second claim gets the remaining heads only, never a leased row or a second copy of a claimed subject.
    const again = await deliveries.claimDue(500, 60_000, 10, new Map());
    assert.deepEqual(
      again.filter((c) => c.subscriptionId === endpointA).map((c) => c.subject),
      ['s4', 's5'],
    );
    await deliveries.releaseLeases(again.map((c) => c.id));

    // One batched statement records every attempt; the subjects' second copies become the heads.
    const completions = new AttemptCompletions(deliveries);
    await Promise.all(claimed.map((c) => completions.complete(delivered(c))));
    const [count] = await db.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM delivery_attempt WHERE channel = 'webhook' AND outcome = 'delivered'`,
    );
    assert.equal(Number(count?.n), claimed.length);
    const next = await deliveries.claimDue(500, 60_000, 10, new Map());
    const nextA = next.filter((c) => c.subscriptionId === endpointA);
    assert.deepEqual(nextA.map((c) => c.subject).sort(), ['s0', 's1', 's2', 's3', 's4', 's5']);
    const firstSeq = new Map(perEndpoint(endpointA).map((c) => [c.subject, BigInt(c.inboxSeq)]));
    for (const c of nextA.filter((x) => firstSeq.has(x.subject))) {
      assert.ok(BigInt(c.inboxSeq) > firstSeq.get(c.subject)!, `${c.subject}: the later copy follows the delivered one`);
    }
    await deliveries.releaseLeases(next.map((c) => c.id));
  });

  it('a failing batch rejects every caller in it and changes nothing', async () => {
    await store(['t0']);
    const claimed = await deliveries.claimDue(500, 60_000, 100, new Map());
    const target = claimed.find((c) => c.subject === 't0' && c.subscriptionId === endpointA)!;
    const good = delivered(target);
    const bad: CompletedAttempt = { ...good, outcome: { ...good.outcome, id: target.id, status: 'bogus' as 'failed' } };
    const completions = new AttemptCompletions(deliveries);
    const results = await Promise.allSettled([completions.complete(good), completions.complete(bad)]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    const [row] = await db.query<{ status: string; locked: boolean }[]>(
      `SELECT status, locked_until IS NOT NULL AS locked FROM webhook_delivery WHERE id = $1`,
      [target.id],
    );
    assert.deepEqual(row, { status: 'pending', locked: true }, 'still pending and leased: retried when the lease ends');
    await deliveries.releaseLeases(claimed.map((c) => c.id));
  });
});
