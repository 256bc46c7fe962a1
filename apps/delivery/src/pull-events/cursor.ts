import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Pull cursors are opaque and stateless: the inbox seq of the last object returned, with a MAC so a
 * client can neither forge one nor mistake one for a number it may do arithmetic on. Any instance
 * behind a load balancer can continue any cursor; nothing is kept on the server.
 */
const MAC_BYTES = 16;

export function encodeCursor(key: Buffer, seq: string): string {
  const body = Buffer.from(`v1:${seq}`, 'utf8');
  return `${body.toString('base64url')}.${mac(key, body).toString('base64url')}`;
}

/** The seq inside a cursor, or undefined when it is malformed or not one this deployment issued. */
export function decodeCursor(key: Buffer, cursor: string): string | undefined {
  const [bodyPart, macPart, extra] = cursor.split('.');
  if (bodyPart === undefined || macPart === undefined || extra !== undefined) return undefined;
  const body = Buffer.from(bodyPart, 'base64url');
  const presented = Buffer.from(macPart, 'base64url');
  const expected = mac(key, body);
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return undefined;
  const match = /^v1:(\d{1,19})$/.exec(body.toString('utf8'));
  return match?.[1];
}

function mac(key: Buffer, body: Buffer): Buffer {
  return createHmac('sha256', key).update(body).digest().subarray(0, MAC_BYTES);
}
