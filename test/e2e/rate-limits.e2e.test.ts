/**
 * Rate limits on real services sharing one PostgreSQL: a limit per agency key holds across two
 * gateway instances; sign-in is limited per source address and per email before any password is
 * hashed; pull and SSE are limited per key; refused requests answer 429 with Retry-After and an
 * RFC 9457 problem, and a flood of refused requests costs no counter write each.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { repoRoot } from '../../tools/kafka/cluster';
import { startService, type RunningService } from '../../tools/stack/service-process';
import {
  createAccount,
  createAgency,
  FAST_ADMIN_ENV,
  issueKey,
  request,
  startStack,
  type HttpResult,
  type TestAgency,
  type TestStack,
} from '@liaison/testing';

// An hour-long window: the few seconds of a test never straddle a window boundary in practice.
const LIMITS = {
  RATE_LIMIT_WINDOW_MS: '3600000',
  RATE_LIMIT_PUBLISH: '6',
  RATE_LIMIT_SIGN_IN: '3',
  RATE_LIMIT_PULL: '4',
  RATE_LIMIT_STREAM: '2',
};

/** A request from a chosen loopback source address (Linux routes all of 127/8 to lo). */
function requestFrom(source: string, method: string, url: string, body?: unknown, token?: string): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = {};
    if (payload !== undefined) headers['content-type'] = 'application/json';
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    const req = httpRequest(url, { method, headers, localAddress: source }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') responseHeaders.set(name, value);
        let parsed: Record<string, unknown> = {};
        try {
          parsed = JSON.parse(text) as Record<string, unknown>;
        } catch {
          parsed = {};
        }
        resolve({ status: res.statusCode ?? 0, headers: responseHeaders, body: parsed, text });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

function assertRateLimited(res: HttpResult, label: string): void {
  assert.equal(res.status, 429, `${label}: ${res.status} ${res.text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, label);
  assert.equal(res.body['type'], 'urn:liaison:problem:rate-limited', label);
  assert.equal(res.body['status'], 429, label);
  const retryAfter = Number(res.headers.get('retry-after'));
  assert.ok(
    Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 3600,
    `${label}: Retry-After ${res.headers.get('retry-after')}`,
  );
}

describe('rate limits (real services, limits shared through PostgreSQL)', () => {
  let stack: TestStack;
  let db: Client;
  let agency: TestAgency;
  const extra: RunningService[] = [];

  const startExtra = async (name: 'admin' | 'gateway' | 'delivery', env: NodeJS.ProcessEnv = {}): Promise<RunningService> => {
    const service = await startService({ name, distDir: join(repoRoot(), 'dist'), env: { ...stack.envFor(name), ...env } });
    extra.push(service);
    return service;
  };

  before(async () => {
    stack = await startStack('rate-limits', [], { ...LIMITS, ...FAST_ADMIN_ENV, ADMIN_LOCKOUT_THRESHOLD: '50' });
    await stack.start('admin');
    db = new Client({ connectionString: stack.database.url });
    await db.connect();
    agency = await createAgency(stack, 'Rate-limited agency');
  });

  after(async () => {
    await Promise.all(extra.map((s) => s.stop()));
    await db?.end();
    await stack?.stop();
  });

  it('holds one publish limit per agency key across two gateway instances, and not across keys', async () => {
    const [first, second] = [await startExtra('gateway'), await startExtra('gateway')];
    const key = await issueKey(stack, agency, ['publish']);
    const otherKey = await issueKey(stack, agency, ['publish']);
    const publish = (gateway: RunningService, token: string) =>
      request('POST', `${gateway.url}/v1/events`, { token, body: {}, contentType: 'application/cloudevents+json' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await publish(i % 2 === 0 ? first : second, key)).status);
    assert.deepEqual(statuses, Array<number>(6).fill(400), 'six requests within the limit reach the handler (the empty event is invalid)');
    assertRateLimited(await publish(first, key), 'the 7th on instance 1');
    assertRateLimited(await publish(second, key), 'the 8th on instance 2');
    assert.equal((await publish(second, otherKey)).status, 400, 'another key of the same agency has its own limit');
  });

  it('limits sign-in per source address and per email before the password is hashed', async () => {
    const account = await createAccount(stack, { role: 'platform-operator' });
    const other = await createAccount(stack, { role: 'platform-operator' });
    const signIn = (source: string, email: string, password: string) =>
      requestFrom(source, 'POST', `${stack.url('admin')}/v1/sessions`, { email, password });
    for (let i = 0; i < 3; i += 1) assert.equal((await signIn('127.0.0.2', account.email, 'wrong password')).status, 401);
    assertRateLimited(await signIn('127.0.0.2', other.email, other.password), 'a 4th sign-in from the same source');
    assertRateLimited(await signIn('127.0.0.3', account.email.toUpperCase(), account.password), 'a 4th sign-in for the same email');
    assert.equal((await signIn('127.0.0.3', other.email, 'wrong again')).status, 401, 'another source and email are not limited');

    const rows = await db.query<{ object_id: string; reason: string }>(
      `SELECT object_id, reason FROM audit_log WHERE action = 'session.sign-in' AND object_id = ANY($1)`,
      [[account.id, other.id]],
    );
    assert.deepEqual(
      rows.rows.map((r) => `${r.object_id === account.id ? 'account' : 'other'}:${r.reason}`).sort(),
      ['account:bad-password', 'account:bad-password', 'account:bad-password', 'other:bad-password'],
      'the refused attempts never reached the use case (no hash, no failure counted, no audit row)',
    );
    const failed = await db.query<{ failed_attempts: number }>('SELECT failed_attempts FROM operator_account WHERE id = $1', [account.id]);
    assert.equal(failed.rows[0]?.failed_attempts, 3);
  });

  it('refuses a flood from one source locally once its window is full: no counter write per refused request', async () => {
    const gateway = await startExtra('gateway', { RATE_LIMIT_PER_SOURCE: '5' });
    const results: number[] = [];
    for (let i = 0; i < 40; i += 1) results.push((await requestFrom('127.0.0.4', 'POST', `${gateway.url}/v1/events`, {})).status);
    assert.deepEqual(results.slice(0, 5), Array<number>(5).fill(401), 'within the limit: the usual 401');
    assert.ok(
      results.slice(5).every((s) => s === 429),
      `then 429: ${results.slice(5).join(',')}`,
    );
    const counter = await db.query<{ hits: number }>(`SELECT hits FROM rate_limit_counter WHERE bucket = 'gateway:any:src:127.0.0.4'`);
    assert.equal(counter.rows[0]?.hits, 5, 'the 35 refused requests did not touch the counter');
  });

  it('limits admin requests per source before authenticating them: bad credentials get 429 once the window is full', async () => {
    const admin = await startExtra('admin', { RATE_LIMIT_PER_SOURCE: '5' });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      statuses.push((await requestFrom('127.0.0.5', 'GET', `${admin.url}/v1/agencies`, undefined, 'not-a-credential')).status);
    }
    assert.deepEqual(statuses, [...Array<number>(5).fill(401), ...Array<number>(7).fill(429)]);
  });

  it('limits pulls and live streams per agency key', async () => {
    const delivery = await startExtra('delivery');
    const key = await issueKey(stack, agency, ['consume']);
    const pull = () => request('GET', `${delivery.url}/v1/agencies/${agency.id}/events`, { token: key });
    for (let i = 0; i < 4; i += 1) assert.equal((await pull()).status, 200);
    assertRateLimited(await pull(), 'the 5th pull');

    const controllers: AbortController[] = [];
    try {
      for (let i = 0; i < 2; i += 1) {
        const controller = new AbortController();
        controllers.push(controller);
        const res = await fetch(`${delivery.url}/v1/agencies/${agency.id}/stream`, {
          headers: { authorization: `Bearer ${key}` },
          signal: controller.signal,
        });
        assert.equal(res.status, 200);
      }
      const refused = await fetch(`${delivery.url}/v1/agencies/${agency.id}/stream`, { headers: { authorization: `Bearer ${key}` } });
      const text = await refused.text();
      assertRateLimited(
        { status: refused.status, headers: refused.headers, body: JSON.parse(text) as Record<string, unknown>, text },
        'the 3rd stream',
      );
    } finally {
      for (const controller of controllers) controller.abort();
    }
  });
});
