import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with Node's built-in scrypt (memory-hard, no native dependency). The cost
 * parameters are stored next to each hash, so raising them later leaves existing hashes verifiable
 * (see docs/adr/0015).
 */
export interface ScryptParams {
  algorithm: 'scrypt';
  /** CPU/memory cost, a power of two; memory used is 128 · N · r bytes. */
  N: number;
  r: number;
  p: number;
  keyLength: number;
}

export interface PasswordHash {
  hash: Buffer;
  salt: Buffer;
  params: ScryptParams;
}

/** OWASP's minimum for scrypt: N = 2^17, r = 8, p = 1 (128 MiB per hash). */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { algorithm: 'scrypt', N: 2 ** 17, r: 8, p: 1, keyLength: 32 };

const SALT_BYTES = 16;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // maxmem must exceed 128·N·r or Node refuses; leave headroom for the other buffers scrypt needs.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, params.keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Hashes a new password with a fresh random salt. */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): Promise<PasswordHash> {
  const salt = randomBytes(SALT_BYTES);
  return { hash: await derive(password, salt, params), salt, params };
}

/** Constant-time check of a password against a stored hash, using the hash's own parameters. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const candidate = await derive(password, stored.salt, stored.params);
  return candidate.length === stored.hash.length && timingSafeEqual(candidate, stored.hash);
}

/** True when `n` is a power of two of at least 2 (scrypt's requirement on N). */
export function isScryptCost(n: number): boolean {
  return Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0;
}
