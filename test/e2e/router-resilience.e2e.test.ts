import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Partitioners } from 'kafkajs';
import { type DataSource } from 'typeorm';
import { toBinaryRecord, topicNames, validateEvent } from '@liaison/contracts';
import { DEAD_LETTER_HEADERS } from '@liaison/messaging';
import { createDataSource } from '@liaison/persistence';
import {
  collect,
  createAgency,
  createAgreement,
  exampleEvent,
  expectEventually,
  issueKey,
  recordCount,
  request,
  startStack,
  testKafka,
  type TestAgency,
  type TestStack,
} from '@liaison/testing';

const INCIDENT = 'gov.liaison.incident.reported.v1';

describe('router: poison records and crashes', () => {
  let stack: TestStack;
  let db: DataSource;
  let a: TestAgency;
  let b: TestAgency;
  const kafka = () => testKafka(stack.brokers);
  const topics = () => topicNames(stack.namespace);

  const decisionsFor = async (eventIds: string[]): Promise<number> => {
    const rows = await db.query<{ n: string }[]>('SELECT count(*) AS n FROM dissemination WHERE event_id = ANY($1)', [eventIds]);
    return Number(rows[0]?.n);
  };

  before(async () => {
    stack = await startStack('router', ['admin', 'router', 'gateway']);
    db = await createDataSource(stack.database.url, 'liaison-test').initialize();
    a = await createAgency(stack, 'Publisher');
    b = await createAgency(stack, 'Partner');
    await createAgreement(stack, a, b);
  });

  after(async () => {
    await db?.destroy();
    await stack?.stop();
  });

  it('sends undecodable and invalid records to the dead-letter topic with the reason, and keeps routing the partition', async () => {
    const producer = kafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const dead = await collect(kafka(), [topics().deadLetter]);
    try {
      const subject = 'INC-POISON-1';
      const valid = validateEvent({ ...exampleEvent(INCIDENT), subject, agency: a.id });
      assert.ok(valid.ok);
      const good = toBinaryRecord(valid.value);
      const missingAgency = toBinaryRecord({ ...valid.value, id: 'no-agency', agency: undefined });
      // Same key, so all four share one partition and the good one comes last.
      await producer.send({
        topic: topics().ingest,
        acks: -1,
        messages: [
          { key: subject, value: Buffer.from('{not json'), headers: { ...good.headers, ce_id: 'broken-json' } },
          { key: subject, value: good.value, headers: { ...good.headers, ce_id: 'bad-tlp', ce_tlp: 'PURPLE' } },
          { key: subject, value: missingAgency.value, headers: missingAgency.headers },
          { key: subject, value: good.value, headers: good.headers },
        ],
      });
      await expectEventually(async () => assert.equal(await decisionsFor([valid.value.id]), 1));
      const reasons = await expectEventually(() => {
        assert.equal(dead.records.length, 3);
        return new Map(dead.records.map((r) => [r.headers['ce_id'], r.headers[DEAD_LETTER_HEADERS.reason] ?? '']));
      });
      assert.match(reasons.get('broken-json') ?? '', /not valid JSON/);
      assert.match(reasons.get('bad-tlp') ?? '', /\/tlp/);
      assert.match(reasons.get('no-agency') ?? '', /no publishing agency/);
      for (const r of dead.records) {
        assert.equal(r.headers[DEAD_LETTER_HEADERS.topic], topics().ingest);
        assert.equal(r.headers[DEAD_LETTER_HEADERS.consumer], 'router');
        assert.match(r.headers[DEAD_LETTER_HEADERS.offset] ?? '', /^\d+$/);
      }
    } finally {
      await dead.stop();
      await producer.disconnect();
    }
  });

  it('loses no accepted event when the router is killed (SIGKILL) mid-stream and restarted', async () => {
    const key = await issueKey(stack, a, ['publish']);
    const ids: string[] = [];
    const publish = async (count: number): Promise<void> => {
      const batch = Array.from({ length: count }, () => exampleEvent(INCIDENT));
      const results = await Promise.all(
        batch.map((event) => request('POST', `${stack.url('gateway')}/v1/events`, { token: key, body: event })),
      );
      for (const [i, res] of results.entries()) {
        assert.equal(res.status, 202, res.text);
        ids.push(String(batch[i]?.['id']));
      }
    };
    await publish(100);
    await stack.services.router?.kill();
    await publish(100);
    await stack.start('router');
    await publish(50);

    await expectEventually(async () => assert.equal(await decisionsFor(ids), ids.length), { timeoutMs: 60_000 });
    const shared = await db.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM dissemination WHERE event_id = ANY($1) AND recipient_agency_id = $2 AND decision = 'shared'`,
      [ids, b.id],
    );
    assert.equal(Number(shared[0]?.n), ids.length);
    // At least once: every accepted event reached the partner's topic; a replay after the crash
    // may repeat some, and the stable event id lets the partner drop repeats.
    const copies = await collect(kafka(), [topics().delivery(b.id)]);
    try {
      const total = await recordCount(kafka(), topics().delivery(b.id));
      await expectEventually(() => assert.equal(copies.records.length, total), { timeoutMs: 30_000 });
      const seen = new Set(copies.records.map((r) => r.headers['ce_id']));
      for (const id of ids) assert.ok(seen.has(id), `event ${id} never reached the partner`);
    } finally {
      await copies.stop();
    }
  });
});
