/** Why a sign-in was refused; recorded in the audit log only, never told to the caller. */
export type SignInRefusal = 'unknown-email' | 'disabled' | 'locked' | 'bad-password' | 'agency-suspended';

export type SignInVerdict = { ok: true } | { ok: false; reason: SignInRefusal; countsAsFailure: boolean };

export interface SignInFacts {
  /** The account the email names, or null. */
  account: { disabledAt: Date | null; lockedUntil: Date | null } | null;
  passwordMatches: boolean;
  /** False when the account administers a suspended agency. */
  agencyActive: boolean;
  now: Date;
}

/**
 * Decides a sign-in. A locked account is refused even with the right password, and attempts while
 * locked do not extend the lock (so nobody can keep a colleague locked out forever by guessing).
 * Only a wrong password on an enabled, unlocked account counts toward the lockout.
 */
export function decideSignIn(facts: SignInFacts): SignInVerdict {
  const { account } = facts;
  if (account === null) return { ok: false, reason: 'unknown-email', countsAsFailure: false };
  if (account.disabledAt !== null) return { ok: false, reason: 'disabled', countsAsFailure: false };
  if (account.lockedUntil !== null && account.lockedUntil > facts.now) return { ok: false, reason: 'locked', countsAsFailure: false };
  if (!facts.passwordMatches) return { ok: false, reason: 'bad-password', countsAsFailure: true };
  if (!facts.agencyActive) return { ok: false, reason: 'agency-suspended', countsAsFailure: false };
  return { ok: true };
}
