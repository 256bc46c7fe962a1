import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { bearerToken, issueApiKey, parseApiKey, secretMatches, sha256 } from './api-keys';

const PREFIX = 'abcdefgh2345';
const SECRET = 'A'.repeat(20) + 'z'.repeat(20) + '0_-'; // 43 base64url characters
const KEY = `lsk_${PREFIX}_${SECRET}`;

describe('issueApiKey', () => {
  it('issues keys that parse back into their prefix and a secret matching the digest', () => {
    for (let i = 0; i < 50; i++) {
      const issued = issueApiKey();
      const parsed = parseApiKey(issued.plaintext);
      assert.ok(parsed, `issued key does not parse: ${issued.plaintext}`);
      assert.equal(parsed.prefix, issued.prefix);
      assert.equal(issued.plaintext, `lsk_${parsed.prefix}_${parsed.secret}`);
      assert.ok(secretMatches(parsed.secret, issued.secretSha256));
    }
  });

  it('issues a 12-character base32 prefix and a 43-character base64url secret', () => {
    const issued = issueApiKey();
    assert.match(issued.prefix, /^[a-z2-7]{12}$/);
    assert.match(issued.plaintext, /^lsk_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/);
    assert.equal(issued.secretSha256.length, 32);
  });

  it('stores the SHA-256 of the secret, not of the whole key, and never the secret itself', () => {
    const issued = issueApiKey();
    const secret = parseApiKey(issued.plaintext)?.secret ?? assert.fail('unparsable');
    assert.deepEqual(issued.secretSha256, createHash('sha256').update(secret).digest());
    assert.equal(secretMatches(issued.plaintext, issued.secretSha256), false);
    assert.ok(!issued.secretSha256.toString('latin1').includes(secret));
  });

  it('issues distinct keys', () => {
    const keys = Array.from({ length: 100 }, () => issueApiKey());
    assert.equal(new Set(keys.map((k) => k.plaintext)).size, 100);
    assert.equal(new Set(keys.map((k) => k.prefix)).size, 100);
  });
});

describe('secretMatches', () => {
  const stored = sha256(SECRET);

  it('is true for the right secret', () => {
    assert.equal(secretMatches(SECRET, stored), true);
  });

  it('is false for any one-character change of the secret', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
    for (let i = 0; i < SECRET.length; i++) {
      for (const replacement of alphabet) {
        if (replacement === SECRET[i]) continue;
        const changed = SECRET.slice(0, i) + replacement + SECRET.slice(i + 1);
        assert.equal(secretMatches(changed, stored), false, `position ${i} → ${replacement}`);
      }
    }
  });

  it('is false for a secret with a character added or removed', () => {
    assert.equal(secretMatches(SECRET.slice(1), stored), false);
    assert.equal(secretMatches(SECRET.slice(0, -1), stored), false);
    assert.equal(secretMatches(`${SECRET}A`, stored), false);
    assert.equal(secretMatches('', stored), false);
  });

  it('is false (and does not throw) for a stored digest of the wrong length', () => {
    assert.equal(secretMatches(SECRET, Buffer.alloc(0)), false);
    assert.equal(secretMatches(SECRET, stored.subarray(0, 31)), false);
    assert.equal(secretMatches(SECRET, Buffer.concat([stored, Buffer.from([0])])), false);
  });
});

describe('sha256', () => {
  it('hashes the UTF-8 bytes of the text', () => {
    assert.equal(sha256('').toString('hex'), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(sha256('abc').toString('hex'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.deepEqual(
      sha256('é'),
      createHash('sha256')
        .update(Buffer.from([0xc3, 0xa9]))
        .digest(),
    );
  });
});

describe('parseApiKey', () => {
  it('splits a well-formed key into prefix and secret', () => {
    assert.deepEqual(parseApiKey(KEY), { prefix: PREFIX, secret: SECRET });
  });

  const malformed: [string, string][] = [
    ['the empty string', ''],
    ['a wrong scheme', `lsx_${PREFIX}_${SECRET}`],
    ['an upper-case scheme', `LSK_${PREFIX}_${SECRET}`],
    ['no scheme', `${PREFIX}_${SECRET}`],
    ['a short prefix', `lsk_${PREFIX.slice(1)}_${SECRET}`],
    ['a long prefix', `lsk_${PREFIX}a_${SECRET}`],
    ['an upper-case prefix', `lsk_${PREFIX.toUpperCase()}_${SECRET}`],
    ['a prefix outside base32 (digit 1)', `lsk_abcdefgh2341_${SECRET}`],
    ['a prefix outside base32 (digit 8)', `lsk_abcdefgh2348_${SECRET}`],
    ['a short secret', `lsk_${PREFIX}_${SECRET.slice(1)}`],
    ['a long secret', `lsk_${PREFIX}_${SECRET}A`],
    ['a secret with base64 "+"', `lsk_${PREFIX}_${SECRET.slice(1)}+`],
    ['a secret with base64 "/"', `lsk_${PREFIX}_${SECRET.slice(1)}/`],
    ['a padded secret', `lsk_${PREFIX}_${SECRET.slice(1)}=`],
    ['a missing separator', `lsk_${PREFIX}${SECRET}`],
    ['a leading space', ` ${KEY}`],
    ['a trailing space', `${KEY} `],
    ['a trailing newline', `${KEY}\n`],
    ['a bearer header instead of a key', `Bearer ${KEY}`],
    ['two keys', `${KEY}${KEY}`],
  ];
  for (const [label, presented] of malformed) {
    it(`rejects ${label}`, () => {
      assert.equal(parseApiKey(presented), undefined);
    });
  }
});

describe('bearerToken', () => {
  it('reads the token of a Bearer authorization', () => {
    assert.equal(bearerToken(`Bearer ${KEY}`), KEY);
    assert.equal(bearerToken('Bearer abc.def-ghi~'), 'abc.def-ghi~');
  });

  it('returns undefined for a missing or empty header', () => {
    assert.equal(bearerToken(undefined), undefined);
    assert.equal(bearerToken(''), undefined);
  });

  it('returns undefined for other schemes', () => {
    assert.equal(bearerToken(`Basic ${Buffer.from('user:pass').toString('base64')}`), undefined);
    assert.equal(bearerToken(`Token ${KEY}`), undefined);
    assert.equal(bearerToken(`Bearer-${KEY}`), undefined);
  });

  it('returns undefined for a Bearer header with no token, or with whitespace in the token', () => {
    assert.equal(bearerToken('Bearer'), undefined);
    assert.equal(bearerToken('Bearer '), undefined);
    assert.equal(bearerToken('Bearer a b'), undefined);
    assert.equal(bearerToken(`Bearer ${KEY}\n`), undefined);
    assert.equal(bearerToken(` Bearer ${KEY}`), undefined);
  });

  it('returns the token verbatim, without validating it as a Liaison key', () => {
    assert.equal(bearerToken('Bearer not-a-key'), 'not-a-key');
  });

  // RFC 9110 §11.1: "It uses a case-insensitive token to identify the authentication scheme".
  it('treats the scheme name case-insensitively (RFC 9110 §11.1)', () => {
    assert.equal(bearerToken(`bearer ${KEY}`), KEY);
    assert.equal(bearerToken(`BEARER ${KEY}`), KEY);
  });
});
