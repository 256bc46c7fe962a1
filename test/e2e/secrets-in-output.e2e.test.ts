import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { SERVICES, startService, type ServiceName } from '../../tools/stack/service-process';
import { repoRoot } from '../../tools/kafka/cluster';
import {
  createAccount,
  createAgency,
  createAgreement,
  exampleEvent,
  expectEventually,
  FAST_ADMIN_ENV,
  findSecrets,
  issueKey,
  openSse,
  request,
  secretsOfEnv,
  startStack,
  startWebhookReceiver,
  type KnownSecret,
  type TestStack,
  type WebhookReceiver,
} from '@liaison/testing';

const INCIDENT = 'gov.liaison.incident.reported.v1';

/**
 * Runs the main flows of every service with known secrets (database passwords in the services'
 * URLs, the bootstrap token, the sealing key, agency keys, an operator's password and session,
 * webhook secrets), at debug log level, including refusals and failed starts, and then looks for
 * each secret in everything every service printed.
 */
describe('no secret in any service output (real services at debug level, Kafka, Postgres)', () => {
  let stack: TestStack;
  let receiver: WebhookReceiver;
  const secrets: KnownSecret[] = [];
  /** Output of processes started outside the stack: the failed starts. */
  const extra = new Map<string, string[]>();
  const keep = (name: string, value: string): void => {
    secrets.push({ name, value });
  };

  before(async () => {
    stack = await startStack('secrets', []);
    Object.assign(stack.env, FAST_ADMIN_ENV, { LOG_LEVEL: 'debug' });
    for (const name of ['router', 'delivery', 'admin', 'gateway'] as const) await stack.start(name);
    receiver = await startWebhookReceiver();
  });

  after(async () => {
    await receiver?.close();
    await stack?.stop();
  });

  it('runs publish, routing, webhook, pull, SSE, sign-in and refusals, then finds no secret in any output', async () => {
    for (const [service, password] of Object.entries(stack.database.passwords)) keep(`${service} database password`, password);
    const provisioning = new URL(stack.database.url).password;
    if (provisioning !== '') keep('provisioning database password', decodeURIComponent(provisioning));
    secrets.push(...secretsOfEnv(stack.env));

    // Onboarding, with a policy from A to B and keys for each job.
    const a = await createAgency(stack, 'Secret Scan PD');
    const b = await createAgency(stack, 'Secret Scan RTCC', 'rtcc');
    await createAgreement(stack, a, b);
    const publishKey = await issueKey(stack, a, ['publish']);
    const manageKey = await issueKey(stack, b, ['manage']);
    const consumeKey = await issueKey(stack, b, ['consume']);
    keep('publish key', publishKey);
    keep('manage key', manageKey);
    keep('consume key', consumeKey);

    // A person signs in (once wrongly), works with the session, signs out.
    const account = await createAccount(stack, { role: 'platform-operator' });
    keep('operator password', account.password);
    const admin = stack.url('admin');
    assert.equal(
      (await request('POST', `${admin}/v1/sessions`, { body: { email: account.email, password: `${account.password}x` } })).status,
      401,
    );
    const signedIn = await request('POST', `${admin}/v1/sessions`, { body: { email: account.email, password: account.password } });
    assert.equal(signedIn.status, 201, signedIn.text);
    const session = String(signedIn.body['token']);
    keep('session token', session);
    assert.equal((await request('GET', `${admin}/v1/agencies`, { token: session })).status, 200);

    // B's webhook, with a rotation: both secrets sign for a while.
    const created = await request('POST', `${admin}/v1/agencies/${b.id}/subscriptions`, {
      token: manageKey,
      body: { channel: 'webhook', label: 'scan', url: receiver.url },
    });
    assert.equal(created.status, 201, created.text);
    const subscriptionId = String(created.body['id']);
    receiver.secrets.push(String(created.body['secret']));
    const rotated = await request('POST', `${admin}/v1/agencies/${b.id}/subscriptions/${subscriptionId}/rotate-secret`, {
      token: manageKey,
    });
    assert.equal(rotated.status, 200, rotated.text);
    receiver.secrets.push(String(rotated.body['secret']));
    receiver.secrets.forEach((s, i) => keep(`webhook secret ${i + 1}`, s));

    // A publishes; B gets it on every channel.
    const delivery = stack.url('delivery');
    const sse = await openSse(`${delivery}/v1/agencies/${b.id}/stream`, consumeKey);
    try {
      const ids: string[] = [];
      for (let i = 0; i < 2; i += 1) {
        const res = await request('POST', `${stack.url('gateway')}/v1/events`, { token: publishKey, body: exampleEvent(INCIDENT) });
        assert.equal(res.status, 202, res.text);
        ids.push(String(res.body['id']));
      }
      await expectEventually(() => assert.deepEqual(new Set(receiver.received.map((r) => String(r.event['id']))), new Set(ids)), {
        timeoutMs: 60_000,
      });
      await expectEventually(() => assert.equal(sse.events.length, 2), { timeoutMs: 30_000 });
      const pulled = await request('GET', `${delivery}/v1/agencies/${b.id}/events`, { token: consumeKey });
      assert.equal(pulled.status, 200, pulled.text);
      assert.equal((pulled.body['objects'] as unknown[]).length, 2);
    } finally {
      sse.close();
    }
    assert.equal(receiver.forged, 0);

    // Refusals that carry real secrets: a key of the wrong scope or agency, a token one character off, a signed-out session.
    assert.equal(
      (await request('POST', `${stack.url('gateway')}/v1/events`, { token: consumeKey, body: exampleEvent(INCIDENT) })).status,
      403,
    );
    assert.equal((await request('GET', `${delivery}/v1/agencies/${b.id}/events`, { token: publishKey })).status, 404);
    assert.equal((await request('GET', `${admin}/v1/agencies`, { token: `${stack.adminToken}x` })).status, 401);
    assert.equal((await request('DELETE', `${admin}/v1/sessions/current`, { token: session })).status, 204);
    assert.equal((await request('GET', `${admin}/v1/agencies`, { token: session })).status, 401);

    // Starts that fail on a DATABASE_URL the driver cannot use, with the router's real password in it.
    const routerUrl = new URL(stack.database.serviceUrl('router'));
    for (const [label, url] of [
      ['wrong scheme', `mysql://${routerUrl.username}:${routerUrl.password}@${routerUrl.host}${routerUrl.pathname}`],
      ['bad port', `postgres://${routerUrl.username}:${routerUrl.password}@127.0.0.1:port${routerUrl.pathname}`],
      ['bad escape', `postgres://${routerUrl.username}:${routerUrl.password}%zz@${routerUrl.host}${routerUrl.pathname}`],
      ['no such database', `${routerUrl.protocol}//${routerUrl.username}:${routerUrl.password}@${routerUrl.host}/liaison_no_such_db`],
    ] as const) {
      const lines: string[] = [];
      extra.set(`router (${label})`, lines);
      await assert.rejects(
        startService({
          name: 'router',
          distDir: join(repoRoot(), 'dist'),
          env: { ...stack.envFor('router'), DATABASE_URL: url },
          onLine: (line) => lines.push(line),
          // It exits by itself, at once on an idle machine; the timeout only bounds a hang.
          readyTimeoutMs: 180_000,
        }).catch((error: unknown) => {
          lines.push(String(error instanceof Error ? error.message : error));
          throw error;
        }),
        `router must not start with ${label}`,
      );
      assert.ok(
        lines.some((l) => /DATABASE_URL|database|ECONNREFUSED|does not exist/i.test(l)),
        `${label}: says why:\n${lines.join('\n')}`,
      );
    }

    // Graceful stops print too.
    for (const name of SERVICES) await stack.services[name]?.stop();

    const outputs = new Map<string, readonly string[]>([...SERVICES.map((n: ServiceName) => [n, stack.output(n)] as const), ...extra]);
    // The scan sees what every service printed: each one's start line is there.
    for (const name of SERVICES) {
      assert.ok(
        stack.output(name).some((l) => l.includes('listening on http://')),
        `${name}'s output was captured (${stack.output(name).length} lines)`,
      );
    }
    const sightings = findSecrets(secrets, outputs);
    assert.deepEqual(sightings, [], `secrets in service output:\n${JSON.stringify(sightings, null, 2)}`);
    assert.ok(secrets.length >= 13, `scanned for ${secrets.length} secrets`);
  });
});
