import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { createDataSource, dropDatabase, migrate, RateLimitRepository, withDatabase } from '@liaison/persistence';
import { RateLimiter, type RateLimits } from '@liaison/ratelimit';

/**
 * What a rate-limit check costs on the publish path: the limiter as the services run it (one
 * PostgreSQL upsert per bucket per round trip, concurrent hits on a bucket coalesced) against the
 * floor of any shared counter, one `SELECT 1` round trip. Sequential hits show the latency each
 * request pays; concurrent hits on one busy key show what coalescing leaves of the database cost.
 */
export interface RateLimitBenchResult {
  /** Awaited SELECT 1 round trips per second: the floor of any check in PostgreSQL. */
  roundTripsPerSecond: number;
  sequentialHitsPerSecond: number;
  sequentialMicrosPerHit: number;
  concurrentHitsPerSecond: number;
  /** Checks the concurrent run answered per upsert it issued (1 without coalescing). */
  checksPerUpsert: number;
}

const LIMITS: RateLimits = {
  service: 'bench',
  windowMs: 3_600_000,
  perSource: 1e9,
  perCredential: 1e9,
  signIn: 1e9,
  publish: 1e9,
  pull: 1e9,
  stream: 1e9,
};

export async function rateLimitBench(databaseUrl: string, hits: number, concurrency: number): Promise<RateLimitBenchResult> {
  const url = withDatabase(databaseUrl, `liaison_bench_${randomUUID().slice(0, 8)}`);
  await migrate(url);
  const dataSource = createDataSource(url, 'liaison-bench');
  await dataSource.initialize();
  try {
    const repository = new RateLimitRepository(dataSource);
    let upserts = 0;
    const counting = Object.assign(Object.create(repository) as RateLimitRepository, {
      add: (bucket: string, windowMs: number, n: number) => {
        upserts += 1;
        return repository.add(bucket, windowMs, n);
      },
    });
    const limiter = new RateLimiter(counting, LIMITS);
    for (let i = 0; i < 200; i++) await limiter.hit('warm-up', 1e9);

    let started = performance.now();
    for (let i = 0; i < hits; i++) await dataSource.query('SELECT 1');
    const roundTripsPerSecond = hits / ((performance.now() - started) / 1000);

    started = performance.now();
    for (let i = 0; i < hits; i++) await limiter.hit('publish:cred:sequential', 1e9);
    const sequentialMs = performance.now() - started;

    upserts = 0;
    started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < hits) {
          next += 1;
          await limiter.hit('publish:cred:busy-key', 1e9);
        }
      }),
    );
    const concurrentMs = performance.now() - started;
    return {
      roundTripsPerSecond,
      sequentialHitsPerSecond: hits / (sequentialMs / 1000),
      sequentialMicrosPerHit: (sequentialMs * 1000) / hits,
      concurrentHitsPerSecond: hits / (concurrentMs / 1000),
      checksPerUpsert: hits / Math.max(1, upserts),
    };
  } finally {
    await dataSource.destroy();
    await dropDatabase(url);
  }
}
