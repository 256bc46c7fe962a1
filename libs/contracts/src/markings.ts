/** Traffic Light Protocol 2.0 labels, from least to most restrictive. */
export const TLP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

/** Handling caveats Liaison recognises; anything else is rejected, never passed on. */
export const CAVEATS = ['LES', 'CJI', 'PII', 'FOUO'] as const;
export type Caveat = (typeof CAVEATS)[number];

export function isTlp(value: unknown): value is Tlp {
  return typeof value === 'string' && (TLP_LEVELS as readonly string[]).includes(value);
}

/** Longest time stamp accepted anywhere in an event: RFC 3339 with nanoseconds and an offset is 35 characters. */
export const MAX_TIMESTAMP_LENGTH = 40;
