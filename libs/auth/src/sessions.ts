import { randomBytes } from 'node:crypto';
import { sha256 } from './api-keys';

/**
 * Session bearer tokens look like `lss_<43 base64url characters>` (256 random bits). Only their
 * SHA-256 is stored: like an API key, a random token cannot be guessed, so a fast hash is enough.
 */
const SESSION_PATTERN = /^lss_[A-Za-z0-9_-]{43}$/;

export interface IssuedSessionToken {
  /** Returned to the signed-in person once; never stored. */
  readonly plaintext: string;
  readonly sha256: Buffer;
}

export function issueSessionToken(): IssuedSessionToken {
  const plaintext = `lss_${randomBytes(32).toString('base64url')}`;
  return { plaintext, sha256: sha256(plaintext) };
}

/** True when the presented bearer token is shaped like a session token. */
export function isSessionToken(presented: string): boolean {
  return SESSION_PATTERN.test(presented);
}
