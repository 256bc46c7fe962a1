import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { generateWebhookSecret, signWebhook, verifyWebhook, webhookHeaders } from './signature';

/** What a partner writes from the Standard Webhooks text alone, without Liaison's code. */
function partnerVerifies(secret: string, headers: Record<string, string>, body: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signed = `${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`;
  const expected = createHmac('sha256', key).update(signed).digest('base64');
  return (headers['webhook-signature'] ?? '').split(' ').some((s) => s === `v1,${expected}`);
}

describe('Standard Webhooks signatures', () => {
  it('signs id.timestamp.body with the decoded whsec_ key, as a partner recomputes it', () => {
    const secret = generateWebhookSecret();
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    const body = JSON.stringify({ specversion: '1.0', id: 'e-1', data: { narrative: 'ünïcödé' } });
    const headers = webhookHeaders([secret], 'msg_42', 1_764_000_000, body);
    assert.equal(headers['webhook-id'], 'msg_42');
    assert.equal(headers['webhook-timestamp'], '1764000000');
    assert.match(headers['webhook-signature'], /^v1,[A-Za-z0-9+/]+=*$/);
    assert.ok(partnerVerifies(secret, { ...headers }, body));
    assert.ok(!partnerVerifies(secret, { ...headers }, body.replace('e-1', 'e-2')));
  });

  it('matches the published Standard Webhooks test vector', () => {
    // From the specification's reference libraries' test suite (a fact, recomputable by anyone).
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = '{"test": 2432232314}';
    assert.equal(signWebhook(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, body), 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('sends both signatures during a rotation; either secret verifies', () => {
    const [current, previous] = [generateWebhookSecret(), generateWebhookSecret()];
    const body = '{}';
    const headers = webhookHeaders([current, previous], 'msg_1', 1_000, body);
    assert.equal(headers['webhook-signature'].split(' ').length, 2);
    assert.ok(partnerVerifies(current, { ...headers }, body));
    assert.ok(partnerVerifies(previous, { ...headers }, body));
    assert.deepEqual(verifyWebhook(previous, headers, body, 1_000), { ok: true });
  });

  it('refuses a wrong secret, a tampered body, a stale timestamp and missing headers', () => {
    const secret = generateWebhookSecret();
    const headers = webhookHeaders([secret], 'msg_1', 10_000, 'body');
    assert.equal(verifyWebhook(generateWebhookSecret(), headers, 'body', 10_000).ok, false);
    assert.equal(verifyWebhook(secret, headers, 'bodx', 10_000).ok, false);
    assert.equal(verifyWebhook(secret, headers, 'body', 10_000 + 301).ok, false);
    assert.equal(verifyWebhook(secret, { ...headers, 'webhook-signature': undefined }, 'body', 10_000).ok, false);
    assert.equal(verifyWebhook(secret, { ...headers, 'webhook-signature': 'v2,abc' }, 'body', 10_000).ok, false);
  });

  it('refuses secrets without the whsec_ prefix or too short', () => {
    assert.throws(() => signWebhook(randomBytes(32).toString('base64'), 'm', 1, ''));
    assert.throws(() => signWebhook(`whsec_${randomBytes(8).toString('base64')}`, 'm', 1, ''));
  });
});
