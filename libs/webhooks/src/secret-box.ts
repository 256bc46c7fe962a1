import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Secrets Liaison must be able to use again (webhook signing secrets) are kept sealed with
 * AES-256-GCM under the deployment key `LIAISON_SECRET_KEY`: nonce (12) ‖ tag (16) ‖ ciphertext.
 * A hash would not do: the delivery service needs the secret itself to sign.
 */
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** Parses `LIAISON_SECRET_KEY`: 32 bytes, base64 or base64url. Undefined when it is not that. */
export function parseSecretKey(text: string): Buffer | undefined {
  const key = Buffer.from(text, 'base64');
  return key.length === 32 ? key : undefined;
}

export function sealSecret(key: Buffer, plaintext: string, purpose: string): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  // The purpose is authenticated data: a sealed value cannot be moved to another use.
  cipher.setAAD(Buffer.from(purpose, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), body]);
}

/** Opens a sealed secret; throws when it was tampered with, sealed for another purpose or key. */
export function openSecret(key: Buffer, sealed: Buffer, purpose: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE_BYTES));
  decipher.setAAD(Buffer.from(purpose, 'utf8'));
  decipher.setAuthTag(sealed.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}

/** A sub-key for one purpose, so one deployment key never serves two algorithms directly. */
export function deriveKey(key: Buffer, purpose: string): Buffer {
  return createHmac('sha256', key).update(`liaison:${purpose}`, 'utf8').digest();
}
