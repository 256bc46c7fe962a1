import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
import { createDataSource, InboxRepository, type NewInboxCopy } from '@liaison/persistence';
import { createTestDatabase, testOri, type TestDatabase } from '@liaison/testing';

/**
 * The delivery service stores a consumed batch's copies for every recipient in one transaction
 * (real PostgreSQL, real migrations): each recipient's copies keep their order, a re-delivered
 * batch stores nothing twice, webhook deliveries are queued only for the recipient's own
 * subscriptions, and concurrent batches over the same recipients neither deadlock nor interleave.
 */
describe('inbox: one transaction per consumed batch, across recipients (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: DataSource;
  let inbox: InboxRepository;
  let owner = '';
  const recipients: string[] = [];
  let webhookOfFirst = '';

  before(async () => {
    database = await createTestDatabase('inboxstore');
    db = await createDataSource(database.url, 'liaison-test').initialize();
    inbox = new InboxRepository(db);
    const agencies = await db.query<{ id: string }[]>(
      `INSERT INTO agency (ori, name, kind) VALUES ($1, 'Owner', 'local'), ($2, 'R1', 'county'), ($3, 'R2', 'state'), ($4, 'R3', 'local')
       RETURNING id`,
      [testOri(), testOri(), testOri(), testOri()],
    );
    owner = agencies[0]!.id;
    recipients.push(agencies[1]!.id, agencies[2]!.id, agencies[3]!.id);
    const subs = await db.query<{ id: string }[]>(
      `INSERT INTO subscription (agency_id, channel, label, url, secret_sealed)
       VALUES ($1, 'webhook', 'a', 'https://a.example/hook', '\\x00') RETURNING id`,
      [recipients[0]],
    );
    webhookOfFirst = subs[0]!.id;
  });

  after(async () => {
    await db.destroy();
    await database.drop();
  });

  const copy = (subject: string, webhookSubscriptionIds: string[] = []): NewInboxCopy => {
    const id = randomUUID();
    return {
      ownerAgencyId: owner,
      eventId: id,
      subject,
      type: 'gov.liaison.incident.reported.v1',
      event: { id, subject, data: { n: subject } },
      webhookSubscriptionIds,
    };
  };

  const eventIdsOf = async (recipient: string): Promise<string[]> =>
    (
      await db.query<{ event_id: string }[]>('SELECT event_id FROM inbox_event WHERE recipient_agency_id = $1 ORDER BY seq', [recipient])
    ).map((r) => r.event_id);

  it('stores every recipient’s copies in order, queues webhooks only for their own subscriptions, and is idempotent', async () => {
    const batch = new Map<string, NewInboxCopy[]>([
      [recipients[0]!, [copy('s1', [webhookOfFirst]), copy('s2', [webhookOfFirst]), copy('s3')]],
      [recipients[1]!, [copy('t1'), copy('t2')]],
      [recipients[2]!, []],
    ]);
    assert.equal(await inbox.storeBatch(batch), 5);
    assert.deepEqual(
      await eventIdsOf(recipients[0]!),
      batch.get(recipients[0]!)!.map((c) => c.eventId),
    );
    assert.deepEqual(
      await eventIdsOf(recipients[1]!),
      batch.get(recipients[1]!)!.map((c) => c.eventId),
    );
    assert.deepEqual(await eventIdsOf(recipients[2]!), []);
    const queued = await db.query<{ subject: string; subscription_id: string }[]>(
      'SELECT subject, subscription_id FROM webhook_delivery ORDER BY inbox_seq',
    );
    assert.deepEqual(
      queued.map((q) => [q.subject, q.subscription_id]),
      [
        ['s1', webhookOfFirst],
        ['s2', webhookOfFirst],
      ],
    );

    assert.equal(await inbox.storeBatch(batch), 0, 'a re-delivered batch stores nothing twice');
    assert.equal((await eventIdsOf(recipients[0]!)).length, 3);
    assert.equal((await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM webhook_delivery'))[0]!.n, 2);
  });

  it('serialises concurrent batches over the same recipients, in opposite orders, without deadlock', async () => {
    const before = await Promise.all(recipients.map(eventIdsOf));
    const batches = Array.from({ length: 8 }, (_, i) => {
      const order = i % 2 === 0 ? recipients : [...recipients].reverse();
      return new Map(order.map((r) => [r, [copy(`c${i}-a`), copy(`c${i}-b`)]] as const));
    });
    const stored = await Promise.all(batches.map((b) => inbox.storeBatch(b)));
    assert.deepEqual(stored, Array(8).fill(6));
    for (const [k, recipient] of recipients.entries()) {
      const added = (await eventIdsOf(recipient)).slice(before[k]!.length);
      assert.equal(added.length, 16);
      // Each batch's two copies for a recipient are adjacent: batches never interleave.
      const perBatch = batches.map((b) =>
        b
          .get(recipient)!
          .map((c) => c.eventId)
          .join(),
      );
      const pairs = Array.from({ length: 8 }, (_, i) => added.slice(2 * i, 2 * i + 2).join());
      assert.deepEqual([...pairs].sort(), [...perBatch].sort());
    }
  });
});
