import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideSignIn, type SignInFacts } from './sign-in.decision';

const now = new Date('2026-11-25T12:00:00Z');
const enabled = { disabledAt: null, lockedUntil: null };
const facts = (over: Partial<SignInFacts>): SignInFacts => ({ account: enabled, passwordMatches: true, agencyActive: true, now, ...over });

describe('decideSignIn', () => {
  it('admits the right password on an enabled, unlocked account', () => {
    assert.deepEqual(decideSignIn(facts({})), { ok: true });
  });

  it('counts only a wrong password on a usable account toward the lockout', () => {
    assert.deepEqual(decideSignIn(facts({ passwordMatches: false })), { ok: false, reason: 'bad-password', countsAsFailure: true });
    assert.deepEqual(decideSignIn(facts({ account: null, passwordMatches: false })), {
      ok: false,
      reason: 'unknown-email',
      countsAsFailure: false,
    });
  });

  it('refuses a locked account even with the right password, until the lock ends', () => {
    const locked = { disabledAt: null, lockedUntil: new Date(now.getTime() + 1_000) };
    assert.deepEqual(decideSignIn(facts({ account: locked })), { ok: false, reason: 'locked', countsAsFailure: false });
    assert.deepEqual(decideSignIn(facts({ account: locked, passwordMatches: false })), {
      ok: false,
      reason: 'locked',
      countsAsFailure: false,
    });
    const expired = { disabledAt: null, lockedUntil: new Date(now.getTime() - 1) };
    assert.deepEqual(decideSignIn(facts({ account: expired })), { ok: true });
  });

  it('refuses a disabled account and an administrator of a suspended agency', () => {
    assert.equal(decideSignIn(facts({ account: { disabledAt: now, lockedUntil: null } })).ok, false);
    assert.deepEqual(decideSignIn(facts({ agencyActive: false })), { ok: false, reason: 'agency-suspended', countsAsFailure: false });
  });
});
