import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { credentialLimit, RATE_LIMIT_POLICIES, sourceKey, sourceLimit, type RateLimits } from './policies';

const LIMITS: RateLimits = { service: 's', windowMs: 60_000, perSource: 1, perCredential: 2, signIn: 3, publish: 4, pull: 5, stream: 6 };

describe('sourceKey', () => {
  it('keeps an IPv4 address, and the IPv4 address of an IPv4-mapped IPv6 one', () => {
    assert.equal(sourceKey('203.0.113.7'), '203.0.113.7');
    assert.equal(sourceKey('::ffff:203.0.113.7'), '203.0.113.7');
  });

  it('counts IPv6 addresses by their /64, however they are written', () => {
    assert.equal(sourceKey('2001:db8:85a3:12::8a2e:370:7334'), '2001:db8:85a3:12::/64');
    assert.equal(sourceKey('2001:0db8:85a3:0012:ffff:ffff:ffff:ffff'), '2001:db8:85a3:12::/64');
    assert.equal(sourceKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(sourceKey('::1'), '0:0:0:0::/64');
  });

  it('names a missing address', () => {
    assert.equal(sourceKey(undefined), 'unknown');
    assert.equal(sourceKey(''), 'unknown');
  });
});

describe('limits per policy', () => {
  it('limits sign-in per source at the sign-in rate and every other route at the per-source rate', () => {
    assert.deepEqual(
      RATE_LIMIT_POLICIES.map((p) => sourceLimit(LIMITS, p)),
      [1, 3, 1, 1, 1],
    );
  });

  it('limits each credential at its policy’s rate', () => {
    assert.deepEqual(
      RATE_LIMIT_POLICIES.map((p) => credentialLimit(LIMITS, p)),
      [2, 3, 4, 5, 6],
    );
  });
});
