import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { returnedRows } from './postgres-errors';

/** A delivery the dispatcher may attempt now: the oldest pending copy of its (endpoint, subject) queue. */
export interface DueDelivery {
  id: string;
  subscriptionId: string;
  inboxSeq: string;
  attempts: number;
}

/**
 * Per-endpoint webhook retry state, in Postgres so that a killed delivery service loses nothing:
 * a row stays `pending` until a 2xx is recorded, and a claim is only a lease that expires.
 */
@Injectable()
export class WebhookDeliveryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Heads of the (endpoint, subject) queues that are due and not leased, oldest first. Only a
   * queue's head is ever returned, so one subject's copies reach an endpoint in order; a head that
   * is waiting for its retry holds back its own subject only.
   */
  async dueHeads(limit: number, excludeSubscriptionIds: readonly string[]): Promise<DueDelivery[]> {
    const rows = await this.dataSource.query<{ id: string; subscription_id: string; inbox_seq: string; attempts: number }[]>(
      `SELECT h.id, h.subscription_id, h.inbox_seq, h.attempts
         FROM (SELECT DISTINCT ON (d.subscription_id, d.subject) d.id, d.subscription_id, d.inbox_seq, d.attempts,
                      d.next_attempt_at, d.locked_until
                 FROM webhook_delivery d
                WHERE d.status = 'pending' AND NOT (d.subscription_id = ANY($2::uuid[]))
                ORDER BY d.subscription_id, d.subject, d.inbox_seq) h
         JOIN subscription s ON s.id = h.subscription_id AND s.status = 'active'
        WHERE h.next_attempt_at <= now() AND (h.locked_until IS NULL OR h.locked_until < now())
        ORDER BY h.inbox_seq
        LIMIT $1`,
      [limit, excludeSubscriptionIds],
    );
    return rows.map((r) => ({ id: String(r.id), subscriptionId: r.subscription_id, inboxSeq: String(r.inbox_seq), attempts: r.attempts }));
  }

  /** Leases rows for `leaseMs`; returns the ids this caller won (another instance may win some). */
  async claim(ids: readonly string[], leaseMs: number): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const result: unknown = await this.dataSource.query(
      `UPDATE webhook_delivery SET locked_until = now() + make_interval(secs => $2::double precision / 1000)
        WHERE id = ANY($1::bigint[]) AND status = 'pending' AND (locked_until IS NULL OR locked_until < now())
          AND EXISTS (SELECT 1 FROM subscription s WHERE s.id = webhook_delivery.subscription_id AND s.status = 'active')
        RETURNING id`,
      [ids, leaseMs],
    );
    return new Set(returnedRows<{ id: string }>(result).map((r) => String(r.id)));
  }

  async markDelivered(id: string, attempts: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_delivery SET status = 'delivered', attempts = $2, locked_until = NULL, last_error = NULL, updated_at = now() WHERE id = $1`,
      [id, attempts],
    );
  }

  /** Schedules the next attempt (the row stays pending, so its subject's later copies keep waiting). */
  async markRetry(id: string, attempts: number, nextAttemptAt: Date, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_delivery SET attempts = $2, next_attempt_at = $3, locked_until = NULL, last_error = $4, updated_at = now() WHERE id = $1`,
      [id, attempts, nextAttemptAt, error.slice(0, 500)],
    );
  }

  /** The retry schedule is exhausted: the copy is given up on (it can still be replayed). */
  async markFailed(id: string, attempts: number, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_delivery SET status = 'failed', attempts = $2, locked_until = NULL, last_error = $3, updated_at = now() WHERE id = $1`,
      [id, attempts, error.slice(0, 500)],
    );
  }

  /**
   * Queues (again) the agency's copies received in [from, to) for one subscription; already
   * delivered or failed ones go back to pending with a fresh retry count. Returns how many.
   */
  async requeue(subscriptionId: string, seqs: readonly string[], subjects: readonly string[]): Promise<number> {
    if (seqs.length === 0) return 0;
    const rows = await this.dataSource.query<{ id: string }[]>(
      `INSERT INTO webhook_delivery (subscription_id, inbox_seq, subject)
       SELECT $1, s.seq, s.subject FROM unnest($2::bigint[], $3::text[]) AS s(seq, subject)
       ON CONFLICT (subscription_id, inbox_seq) DO UPDATE
         SET status = 'pending', attempts = 0, next_attempt_at = now(), locked_until = NULL, last_error = NULL, updated_at = now()
       RETURNING id`,
      [subscriptionId, seqs, subjects],
    );
    return rows.length;
  }

  /** Counts of the subscription's deliveries by status, for its administrator. */
  async statusCounts(subscriptionId: string): Promise<Record<string, number>> {
    const rows = await this.dataSource.query<{ status: string; n: string }[]>(
      `SELECT status, count(*) AS n FROM webhook_delivery WHERE subscription_id = $1 GROUP BY status`,
      [subscriptionId],
    );
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  /** The most recent error of the subscription's deliveries, if any. */
  async lastError(subscriptionId: string): Promise<string | null> {
    const rows = await this.dataSource.query<{ last_error: string }[]>(
      `SELECT last_error FROM webhook_delivery WHERE subscription_id = $1 AND last_error IS NOT NULL ORDER BY updated_at DESC LIMIT 1`,
      [subscriptionId],
    );
    return rows[0]?.last_error ?? null;
  }
}
