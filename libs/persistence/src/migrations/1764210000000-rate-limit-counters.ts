import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fixed-window request counters shared by every instance of a service (ADR 0029). UNLOGGED: a
 * counter is not a record; losing the table in a crash only forgives the current window.
 */
export class RateLimitCounters1764210000000 implements MigrationInterface {
  name = 'RateLimitCounters1764210000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE rate_limit_counter (
        bucket text NOT NULL CHECK (length(bucket) <= 200),
        window_ms integer NOT NULL CHECK (window_ms > 0),
        window_index bigint NOT NULL,
        hits integer NOT NULL CHECK (hits >= 0),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (bucket, window_ms, window_index)
      )`);
    await q.query(`CREATE INDEX rate_limit_counter_expires_idx ON rate_limit_counter (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limit_counter`);
  }
}
