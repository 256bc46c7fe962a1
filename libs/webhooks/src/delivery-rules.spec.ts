import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { classifyResponse, nextRetryDelay, parseRetryAfter, parseRetrySchedule, shouldDisable } from './retry-schedule';
import { deriveKey, openSecret, parseSecretKey, sealSecret } from './secret-box';
import { checkWebhookUrl, isNonPublicAddress, mayConnect, parseAllowList } from './ssrf';
import { passesFilters } from './subscription-filter';

describe('retry schedule', () => {
  it('parses delays and walks them, then gives up', () => {
    const schedule = parseRetrySchedule('5s,5m,2h,50ms');
    assert.deepEqual(schedule, [5_000, 300_000, 7_200_000, 50]);
    assert.equal(parseRetrySchedule('5x'), undefined);
    assert.equal(parseRetrySchedule(''), undefined);
    assert.equal(nextRetryDelay([10, 20], 1), 10);
    assert.equal(nextRetryDelay([10, 20], 2), 20);
    assert.equal(nextRetryDelay([10, 20], 3), undefined);
    assert.equal(nextRetryDelay([10, 20], 1, 5_000), 5_000, 'Retry-After lengthens');
    assert.equal(nextRetryDelay([10_000], 1, 5), 10_000, 'Retry-After never shortens');
  });

  it('classifies responses: 2xx delivered, 410 gone, 429/5xx/other retry', () => {
    assert.equal(classifyResponse(200), 'delivered');
    assert.equal(classifyResponse(204), 'delivered');
    assert.equal(classifyResponse(410), 'gone');
    for (const status of [301, 400, 404, 429, 500, 502, 503, 504]) assert.equal(classifyResponse(status), 'retry');
  });

  it('reads Retry-After and decides when a failing endpoint is disabled', () => {
    assert.equal(parseRetryAfter('7', 0), 7_000);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6_000);
    assert.equal(parseRetryAfter('soon', 0), undefined);
    assert.equal(shouldDisable(null, new Date(), 0), false);
    assert.equal(shouldDisable(new Date(0), new Date(999), 1_000), false);
    assert.equal(shouldDisable(new Date(0), new Date(1_000), 1_000), true);
  });
});

describe('sealed secrets', () => {
  it('round-trips, and refuses another purpose, another key and tampering', () => {
    const key = randomBytes(32);
    const sealed = sealSecret(key, 'whsec_abc', 'webhook');
    assert.ok(!sealed.includes(Buffer.from('whsec_abc')));
    assert.equal(openSecret(key, sealed, 'webhook'), 'whsec_abc');
    assert.throws(() => openSecret(key, sealed, 'other'));
    assert.throws(() => openSecret(randomBytes(32), sealed, 'webhook'));
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    assert.throws(() => openSecret(key, tampered, 'webhook'));
    assert.equal(parseSecretKey(randomBytes(32).toString('base64'))?.length, 32);
    assert.equal(parseSecretKey('short'), undefined);
    assert.notDeepEqual(deriveKey(key, 'a'), deriveKey(key, 'b'));
  });
});

describe('SSRF guard', () => {
  it('refuses loopback, private, link-local, unique-local, multicast and mapped addresses', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      'not-an-ip',
    ]) {
      assert.ok(isNonPublicAddress(address), address);
    }
    for (const address of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
      assert.ok(!isNonPublicAddress(address), address);
  });

  it('lets the operator allow-list open a host and port, and nothing else', () => {
    const allow = parseAllowList('127.0.0.1:*, hooks.internal:8443,[::1]:9000');
    assert.ok(allow);
    assert.ok(mayConnect(allow, '127.0.0.1', '127.0.0.1', 1234).ok);
    assert.ok(mayConnect(allow, 'hooks.internal', '10.0.0.5', 8443).ok);
    assert.ok(!mayConnect(allow, 'hooks.internal', '10.0.0.5', 8444).ok);
    assert.ok(mayConnect(allow, '::1', '::1', 9000).ok);
    assert.ok(!mayConnect(allow, 'evil.example', '192.168.0.1', 80).ok);
    assert.ok(!mayConnect([], 'localhost', '127.0.0.1', 80).ok);
    assert.ok(mayConnect([], 'partner.example', '93.184.216.34', 443).ok);
    assert.equal(parseAllowList('no-port'), undefined);
    assert.deepEqual(parseAllowList(''), []);
  });

  it('checks the shape of a webhook URL', () => {
    assert.ok(checkWebhookUrl('https://partner.example/hooks').ok);
    assert.ok(!checkWebhookUrl('ftp://partner.example/').ok);
    assert.ok(!checkWebhookUrl('https://user:pw@partner.example/').ok);
    assert.ok(!checkWebhookUrl('/relative').ok);
  });
});

describe('subscription filters', () => {
  const event = {
    type: 'gov.liaison.incident.reported.v1',
    tlp: 'AMBER',
    data: { priority: 2, location: { point: { lat: 30.1, lon: -97.7 } } },
  };

  it('narrows by type, priority, TLP and area; an empty filter passes everything', () => {
    assert.ok(passesFilters(event, {}));
    assert.ok(passesFilters(event, { types: ['gov.liaison.incident.reported.v1'] }));
    assert.ok(!passesFilters(event, { types: ['gov.liaison.alert.issued.v1'] }));
    assert.ok(passesFilters(event, { minPriority: 2 }));
    assert.ok(!passesFilters(event, { minPriority: 1 }));
    assert.ok(passesFilters(event, { maxTlp: 'AMBER' }));
    assert.ok(!passesFilters(event, { maxTlp: 'GREEN' }));
    assert.ok(passesFilters(event, { area: { minLat: 30, minLon: -98, maxLat: 31, maxLon: -97 } }));
    assert.ok(!passesFilters(event, { area: { minLat: 40, minLon: -98, maxLat: 41, maxLon: -97 } }));
    assert.ok(!passesFilters({ ...event, data: {} }, { area: { minLat: -90, minLon: -180, maxLat: 90, maxLon: 180 } }));
  });
});
