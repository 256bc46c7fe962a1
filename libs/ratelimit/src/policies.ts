import type { CommonConfig } from '@liaison/config';

/**
 * What a route is limited as. Every route is limited per source address; once a credential is
 * known, also per credential at the policy's rate. `sign-in` is also limited per email address, and
 * both of its limits are counted before the password is hashed.
 */
export const RATE_LIMIT_POLICIES = ['default', 'sign-in', 'publish', 'pull', 'stream'] as const;
export type RateLimitPolicy = (typeof RATE_LIMIT_POLICIES)[number];

/** The limits of one service, per window, read from its validated config. */
export interface RateLimits {
  service: string;
  windowMs: number;
  perSource: number;
  perCredential: number;
  signIn: number;
  publish: number;
  pull: number;
  stream: number;
}

export function rateLimitsFrom(service: string, config: CommonConfig): RateLimits {
  return {
    service,
    windowMs: config.RATE_LIMIT_WINDOW_MS,
    perSource: config.RATE_LIMIT_PER_SOURCE,
    perCredential: config.RATE_LIMIT_PER_CREDENTIAL,
    signIn: config.RATE_LIMIT_SIGN_IN,
    publish: config.RATE_LIMIT_PUBLISH,
    pull: config.RATE_LIMIT_PULL,
    stream: config.RATE_LIMIT_STREAM,
  };
}

/** Requests per window from one source address on a route of this policy. */
export function sourceLimit(limits: RateLimits, policy: RateLimitPolicy): number {
  switch (policy) {
    case 'sign-in':
      return limits.signIn;
    case 'default':
    case 'publish':
    case 'pull':
    case 'stream':
      return limits.perSource;
  }
}

/** Requests per window with one credential on a route of this policy. */
export function credentialLimit(limits: RateLimits, policy: RateLimitPolicy): number {
  switch (policy) {
    case 'publish':
      return limits.publish;
    case 'pull':
      return limits.pull;
    case 'stream':
      return limits.stream;
    case 'sign-in':
      return limits.signIn;
    case 'default':
      return limits.perCredential;
  }
}

/**
 * The counter a source address falls into: an IPv4 address as is, an IPv6 address by its /64 (one
 * subscriber usually holds a whole /64, so per-address counting would be trivially evaded).
 */
export function sourceKey(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] !== undefined) return mapped[1];
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
