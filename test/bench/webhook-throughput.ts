/**
 * Not a test: measures signed webhook deliveries per second to a local receiver and the publish →
 * receipt latency (p50/p95), through the real gateway, router, delivery, Kafka and Postgres.
 *
 *   npm run build && KAFKA_BROKERS=127.0.0.1:39092 node dist/test/bench/webhook-throughput.js [events] [subjects] [rate]
 *
 * Without `rate` the events are published as fast as possible in batches of 250 (a burst: measures
 * throughput); with `rate` (events/s) they are published one by one at that pace (measures latency).
 */
import { randomUUID } from 'node:crypto';
import { createDataSource } from '@liaison/persistence';
import {
  createAgency,
  createAgreement,
  exampleEvent,
  expectEventually,
  issueKey,
  request,
  startStack,
  startWebhookReceiver,
} from '@liaison/testing';

async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 2_000);
  const subjects = Number(process.argv[3] ?? 50);
  const rate = process.argv[4] === undefined ? undefined : Number(process.argv[4]);
  const stack = await startStack('bench', ['admin', 'router', 'gateway', 'delivery']);
  const receiver = await startWebhookReceiver();
  const receivedAt = new Map<string, number>();
  try {
    const a = await createAgency(stack, 'Bench publisher');
    const b = await createAgency(stack, 'Bench partner');
    await createAgreement(stack, a, b);
    const key = await issueKey(stack, a, ['publish']);
    const sub = await request('POST', `${stack.url('admin')}/v1/agencies/${b.id}/subscriptions`, {
      token: stack.adminToken,
      body: { channel: 'webhook', label: 'bench', url: receiver.url },
    });
    receiver.secrets.push(String(sub.body['secret']));
    const subjectIds = Array.from({ length: subjects }, () => `INC-BENCH-${randomUUID()}`);
    const publishedAt = new Map<string, number>();
    const started = Date.now();
    const db = await createDataSource(stack.database.url, 'liaison-bench').initialize();
    const timeline = setInterval(() => {
      void db
        .query<{ inbox: string; delivered: string }[]>(
          `SELECT (SELECT count(*) FROM inbox_event) AS inbox, (SELECT count(*) FROM webhook_delivery WHERE status = 'delivered') AS delivered`,
        )
        .then((rows) => console.error(`t+${Date.now() - started} ms inbox=${rows[0]?.inbox} delivered=${rows[0]?.delivered}`));
    }, 2_000);
    const batchSize = rate === undefined ? 250 : 1;
    for (let i = 0; i < total; i += batchSize) {
      if (rate !== undefined) {
        const due = started + (i * 1000) / rate;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      }
      const batch = Array.from({ length: Math.min(batchSize, total - i) }, (_, j) =>
        exampleEvent('gov.liaison.incident.reported.v1', { subject: subjectIds[(i + j) % subjects] }),
      );
      const res = await request('POST', `${stack.url('gateway')}/v1/events`, {
        token: key,
        rawBody: JSON.stringify(batch),
        contentType: 'application/cloudevents-batch+json',
      });
      if (res.status !== 202) throw new Error(`publish failed: ${res.status} ${res.text}`);
      const now = Date.now();
      for (const e of batch) publishedAt.set(String(e['id']), now);
    }
    await expectEventually(
      () => {
        if (new Set(receiver.received.map((r) => r.event['id'])).size < total) throw new Error('not yet');
      },
      { timeoutMs: 600_000, intervalMs: 20 },
    );
    clearInterval(timeline);
    await db.destroy();
    for (const r of receiver.received) if (!receivedAt.has(String(r.event['id']))) receivedAt.set(String(r.event['id']), r.receivedAt);
    const elapsed = (Date.now() - started) / 1000;
    const latencies = [...publishedAt].map(([id, at]) => (receivedAt.get(id) ?? at) - at).sort((x, y) => x - y);
    const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
    console.log(
      JSON.stringify({
        events: total,
        subjects,
        mode: rate === undefined ? 'burst' : `paced ${rate}/s`,
        seconds: Number(elapsed.toFixed(2)),
        signedDeliveriesPerSecond: Math.round(total / elapsed),
        latencyMs: { p50: pct(50), p95: pct(95), max: latencies[latencies.length - 1] },
        forged: receiver.forged,
        calls: receiver.received.length,
      }),
    );
  } finally {
    await receiver.close();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
