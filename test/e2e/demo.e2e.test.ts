import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startStack, type TestStack } from '@liaison/testing';
import { repoRoot } from '../../tools/kafka/cluster';
import { DEMO_RETRY_SCHEDULE, DEMO_WEBHOOK_TYPES, demoDeliveryEnv, runDemo, type DemoResult } from '../../tools/stack/demo';
import { startDemoReceiver, type DemoReceiver } from '../../tools/stack/demo-partners';

/**
 * The `npm start` demo's own code (tools/stack/demo.ts) against the four real services, real Kafka
 * and Postgres, with the demo's delivery settings: the partners' webhook, live stream and pull
 * clients get exactly what the policies allow, and the webhook shows one retried delivery.
 */
describe('npm start demo: webhook receiver with a retried delivery, live stream, pull (real services, Kafka, Postgres)', () => {
  let stack: TestStack;
  let receiver: DemoReceiver;
  let result: DemoResult;
  const lines: { client: string; line: string }[] = [];
  const receiverLines: string[] = [];

  before(async () => {
    stack = await startStack('demo', ['admin', 'router', 'gateway']);
    receiver = await startDemoReceiver({ port: 0, failFirst: true, log: (line) => receiverLines.push(line) });
    // Delivery as the demo stack runs it: no harness-wide loopback allowance, the demo's retry schedule.
    delete stack.env['WEBHOOK_ALLOWED_HOSTS'];
    delete stack.env['WEBHOOK_RETRY_SCHEDULE'];
    Object.assign(stack.env, demoDeliveryEnv(stack.env, receiver.port));
    await stack.start('delivery');
    result = await runDemo({
      adminUrl: stack.url('admin'),
      gatewayUrl: stack.url('gateway'),
      routerUrl: stack.url('router'),
      deliveryUrl: stack.url('delivery'),
      adminToken: stack.adminToken,
      repoRoot: repoRoot(),
      log: () => undefined,
      receiver,
      partnerLog: (client, line) => lines.push({ client, line }),
    });
  });

  after(async () => {
    result?.sse.stream.close();
    await stack?.stop();
    await receiver?.close();
  });

  it('allows only the demo receiver and retries seconds apart, without touching the production defaults', () => {
    assert.deepEqual(demoDeliveryEnv({}, 8084), { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1:8084', WEBHOOK_RETRY_SCHEDULE: DEMO_RETRY_SCHEDULE });
    assert.deepEqual(demoDeliveryEnv({ WEBHOOK_ALLOWED_HOSTS: 'hooks.internal:8443', WEBHOOK_RETRY_SCHEDULE: '1s' }, 8084), {
      WEBHOOK_ALLOWED_HOSTS: 'hooks.internal:8443,127.0.0.1:8084',
      WEBHOOK_RETRY_SCHEDULE: '1s',
    });
    assert.equal(stack.env['WEBHOOK_ALLOWED_HOSTS'], `127.0.0.1:${receiver.port}`);
  });

  it('the webhook receiver verified every call and got each incident shared with the RTCC, after one retry', () => {
    const { webhook } = result;
    // The sample incident and the three incident examples; alerts and sensors are outside the filter.
    assert.equal(webhook.expected.length, 4);
    assert.equal(receiver.refused, 0, 'every call carried a signature the partner verified');
    const delivered = webhook.calls.filter((c) => c.status === 200);
    assert.deepEqual(new Set(delivered.map((c) => c.eventId)), new Set(webhook.expected));
    assert.ok(webhook.calls.every((c) => DEMO_WEBHOOK_TYPES.includes(c.type)));
    const [first, ...rest] = webhook.calls;
    assert.ok(first);
    assert.equal(first.status, 503);
    assert.equal(first.attempt, 1);
    const retry = rest.find((c) => c.webhookId === first.webhookId);
    assert.ok(retry, 'the failed copy was sent again');
    assert.equal(retry.status, 200);
    assert.equal(retry.attempt, 2);
    assert.equal(retry.eventId, first.eventId);
    assert.equal(webhook.calls.filter((c) => c.status !== 200).length, 1, 'only the first call failed');
    assert.ok(receiverLines.some((l) => l.includes('→ 503')));
    assert.ok(receiverLines.some((l) => l.includes('attempt 2')));
  });

  it('the RTCC delivery log and subscription health record the failed attempt and the delivered retry', () => {
    const { attempts, health, summary } = result.webhook;
    assert.deepEqual(
      attempts.map((a) => a.outcome),
      ['failed', 'delivered'],
    );
    assert.match(attempts[0]?.detail ?? '', /HTTP 503 \(attempt 1\)/);
    assert.match(attempts[1]?.detail ?? '', /HTTP 200 \(attempt 2\)/);
    assert.equal(health['delivered'], 4);
    assert.match(summary, /failed +HTTP 503/);
    assert.match(result.table, /webhook \(failed → delivered\)/);
  });

  it('the live stream showed every copy shared with the RTCC as it arrived, and resumed after Last-Event-ID', () => {
    const { sse } = result;
    assert.equal(sse.expected.length, 9);
    const ids = sse.events.map((e) => String(e.event['id']));
    assert.deepEqual(new Set(ids), new Set(sse.expected));
    assert.equal(ids.length, new Set(ids).size, 'no copy twice');
    assert.equal(lines.filter((l) => l.client === 'sse').length, sse.events.length);
    assert.equal(sse.resumedAfter, sse.events[0]?.id);
    assert.deepEqual(
      sse.resumed.map((e) => e.id),
      sse.events.slice(1).map((e) => e.id),
    );
  });

  it('the pull client paged the fusion center copies with the cursor, exactly the shared ones, redacted', () => {
    const { pull } = result;
    assert.equal(pull.expected.length, 9);
    const ids = pull.objects.map((o) => String(o['id']));
    assert.deepEqual(new Set(ids), new Set(pull.expected));
    assert.equal(ids.length, new Set(ids).size, 'pages never overlap');
    assert.ok(pull.pages >= 3, `9 copies in pages of 4 (got ${pull.pages} pages)`);
    assert.equal(lines.filter((l) => l.client === 'pull').length, pull.pages);
    const copy = pull.objects.find((o) => o['id'] === result.eventId);
    assert.ok(copy);
    assert.equal((copy['data'] as Record<string, unknown>)['narrative'], undefined);
    assert.match(result.redaction, /received by the fusion center +removed/);
  });
});
