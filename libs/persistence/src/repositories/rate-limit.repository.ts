import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A bucket's count in the current window, as the database clock sees it. */
export interface WindowCount {
  /** Hits in the window, including the ones just added. */
  hits: number;
  /** Milliseconds until the window ends. */
  remainingMs: number;
}

/**
 * Shared fixed-window counters (table `rate_limit_counter`). The window is computed from the
 * database's clock, so every instance of a service counts into the same window whatever its own
 * clock says.
 */
@Injectable()
export class RateLimitRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Adds `n` hits to `bucket`'s current window in one atomic upsert and returns the new count. */
  async add(bucket: string, windowMs: number, n: number): Promise<WindowCount> {
    const rows = await this.dataSource.query<{ hits: number; remaining_ms: string }[]>(
      `WITH w AS (SELECT $2::bigint AS win, (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS now_ms)
       INSERT INTO rate_limit_counter AS c (bucket, window_ms, window_index, hits, expires_at)
       SELECT $1::text, w.win::int, w.now_ms / w.win, $3::int, to_timestamp(((w.now_ms / w.win + 1) * w.win) / 1000.0) FROM w
       ON CONFLICT (bucket, window_ms, window_index) DO UPDATE SET hits = c.hits + EXCLUDED.hits
       RETURNING c.hits, ((c.window_index + 1) * c.window_ms - (SELECT now_ms FROM w))::bigint AS remaining_ms`,
      [bucket, windowMs, n],
    );
    const row = rows[0];
    if (row === undefined) throw new Error('rate limit upsert returned no row');
    return { hits: row.hits, remainingMs: Math.max(0, Number(row.remaining_ms)) };
  }

  /** Deletes counters of windows that have ended. */
  async deleteExpired(): Promise<number> {
    const result = await this.dataSource.query<[unknown[], number]>(`DELETE FROM rate_limit_counter WHERE expires_at < now()`);
    return result[1];
  }
}
