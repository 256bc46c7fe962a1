import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** A record to publish: `value` null is a tombstone (the object is gone). */
export interface OutboxRecord {
  topic: string;
  key: string;
  value: unknown;
  headers?: Record<string, string>;
}

export interface PendingOutboxRow {
  id: string;
  topic: string;
  key: string;
  value: unknown;
  headers: Record<string, string>;
}

/** Any constant works; it only has to be the same in every relay of one database. */
const RELAY_LOCK_KEY = 7_316_110_017;

/**
 * The transactional outbox. Writers append in the transaction of their change; one relay at a
 * time (a transaction-scoped advisory lock elects it) claims the oldest unpublished rows, publishes
 * them in id order and marks them published in the same transaction.
 */
@Injectable()
export class OutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Appends records in the caller's transaction. */
  async append(m: EntityManager, records: readonly OutboxRecord[]): Promise<void> {
    if (records.length === 0) return;
    const params: unknown[] = [];
    const rows = records.map((r) => {
      params.push(r.topic, r.key, r.value === null ? null : JSON.stringify(r.value), JSON.stringify(r.headers ?? {}));
      const n = params.length;
      return `($${n - 3}, $${n - 2}, $${n - 1}::jsonb, $${n}::jsonb)`;
    });
    await m.query(`INSERT INTO outbox (topic, key, value, headers) VALUES ${rows.join(', ')}`, params);
  }

  /**
   * Becomes the relay for the rest of the transaction, or returns false when another instance is
   * one right now. Serialising relays keeps per-key order: two relays could otherwise publish a
   * later row of one key before an earlier one.
   */
  async tryBecomeRelay(m: EntityManager): Promise<boolean> {
    const rows = await m.query<{ locked: boolean }[]>('SELECT pg_try_advisory_xact_lock($1) AS locked', [RELAY_LOCK_KEY]);
    return rows[0]?.locked === true;
  }

  /**
   * Blocks new outbox rows until the transaction ends and waits for writers in flight, so a state
   * snapshot taken afterwards is newer than every row already in the table.
   */
  async lockAgainstWriters(m: EntityManager): Promise<void> {
    await m.query('LOCK TABLE outbox IN EXCLUSIVE MODE');
  }

  /**
   * The oldest unpublished rows, locked (rows another transaction holds are skipped), in id order.
   * The outer ORDER BY is needed: PostgreSQL may return the rows of `ORDER BY … FOR UPDATE` out of
   * order when they were changed concurrently (the integration test caught exactly that).
   */
  claim(m: EntityManager, limit: number): Promise<PendingOutboxRow[]> {
    return m.query<PendingOutboxRow[]>(
      `WITH claimed AS (
         SELECT id, topic, key, value, headers FROM outbox
          WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
       SELECT id::text AS id, topic, key, value, headers FROM claimed ORDER BY claimed.id`,
      [limit],
    );
  }

  async markPublished(m: EntityManager, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await m.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [ids]);
  }

  /** Forgets rows published before `before` (Kafka holds them now). */
  async deletePublishedBefore(before: Date): Promise<number> {
    const result = await this.dataSource.query<[unknown[], number]>(
      'DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < $1',
      [before],
    );
    return result[1];
  }

  async unpublishedCount(): Promise<number> {
    const rows = await this.dataSource.query<{ n: string }[]>('SELECT count(*) AS n FROM outbox WHERE published_at IS NULL');
    return Number(rows[0]?.n ?? 0);
  }
}
