import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { type DataSource } from 'typeorm';
import { fromBinaryRecord, topicNames } from '@liaison/contracts';
import { createDataSource } from '@liaison/persistence';
import {
  collect,
  createAgency,
  createAgreement,
  exampleEvent,
  expectEventually,
  issueKey,
  openSse,
  request,
  startStack,
  startWebhookReceiver,
  testKafka,
  type TestAgency,
  type TestStack,
  type WebhookReceiver,
} from '@liaison/testing';
import { repoRoot } from '../../tools/kafka/cluster';
import { startService } from '../../tools/stack/service-process';

const INCIDENT = 'gov.liaison.incident.reported.v1';
const ALERT = 'gov.liaison.alert.issued.v1';
const LONG = { timeoutMs: 60_000 };

describe('delivery channels: webhooks, pull, SSE (real gateway, router, delivery, Kafka, Postgres)', () => {
  let stack: TestStack;
  let db: DataSource;
  let a: TestAgency; // publisher
  let b: TestAgency; // partner: A shares with B
  let c: TestAgency; // no agreement with anyone
  let publishKey: string;
  let bConsume: string;
  let cConsume: string;
  let bManage: string;
  const receivers: WebhookReceiver[] = [];

  const admin = (path: string): string => `${stack.url('admin')}/v1/agencies${path}`;
  const delivery = (path: string): string => `${stack.url('delivery')}/v1/agencies${path}`;

  /** Publishes as A and returns the accepted event id. */
  const publish = async (event: Record<string, unknown>): Promise<string> => {
    const res = await request('POST', `${stack.url('gateway')}/v1/events`, { token: publishKey, body: event });
    assert.equal(res.status, 202, res.text);
    return String(res.body['id']);
  };

  const subscribeWebhook = async (agency: TestAgency, receiver: WebhookReceiver, filters?: Record<string, unknown>): Promise<string> => {
    const res = await request('POST', admin(`/${agency.id}/subscriptions`), {
      token: stack.adminToken,
      body: { channel: 'webhook', label: 'test receiver', url: receiver.url, ...(filters ? { filters } : {}) },
    });
    assert.equal(res.status, 201, res.text);
    assert.match(String(res.body['secret']), /^whsec_/);
    receiver.secrets.push(String(res.body['secret']));
    return String(res.body['id']);
  };

  const receiver = async (respond?: (call: number) => number): Promise<WebhookReceiver> => {
    const r = await startWebhookReceiver(respond);
    receivers.push(r);
    return r;
  };

  const disable = async (agency: TestAgency, id: string): Promise<void> => {
    const res = await request('POST', admin(`/${agency.id}/subscriptions/${id}/disable`), { token: stack.adminToken });
    assert.equal(res.status, 200, res.text);
  };

  /** Pulls B's (or another agency's) copies to the end, from `cursor`. */
  const pullAll = async (agency: TestAgency, token: string, cursor?: string, limit = 50): Promise<{ ids: string[]; next: string }> => {
    const ids: string[] = [];
    let next = cursor;
    for (;;) {
      const query = new URLSearchParams({ limit: String(limit), ...(next ? { cursor: next } : {}) });
      const res = await request('GET', delivery(`/${agency.id}/events?${query.toString()}`), { token });
      assert.equal(res.status, 200, res.text);
      ids.push(...(res.body['objects'] as { id: string }[]).map((o) => o.id));
      next = String(res.body['next']);
      if (res.body['more'] !== true) return { ids, next };
    }
  };

  before(async () => {
    stack = await startStack('channels', ['admin', 'router', 'gateway']);
    // An endpoint failing for a second without a success is disabled (production default: 5 days).
    stack.env['WEBHOOK_DISABLE_AFTER_MS'] = '1000';
    await stack.start('delivery');
    db = await createDataSource(stack.database.url, 'liaison-test').initialize();
    a = await createAgency(stack, 'Publisher PD');
    b = await createAgency(stack, 'Partner SO', 'county');
    c = await createAgency(stack, 'Unrelated Fusion Center', 'state');
    await createAgreement(stack, a, b);
    publishKey = await issueKey(stack, a, ['publish']);
    bConsume = await issueKey(stack, b, ['consume']);
    cConsume = await issueKey(stack, c, ['consume']);
    bManage = await issueKey(stack, b, ['manage']);
  });

  after(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await db?.destroy();
    await stack?.stop();
  });

  it('delivers signed webhooks a partner verifies, in order per subject, with both signatures during a rotation', async () => {
    const hook = await receiver();
    const subscriptionId = await subscribeWebhook(b, hook);
    const subjects = ['INC-W-1', 'INC-W-2', 'INC-W-3'];
    const published = new Map<string, string[]>(subjects.map((s) => [s, []]));
    for (let i = 0; i < 4; i += 1) {
      for (const subject of subjects) published.get(subject)?.push(await publish(exampleEvent(INCIDENT, { subject })));
    }
    await expectEventually(() => assert.equal(new Set(hook.received.map((r) => r.event['id'])).size, 12), LONG);
    assert.equal(hook.forged, 0, 'every call verified with the partner-side check');
    for (const subject of subjects) {
      const arrived = [...new Set(hook.received.filter((r) => r.event['subject'] === subject).map((r) => String(r.event['id'])))];
      assert.deepEqual(arrived, published.get(subject), `order of ${subject}`);
    }
    const first = hook.received[0]!;
    assert.match(first.id, /^msg_\d+$/);
    assert.equal(first.event['specversion'], '1.0');
    assert.equal(first.event['agency'], a.id);
    assert.equal(typeof first.event['data'], 'object');

    // Rotation: the new secret signs, and the old one too until the overlap ends.
    const rotated = await request('POST', admin(`/${b.id}/subscriptions/${subscriptionId}/rotate-secret`), { token: bManage });
    assert.equal(rotated.status, 200, rotated.text);
    const oldSecret = hook.secrets[0]!;
    hook.secrets.splice(0, 1, String(rotated.body['secret']));
    const afterRotation = await publish(exampleEvent(INCIDENT));
    const call = await expectEventually(() => {
      const found = hook.received.find((r) => r.event['id'] === afterRotation);
      assert.ok(found);
      return found;
    }, LONG);
    assert.equal(call.signatures.length, 2);
    hook.secrets.push(oldSecret);
    assert.equal(hook.forged, 0);

    // The receiving agency's administrator sees the deliveries in its ledger (recorded once the
    // receiver's answer is back, in the dispatcher's next batch of completions: not before the call).
    await expectEventually(async () => {
      const ledger = await request('GET', admin(`/${b.id}/deliveries?channel=webhook&limit=100`), { token: bManage });
      assert.equal(ledger.status, 200, ledger.text);
      const delivered = (ledger.body['items'] as { eventId: string; outcome: string }[]).filter((i) => i.outcome === 'delivered');
      assert.ok(delivered.some((d) => d.eventId === afterRotation));
    }, LONG);
    await disable(b, subscriptionId);
  });

  it('narrows by the subscription filter, never widens', async () => {
    const alertsOnly = await receiver();
    const everything = await receiver();
    const filtered = await subscribeWebhook(b, alertsOnly, { types: [ALERT] });
    const unfiltered = await subscribeWebhook(b, everything);
    const incident = await publish(exampleEvent(INCIDENT));
    const alert = await publish(exampleEvent(ALERT));
    await expectEventually(() => assert.ok(alertsOnly.received.some((r) => r.event['id'] === alert)), LONG);
    await expectEventually(() => assert.ok(everything.received.some((r) => r.event['id'] === incident)), LONG);
    // The incident was stored for B before the alert (same delivery flow), so its absence is final.
    assert.ok(!alertsOnly.received.some((r) => r.event['id'] === incident));
    await disable(b, filtered);
    await disable(b, unfiltered);
  });

  it('retries 5xx with back-off until 2xx, disables on 410, and a dead endpoint never holds up a healthy one', async () => {
    const flaky = await receiver((call) => (call <= 2 ? 503 : 200));
    const gone = await receiver(() => 410);
    const dead = await receiver(() => 500);
    const healthy = await receiver();
    const flakyId = await subscribeWebhook(b, flaky);
    const goneId = await subscribeWebhook(b, gone);
    const deadId = await subscribeWebhook(b, dead);
    const healthyId = await subscribeWebhook(b, healthy);

    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push(await publish(exampleEvent(INCIDENT, { subject: 'INC-RETRY' })));
    await expectEventually(() => assert.deepEqual([...new Set(healthy.received.map((r) => r.event['id']))], ids), LONG);
    await expectEventually(
      () => assert.deepEqual([...new Set(flaky.received.filter((r) => r.status === 200).map((r) => r.event['id']))], ids),
      LONG,
    );
    // The first copy failed twice, then succeeded: same webhook-id every time.
    const firstCalls = flaky.received.filter((r) => r.event['id'] === ids[0]);
    assert.deepEqual(
      firstCalls.map((r) => r.status),
      [503, 503, 200],
    );
    assert.equal(new Set(firstCalls.map((r) => r.id)).size, 1);
    const attempts = await db.query<{ outcome: string }[]>(
      `SELECT outcome FROM delivery_attempt WHERE event_id = $1 AND channel = 'webhook' AND subscription_id = $2 ORDER BY id`,
      [ids[0], flakyId],
    );
    assert.deepEqual(
      attempts.map((r) => r.outcome),
      ['failed', 'failed', 'delivered'],
    );

    const goneView = await expectEventually(async () => {
      const res = await request('GET', admin(`/${b.id}/subscriptions/${goneId}`), { token: bManage });
      assert.equal(res.body['status'], 'disabled', res.text);
      return res.body;
    }, LONG);
    assert.match(String(goneView['disabledReason']), /410/);
    assert.equal(gone.received.length, 1, 'nothing is sent after 410');

    const deadView = await expectEventually(async () => {
      const res = await request('GET', admin(`/${b.id}/subscriptions/${deadId}`), { token: bManage });
      assert.equal(res.body['status'], 'disabled', res.text);
      return res.body;
    }, LONG);
    assert.match(String(deadView['disabledReason']), /failing since .*HTTP 500/);
    assert.match(String(deadView['lastError']), /HTTP 500/);
    assert.ok(deadView['failingSince']);

    // Re-enabling resumes the pending copies in order, now that the endpoint recovered.
    // (The test points the subscription at a working receiver, as a partner fixing its endpoint would.)
    const recoveredId = deadId;
    const recovered = await receiver();
    recovered.secrets.push(...dead.secrets);
    await db.query(`UPDATE subscription SET url = $1 WHERE id = $2`, [recovered.url, recoveredId]);
    const enabled = await request('POST', admin(`/${b.id}/subscriptions/${recoveredId}/enable`), { token: bManage });
    assert.equal(enabled.status, 200, enabled.text);
    await expectEventually(() => assert.deepEqual([...new Set(recovered.received.map((r) => r.event['id']))], ids), LONG);

    // Replay of a time range sends the range again, under the same webhook-ids.
    const replay = await request('POST', admin(`/${b.id}/subscriptions/${healthyId}/replay`), {
      token: bManage,
      body: { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() },
    });
    assert.equal(replay.status, 202, replay.text);
    assert.ok(Number(replay.body['queued']) >= 5);
    await expectEventually(() => {
      for (const id of ids) assert.equal(healthy.received.filter((r) => r.event['id'] === id).length, 2, id);
    }, LONG);
    for (const id of [flakyId, healthyId, recoveredId]) await disable(b, id);
  });

  it('pull: opaque cursors page with no gap and no duplicate while events keep arriving, across two instances', async () => {
    // A second delivery instance shares the consumer group (so two writers store B's copies at once)
    // and serves every other page: cursors carry no server state.
    const second = await startService({ name: 'delivery', distDir: join(repoRoot(), 'dist'), env: stack.envFor('delivery') });
    const instances = [stack.url('delivery'), second.url];
    let turn = 0;
    try {
      const start = await pullAll(b, bConsume);
      const total = 60;
      const published: string[] = [];
      const publishing = (async () => {
        for (let i = 0; i < total; i += 1) published.push(await publish(exampleEvent(INCIDENT)));
      })();
      const seen: string[] = [];
      let cursor = start.next;
      let publishingDone = false;
      void publishing.then(() => {
        publishingDone = true;
      });
      // Page through while publishing goes on, then until every published copy has been seen.
      await expectEventually(async () => {
        for (;;) {
          const base = instances[turn++ % instances.length]!;
          const res = await request('GET', `${base}/v1/agencies/${b.id}/events?limit=7&cursor=${encodeURIComponent(cursor)}`, {
            token: bConsume,
          });
          assert.equal(res.status, 200, res.text);
          seen.push(...(res.body['objects'] as { id: string }[]).map((o) => o.id));
          cursor = String(res.body['next']);
          if (res.body['more'] !== true) break;
        }
        assert.ok(publishingDone);
        assert.ok(
          published.every((id) => seen.includes(id)),
          `${seen.length} of ${total} so far`,
        );
      }, LONG);
      await publishing;
      assert.equal(new Set(seen).size, seen.length, 'no duplicate across pages');
      const bad = await request('GET', delivery(`/${b.id}/events?cursor=${encodeURIComponent(cursor.slice(0, -2) + 'AA')}`), {
        token: bConsume,
      });
      assert.equal(bad.status, 400);
      assert.equal((bad.body['errors'] as { pointer: string }[])[0]?.pointer, '/cursor');
      const typed = await request('GET', delivery(`/${b.id}/events?type=${ALERT}&limit=1000`), { token: bConsume });
      assert.ok((typed.body['objects'] as { type: string }[]).every((o) => o.type === ALERT));
    } finally {
      await second.stop();
    }
  });

  it('SSE: streams new copies live and resumes after Last-Event-ID with nothing lost or repeated', async () => {
    const url = delivery(`/${b.id}/stream`);
    const live = await openSse(url, bConsume);
    assert.equal(live.status, 200);
    const firstBatch: string[] = [];
    for (let i = 0; i < 3; i += 1) firstBatch.push(await publish(exampleEvent(INCIDENT, { subject: 'INC-SSE' })));
    await expectEventually(
      () =>
        assert.deepEqual(
          live.events.map((e) => (JSON.parse(e.data) as { id: string }).id),
          firstBatch,
        ),
      LONG,
    );
    const lastId = live.events[live.events.length - 1]!.id;
    live.close();
    const missed: string[] = [];
    for (let i = 0; i < 3; i += 1) missed.push(await publish(exampleEvent(INCIDENT, { subject: 'INC-SSE' })));
    // Wait until B has the copies (pull shows them) before resuming, so the resume must replay them.
    await expectEventually(async () => assert.ok((await pullAll(b, bConsume)).ids.includes(missed[2]!)), LONG);
    const resumed = await openSse(url, bConsume, lastId);
    await expectEventually(
      () =>
        assert.deepEqual(
          resumed.events.map((e) => (JSON.parse(e.data) as { id: string }).id),
          missed,
        ),
      LONG,
    );
    assert.ok(resumed.events.every((e) => BigInt(e.id) > BigInt(lastId)));
    resumed.close();
  });

  it('isolation: an agency without a policy gets nothing on any channel; every channel serves exactly the routed copy; no reading another agency', async () => {
    const cHook = await receiver();
    const cSubscription = await subscribeWebhook(c, cHook);
    const cStream = await openSse(delivery(`/${c.id}/stream`), cConsume, '0');
    assert.equal(cStream.status, 200);
    const bHook = await receiver();
    const bSubscription = await subscribeWebhook(b, bHook);
    const id = await publish(exampleEvent(INCIDENT));
    // Once B has it on every channel, routing and storage of this event are done.
    await expectEventually(() => assert.ok(bHook.received.some((r) => r.event['id'] === id)), LONG);
    await expectEventually(async () => assert.ok((await pullAll(b, bConsume)).ids.includes(id)), LONG);
    assert.deepEqual((await pullAll(c, cConsume)).ids, []);
    assert.equal(cHook.received.length, 0);

    // Every channel serves exactly the copy the router produced for B (already redacted by policy):
    // the same attributes and data as B's Kafka record, nothing added, nothing from another copy.
    const collector = await collect(testKafka(stack.brokers), [topicNames(stack.namespace).delivery(b.id)]);
    try {
      const record = await expectEventually(() => {
        const found = collector.records.find((r) => r.headers['ce_id'] === id);
        assert.ok(found);
        return found;
      }, LONG);
      const fromKafka = fromBinaryRecord(record);
      const viaWebhook = bHook.received.find((r) => r.event['id'] === id)?.event;
      const page = await request('GET', delivery(`/${b.id}/events?limit=1000`), { token: bConsume });
      const viaPull = (page.body['objects'] as Record<string, unknown>[]).find((o) => o['id'] === id);
      const stream = await openSse(delivery(`/${b.id}/stream`), bConsume, '0');
      const viaSse = await expectEventually(() => {
        const found = stream.events.map((e) => JSON.parse(e.data) as Record<string, unknown>).find((e) => e['id'] === id);
        assert.ok(found);
        return found;
      }, LONG);
      stream.close();
      assert.deepEqual(viaWebhook, fromKafka);
      assert.deepEqual(viaPull, fromKafka);
      assert.deepEqual(viaSse, fromKafka);
    } finally {
      await collector.stop();
    }
    assert.equal(cStream.events.length, 0);
    const stored = await db.query<{ n: string }[]>(`SELECT count(*) AS n FROM inbox_event WHERE recipient_agency_id = $1`, [c.id]);
    assert.equal(Number(stored[0]?.n), 0);
    cStream.close();

    // C's key on B's pull and stream: 404. B's key without `consume`: 403 on its own. No key: 401.
    assert.equal((await request('GET', delivery(`/${b.id}/events`), { token: cConsume })).status, 404);
    assert.equal((await request('GET', delivery(`/${b.id}/stream`), { token: cConsume })).status, 404);
    assert.equal((await request('GET', delivery(`/${b.id}/events`), { token: bManage })).status, 403);
    assert.equal((await request('GET', delivery(`/${b.id}/events`))).status, 401);
    // B's administrator cannot see or touch C's subscriptions.
    const cManage = await issueKey(stack, c, ['manage']);
    assert.equal((await request('GET', admin(`/${c.id}/subscriptions/${cSubscription}`), { token: bManage })).status, 404);
    assert.equal((await request('GET', admin(`/${b.id}/subscriptions/${cSubscription}`), { token: bManage })).status, 404);
    assert.equal((await request('POST', admin(`/${c.id}/subscriptions/${cSubscription}/disable`), { token: bManage })).status, 404);
    assert.equal((await request('GET', admin(`/${b.id}/subscriptions`), { token: cManage })).status, 404);
    await disable(b, bSubscription);
    await disable(c, cSubscription);
  });

  it('refuses bad subscriptions with problems naming the field, and never shows a secret again', async () => {
    const noUrl = await request('POST', admin(`/${b.id}/subscriptions`), { token: bManage, body: { channel: 'webhook', label: 'x' } });
    assert.equal(noUrl.status, 400);
    assert.equal((noUrl.body['errors'] as { pointer: string }[])[0]?.pointer, '/url');
    const badType = await request('POST', admin(`/${b.id}/subscriptions`), {
      token: bManage,
      body: { channel: 'pull', label: 'x', filters: { types: ['nope'] } },
    });
    assert.equal(badType.status, 400);
    assert.match(JSON.stringify(badType.body['errors']), /\/filters\/types/);

    // Targets the SSRF guard refuses are refused now (422 naming /url), not accepted and disabled later.
    const before = (await request('GET', admin(`/${b.id}/subscriptions`), { token: bManage })).body['items'] as unknown[];
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'https://10.1.2.3/hook',
      'http://[::1]:8080/hook',
      'http://127.0.0.1.nip.invalid/hook',
    ]) {
      const refused = await request('POST', admin(`/${b.id}/subscriptions`), {
        token: bManage,
        body: { channel: 'webhook', label: 'ssrf', url },
      });
      assert.equal(refused.status, 422, `${url}: ${refused.text}`);
      assert.equal(refused.body['type'], 'urn:liaison:problem:unprocessable');
      assert.deepEqual(
        (refused.body['errors'] as { pointer: string }[]).map((e) => e.pointer),
        ['/url'],
        url,
      );
    }
    const after = (await request('GET', admin(`/${b.id}/subscriptions`), { token: bManage })).body['items'] as unknown[];
    assert.equal(after.length, before.length, 'no refused subscription was stored');
    const list = await request('GET', admin(`/${b.id}/subscriptions`), { token: bManage });
    assert.equal(list.status, 200);
    assert.doesNotMatch(list.text, /whsec_/);
  });

  it('loses nothing when delivery is SIGKILLed mid-stream: every accepted event reaches the webhook', async () => {
    const hook = await receiver();
    const subscriptionId = await subscribeWebhook(b, hook);
    const accepted: string[] = [];
    const total = 80;
    const publishing = (async () => {
      for (let i = 0; i < total; i += 1) accepted.push(await publish(exampleEvent(INCIDENT, { subject: `INC-KILL-${i % 5}` })));
    })();
    await expectEventually(() => assert.ok(hook.received.length >= 10), LONG);
    await stack.services.delivery?.kill();
    await publishing;
    await stack.start('delivery');
    await expectEventually(
      () => {
        const arrived = new Set(hook.received.map((r) => String(r.event['id'])));
        assert.deepEqual(
          accepted.filter((id) => !arrived.has(id)),
          [],
        );
      },
      { timeoutMs: 120_000 },
    );
    // The ledger agrees: every accepted event is recorded as delivered to this endpoint.
    const rows = await db.query<{ event_id: string }[]>(
      `SELECT DISTINCT event_id FROM delivery_attempt
        WHERE subscription_id = $1 AND channel = 'webhook' AND outcome = 'delivered' AND event_id = ANY($2)`,
      [subscriptionId, accepted],
    );
    assert.equal(rows.length, total);
    const duplicates = hook.received.length - new Set(hook.received.map((r) => r.event['id'])).size;
    process.stdout.write(`# webhook copies re-sent after the SIGKILL (at least once, same webhook-id): ${duplicates}\n`);
    // In order per subject, by first arrival.
    for (let s = 0; s < 5; s += 1) {
      const subject = `INC-KILL-${s}`;
      const expected = accepted.filter((_, i) => i % 5 === s);
      const arrived = [...new Set(hook.received.filter((r) => r.event['subject'] === subject).map((r) => String(r.event['id'])))];
      assert.deepEqual(arrived, expected, subject);
    }
    await disable(b, subscriptionId);
  });
});
