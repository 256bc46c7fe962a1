import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Agency API keys look like `lsk_<prefix>_<secret>`: the prefix (12 base32 characters) finds the
 * row; the secret (32 random bytes, base64url) is checked against its SHA-256 digest. A fast hash is
 * right here — unlike a password, a 256-bit random secret cannot be guessed from a dictionary —
 * and it keeps key checks off the hot path's critical cost (see docs/adr/0006).
 */
const KEY_PATTERN = /^lsk_([a-z2-7]{12})_([A-Za-z0-9_-]{43})$/;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

export interface IssuedKey {
  /** The whole key, to be shown to its owner once and never stored. */
  readonly plaintext: string;
  readonly prefix: string;
  readonly secretSha256: Buffer;
}

export function issueApiKey(): IssuedKey {
  const prefix = Array.from(randomBytes(12), (b) => BASE32[b % 32]).join('');
  const secret = randomBytes(32).toString('base64url');
  return { plaintext: `lsk_${prefix}_${secret}`, prefix, secretSha256: sha256(secret) };
}

/** Splits a presented key; undefined when it is not shaped like a Liaison key. */
export function parseApiKey(presented: string): { prefix: string; secret: string } | undefined {
  const match = KEY_PATTERN.exec(presented);
  if (!match?.[1] || !match[2]) return undefined;
  return { prefix: match[1], secret: match[2] };
}

/** Constant-time check of a presented secret against the stored digest. */
export function secretMatches(secret: string, storedSha256: Buffer): boolean {
  const digest = sha256(secret);
  return digest.length === storedSha256.length && timingSafeEqual(digest, storedSha256);
}

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Reads a bearer token from an Authorization header value. */
export function bearerToken(header: string | undefined): string | undefined {
  // The scheme name is case-insensitive (RFC 9110 §11.1).
  const match = /^Bearer ([^\s]+)$/i.exec(header ?? '');
  return match?.[1];
}
