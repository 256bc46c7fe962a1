import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashPassword, isScryptCost, verifyPassword, type ScryptParams } from './passwords';
import { isSessionToken, issueSessionToken } from './sessions';
import { sha256 } from './api-keys';

// A low cost keeps the unit test quick; the parameters travel with the hash either way.
const CHEAP: ScryptParams = { algorithm: 'scrypt', N: 2 ** 10, r: 8, p: 1, keyLength: 32 };

describe('passwords', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple', CHEAP);
    assert.equal(await verifyPassword('correct horse battery staple', stored), true);
    assert.equal(await verifyPassword('correct horse battery stapler', stored), false);
  });

  it('salts every hash, so one password hashes differently twice', async () => {
    const a = await hashPassword('same password here', CHEAP);
    const b = await hashPassword('same password here', CHEAP);
    assert.notDeepEqual(a.salt, b.salt);
    assert.notDeepEqual(a.hash, b.hash);
  });

  it('verifies with the parameters stored with the hash, not the current defaults', async () => {
    const stored = await hashPassword('an older password', { ...CHEAP, N: 2 ** 11 });
    assert.equal(await verifyPassword('an older password', stored), true);
    assert.equal(await verifyPassword('an older password', { ...stored, params: CHEAP }), false);
  });

  it('treats canonically equivalent Unicode as the same password', async () => {
    const stored = await hashPassword('caf\u00e9 au lait!', CHEAP);
    assert.equal(await verifyPassword('cafe\u0301 au lait!', stored), true);
  });

  it('accepts only powers of two as scrypt cost', () => {
    assert.deepEqual([1024, 131072, 1000, 1, 0, 3.5].map(isScryptCost), [true, true, false, false, false, false]);
  });
});

describe('session tokens', () => {
  it('are random, recognisable, and stored only as their digest', () => {
    const a = issueSessionToken();
    const b = issueSessionToken();
    assert.notEqual(a.plaintext, b.plaintext);
    assert.equal(isSessionToken(a.plaintext), true);
    assert.equal(isSessionToken(`${a.plaintext}x`), false);
    assert.deepEqual(a.sha256, sha256(a.plaintext));
  });
});
