import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { RateLimitRepository } from '@liaison/persistence';
import type { RateLimits } from './policies';

export type RateVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

const ALLOWED: RateVerdict = { allowed: true };

export const RATE_LIMITS = Symbol('liaison.rate-limits');

interface Waiter {
  resolve: (verdict: RateVerdict) => void;
}

interface Batch {
  limit: number;
  waiters: Waiter[];
}

/**
 * Fixed-window rate limits shared by every instance of a service through one PostgreSQL counter per
 * bucket and window (ADR 0029). Three things keep it cheap on a hot path:
 * - hits on a bucket that arrive while its upsert is in flight are added together by the next one,
 *   so a busy key costs one round trip per round trip's worth of requests, not one per request;
 * - once a window is full, this instance refuses that bucket locally until the window ends: a flood
 *   of refused requests costs no database write at all;
 * - if PostgreSQL cannot be reached, each instance keeps counting in memory against the same limit,
 *   so limits still hold per instance and an outage of the counter store does not stop the service.
 */
@Injectable()
export class RateLimiter implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RateLimiter.name);
  /** Buckets with an upsert in flight, and the hits that arrived meanwhile (null: none yet). */
  private readonly inFlight = new Map<string, Batch | null>();
  /** Buckets whose window is full, with the local time its window ends. */
  private readonly full = new Map<string, number>();
  private readonly fallback = new Map<string, { window: number; hits: number }>();
  private cleanup: NodeJS.Timeout | undefined;
  private lastFailureLog = 0;

  constructor(
    private readonly counters: RateLimitRepository,
    @Inject(RATE_LIMITS) readonly limits: RateLimits,
  ) {}

  onModuleInit(): void {
    // Ended windows are deleted by whichever instance comes first; a missed run only leaves rows a bit longer.
    this.cleanup = setInterval(() => void this.sweep(), Math.max(this.limits.windowMs, 10_000));
    this.cleanup.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.cleanup);
  }

  /** Counts one request against `bucket` and says whether it is within `limit` for the current window. */
  hit(bucket: string, limit: number): Promise<RateVerdict> {
    const until = this.full.get(bucket);
    if (until !== undefined) {
      const left = until - Date.now();
      if (left > 0) return Promise.resolve({ allowed: false, retryAfterMs: left });
      this.full.delete(bucket);
    }
    return new Promise<RateVerdict>((resolve) => {
      if (this.inFlight.has(bucket)) {
        const queued = this.inFlight.get(bucket) ?? { limit, waiters: [] };
        queued.waiters.push({ resolve });
        this.inFlight.set(bucket, queued);
        return;
      }
      this.inFlight.set(bucket, null);
      void this.flush(bucket, { limit, waiters: [{ resolve }] });
    });
  }

  private async flush(bucket: string, batch: Batch): Promise<void> {
    const n = batch.waiters.length;
    let verdicts: RateVerdict[];
    try {
      const { hits, remainingMs } = await this.counters.add(bucket, this.limits.windowMs, n);
      // The batch's hits took the counts hits-n+1 … hits, in arrival order.
      verdicts = batch.waiters.map((_, i) => (hits - n + 1 + i <= batch.limit ? ALLOWED : { allowed: false, retryAfterMs: remainingMs }));
      if (hits >= batch.limit) this.full.set(bucket, Date.now() + remainingMs);
    } catch (error: unknown) {
      verdicts = batch.waiters.map(() => this.countLocally(bucket, batch.limit));
      if (Date.now() - this.lastFailureLog > 10_000) {
        this.lastFailureLog = Date.now();
        this.logger.warn(
          `rate-limit counters unavailable, counting per instance: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    batch.waiters.forEach((waiter, i) => waiter.resolve(verdicts[i] ?? ALLOWED));
    const next = this.inFlight.get(bucket);
    if (next) {
      this.inFlight.set(bucket, null);
      void this.flush(bucket, next);
    } else {
      this.inFlight.delete(bucket);
    }
  }

  private countLocally(bucket: string, limit: number): RateVerdict {
    const now = Date.now();
    const window = Math.floor(now / this.limits.windowMs);
    const entry = this.fallback.get(bucket);
    const counted = entry !== undefined && entry.window === window ? entry : { window, hits: 0 };
    counted.hits += 1;
    this.fallback.set(bucket, counted);
    return counted.hits <= limit ? ALLOWED : { allowed: false, retryAfterMs: (window + 1) * this.limits.windowMs - now };
  }

  private async sweep(): Promise<void> {
    const now = Date.now();
    for (const [bucket, until] of this.full) if (until <= now) this.full.delete(bucket);
    const window = Math.floor(now / this.limits.windowMs);
    for (const [bucket, entry] of this.fallback) if (entry.window !== window) this.fallback.delete(bucket);
    try {
      await this.counters.deleteExpired();
    } catch {
      // The next sweep tries again; counters of ended windows are never read, only kept.
    }
  }
}
