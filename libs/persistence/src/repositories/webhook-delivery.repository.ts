import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
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
  /**
   * The structured CloudEvent as JSON text, exactly the webhook body: taken as Postgres prints the
   * stored jsonb, so the dispatcher neither parses nor re-serialises it.
   */
  body: string;
}

interface RawClaimed {
  id: string;
  subscription_id: string;
  inbox_seq: string;
  attempts: number;
  owner_agency_id: string;
  event_id: string;
  subject: string;
  body: string;
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

/** One finished attempt: how it leaves its row, and its ledger record. */
export interface CompletedAttempt {
  outcome: AttemptOutcome;
  ledger: DeliveryRecord;
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
   * `maxPerEndpoint` held per endpoint counting `inFlight`, and returns them with their copies. Each
   * endpoint's pending rows are walked oldest first and the walk stops at its budget, so a round
   * costs what it claims rather than the whole backlog.
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
      `WITH chosen AS (
         SELECT x.id, x.inbox_seq
           FROM subscription s
           LEFT JOIN unnest($3::uuid[], $4::int[]) AS f(sub, n) ON f.sub = s.id
          CROSS JOIN LATERAL (
                SELECT d.id, d.inbox_seq
                  FROM webhook_delivery d
                 WHERE d.subscription_id = s.id AND d.status = 'pending'
                   AND d.next_attempt_at <= now() AND (d.locked_until IS NULL OR d.locked_until < now())
                   -- the queue's head: one index probe per candidate, whatever the statistics say
                   AND d.inbox_seq = (
                         SELECT min(p.inbox_seq) FROM webhook_delivery p
                          WHERE p.subscription_id = d.subscription_id AND p.subject = d.subject AND p.status = 'pending')
                 ORDER BY d.inbox_seq
                 LIMIT GREATEST(0, $5 - COALESCE(f.n, 0))
          ) x
          WHERE s.status = 'active' AND s.channel = 'webhook'
          ORDER BY x.inbox_seq
          LIMIT $1
       ), claimed AS (
         UPDATE webhook_delivery w SET locked_until = now() + make_interval(secs => $2::double precision / 1000)
           FROM chosen
          WHERE w.id = chosen.id AND w.status = 'pending' AND (w.locked_until IS NULL OR w.locked_until < now())
          RETURNING w.id, w.subscription_id, w.inbox_seq, w.attempts
       )
       SELECT c.id, c.subscription_id, c.inbox_seq, c.attempts, i.owner_agency_id, i.event_id, i.subject, i.event::text AS body
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
      body: r.body,
    }));
  }

  /**
   * Ends many attempts in one statement (so one transaction): every row's new state (delivered;
   * pending with its next attempt time; or failed), lease released, and one ledger record per
   * attempt. Either all of them are recorded or none is (the rows then keep their leases and are
   * attempted again when those end: at least once, same webhook-id).
   */
  async completeAttempts(attempts: readonly CompletedAttempt[]): Promise<void> {
    if (attempts.length === 0) return;
    const clip = (text: string | null | undefined): string | null => (text === null || text === undefined ? null : text.slice(0, 500));
    await this.dataSource.query(
      `WITH o AS (
         SELECT * FROM unnest($1::bigint[], $2::varchar[], $3::int[], $4::timestamptz[], $5::varchar[])
                    AS o(id, status, attempts, next_attempt_at, last_error)
       ), done AS (
         UPDATE webhook_delivery w
            SET status = o.status, attempts = o.attempts, next_attempt_at = COALESCE(o.next_attempt_at, w.next_attempt_at),
                locked_until = NULL, last_error = o.last_error, updated_at = now()
           FROM o
          WHERE w.id = o.id
       )
       INSERT INTO delivery_attempt (owner_agency_id, event_id, recipient_agency_id, channel, subscription_id, outcome, detail)
       SELECT * FROM unnest($6::uuid[], $7::varchar[], $8::uuid[], $9::varchar[], $10::uuid[], $11::varchar[], $12::varchar[])
       ON CONFLICT DO NOTHING`,
      [
        attempts.map((a) => a.outcome.id),
        attempts.map((a) => a.outcome.status),
        attempts.map((a) => a.outcome.attempts),
        attempts.map((a) => a.outcome.nextAttemptAt ?? null),
        attempts.map((a) => clip(a.outcome.error)),
        attempts.map((a) => a.ledger.ownerAgencyId),
        attempts.map((a) => a.ledger.eventId),
        attempts.map((a) => a.ledger.recipientAgencyId),
        attempts.map((a) => a.ledger.channel),
        attempts.map((a) => a.ledger.subscriptionId ?? null),
        attempts.map((a) => a.ledger.outcome),
        attempts.map((a) => clip(a.ledger.detail)),
      ],
    );
  }

  /** Gives claimed rows that were never attempted back at once, instead of when their lease ends. */
  async releaseLeases(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(`UPDATE webhook_delivery SET locked_until = NULL WHERE id = ANY($1::bigint[]) AND status = 'pending'`, [
      ids,
    ]);
  }

  /**
   * Queues (again) the agency's copies received in [from, to) for one subscription; already
   * delivered or failed ones go back to pending with a fresh retry count. Returns how many.
   */
  async requeue(
    subscriptionId: string,
    seqs: readonly string[],
    subjects: readonly string[],
    m: EntityManager = this.dataSource.manager,
  ): Promise<number> {
    if (seqs.length === 0) return 0;
    const rows = await m.query<{ id: string }[]>(
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
