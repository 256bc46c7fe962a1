/**
 * When to try a failed webhook again, and what a response means. Pure: the dispatcher gives the
 * attempt count and the clock.
 */

/** Delays after the 1st, 2nd, … failed attempt. Past the end, the delivery has failed for good. */
export const DEFAULT_RETRY_SCHEDULE = '5s,5m,30m,2h,5h,10h,10h';

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** Parses `5s,5m,2h,150ms` into milliseconds; undefined when any item is malformed. */
export function parseRetrySchedule(text: string): number[] | undefined {
  const delays: number[] = [];
  for (const item of text.split(',')) {
    const match = /^(\d+)(ms|s|m|h)$/.exec(item.trim());
    const unit = match?.[2];
    if (!match?.[1] || unit === undefined) return undefined;
    delays.push(Number(match[1]) * (UNITS[unit] ?? 1));
  }
  return delays.length > 0 ? delays : undefined;
}

export type ResponseVerdict = 'delivered' | 'gone' | 'retry';

/** 2xx delivered; 410 Gone disables the endpoint; everything else (429, 5xx, other 4xx, network) retries. */
export function classifyResponse(status: number): ResponseVerdict {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 410) return 'gone';
  return 'retry';
}

/**
 * The delay before the next attempt after `failedAttempts` failures, or undefined when the schedule
 * is exhausted. A `Retry-After` (429/503) lengthens the delay, never shortens it.
 */
export function nextRetryDelay(schedule: readonly number[], failedAttempts: number, retryAfterMs?: number): number | undefined {
  const delay = schedule[failedAttempts - 1];
  if (delay === undefined) return undefined;
  return Math.max(delay, retryAfterMs ?? 0);
}

/** Reads a Retry-After header (seconds or an HTTP date) as milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1_000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** True when an endpoint failing since `failingSince` has failed for longer than `disableAfterMs`. */
export function shouldDisable(failingSince: Date | null, now: Date, disableAfterMs: number): boolean {
  return failingSince !== null && now.getTime() - failingSince.getTime() >= disableAfterMs;
}
