import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DeliveryRecord } from './ledger.repository';

/** A leased delivery: the oldest pending copy of its (endpoint, subject) queue, with the copy. */
export interface ClaimedDelivery {
  id: string;
  subscriptionId: string;
  inboxSeq: string;
  /** Attempts made before this one. */
  attempts: number;
  ownerAgencyId: string;
  eventId: string;
  subject: string;
  /** The structured CloudEvent: the webhook body. */
  event: Record<string, unknown>;
}

interface RawClaimed {
  id: string;
  subscription_id: string;
  inbox_seq: string;
  attempts: number;
  owner_agency_id: string;
  event_id: string;
  subject: string;
  event: Record<string, unknown>;
}

/** How an attempt leaves its row. */
export interface AttemptOutcome {
  id: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  /** For `pending`: when to try again. */
  nextAttemptAt?: Date;
  error: string | null;
}

/**
 * Per-endpoint webhook retry state, in Postgres so that a killed delivery service loses nothing:
 * a row stays `pending` until a 2xx is recorded, and a claim is only a lease that expires.
 */
@Injectable()
export class WebhookDeliveryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Leases, in one statement, the due heads of the (endpoint, subject) queues, oldest first, at most
   * `maxPerEndpoint` in flight per endpoint counting `inFlight`, and returns them with their copies.
   * Only a queue's head is ever returned, so one subject's copies reach an endpoint in order; a head
   * waiting for its retry holds back its own subject on its own endpoint only. The lease (not a lock)
   * is what a killed instance leaves behind: it expires and the copy is sent again.
   */
  async claimDue(
    limit: number,
    leaseMs: number,
    maxPerEndpoint: number,
    inFlight: ReadonlyMap<string, number>,
  ): Promise<ClaimedDelivery[]> {
    const rows = await this.dataSource.query<RawClaimed[]>(
      `WITH heads AS (
         SELECT DISTINCT ON (d.subscription_id, d.subject) d.id, d.subscription_id, d.inbox_seq, d.next_attempt_at, d.locked_until
           FROM webhook_delivery d
          WHERE d.status = 'pending'
          ORDER BY d.subscription_id, d.subject, d.inbox_seq
       ), due AS (
         SELECT h.id, h.subscription_id, h.inbox_seq,
                row_number() OVER (PARTITION BY h.subscription_id ORDER BY h.inbox_seq) AS rn
           FROM heads h JOIN subscription s ON s.id = h.subscription_id AND s.status = 'active'
          WHERE h.next_attempt_at <= now() AND (h.locked_until IS NULL OR h.locked_until < now())
       ), chosen AS (
         SELECT due.id FROM due LEFT JOIN unnest($3::uuid[], $4::int[]) AS f(sub, n) ON f.sub = due.subscription_id
          WHERE due.rn <= $5 - COALESCE(f.n, 0)
          ORDER BY due.inbox_seq
          LIMIT $1
       ), claimed AS (
         UPDATE webhook_delivery w SET locked_until = now() + make_interval(secs => $2::double precision / 1000)
           FROM chosen
          WHERE w.id = chosen.id AND w.status = 'pending' AND (w.locked_until IS NULL OR w.locked_until < now())
          RETURNING w.id, w.subscription_id, w.inbox_seq, w.attempts
       )
       SELECT c.id, c.subscription_id, c.inbox_seq, c.attempts, i.owner_agency_id, i.event_id, i.subject, i.event
         FROM claimed c JOIN inbox_event i ON i.seq = c.inbox_seq
        ORDER BY c.inbox_seq`,
      [limit, leaseMs, [...inFlight.keys()], [...inFlight.values()], maxPerEndpoint],
    );
    return rows.map((r) => ({
      id: String(r.id),
      subscriptionId: r.subscription_id,
      inboxSeq: String(r.inbox_seq),
      attempts: r.attempts,
      ownerAgencyId: r.owner_agency_id,
      eventId: r.event_id,
      subject: r.subject,
      event: r.event,
    }));
  }

  /**
   * Ends one attempt in one statement: the row's new state (delivered; pending with its next
   * attempt time; or failed) and the attempt's ledger record.
   */
  async completeAttempt(outcome: AttemptOutcome, ledger: DeliveryRecord): Promise<void> {
    await this.dataSource.query(
      `WITH done AS (
         UPDATE webhook_delivery
            SET status = $2::varchar, attempts = $3, next_attempt_at = COALESCE($4, next_attempt_at), locked_until = NULL,
                last_error = $5, updated_at = now()
          WHERE id = $1
       )
       INSERT INTO delivery_attempt (owner_agency_id, event_id, recipient_agency_id, channel, subscription_id, outcome, detail)
       VALUES ($6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT DO NOTHING`,
      [
        outcome.id,
        outcome.status,
        outcome.attempts,
        outcome.nextAttemptAt ?? null,
        outcome.error === null ? null : outcome.error.slice(0, 500),
        ledger.ownerAgencyId,
        ledger.eventId,
        ledger.recipientAgencyId,
        ledger.channel,
        ledger.subscriptionId ?? null,
        ledger.outcome,
        ledger.detail === null ? null : ledger.detail.slice(0, 500),
      ],
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
