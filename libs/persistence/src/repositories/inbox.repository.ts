import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Channel on which a recipient's id is notified (after commit) when copies for it were stored. */
export const INBOX_NOTIFY_CHANNEL = 'liaison_inbox';

export interface NewInboxCopy {
  ownerAgencyId: string;
  eventId: string;
  subject: string;
  type: string;
  /** The copy in CloudEvents structured form. */
  event: Record<string, unknown>;
  /** Webhook subscriptions of the recipient whose filters this copy passes. */
  webhookSubscriptionIds: readonly string[];
}

export interface InboxRow {
  seq: string;
  ownerAgencyId: string;
  eventId: string;
  subject: string;
  type: string;
  event: Record<string, unknown>;
  receivedAt: Date;
}

export interface InboxPageQuery {
  recipientAgencyId: string;
  afterSeq: string;
  limit: number;
  types?: readonly string[] | undefined;
  addedAfter?: Date | undefined;
}

interface RawInboxRow {
  seq: string;
  owner_agency_id: string;
  event_id: string;
  subject: string;
  type: string;
  event: Record<string, unknown>;
  received_at: Date;
}

/**
 * Every recipient's received copies. Writes for one recipient are serialised by a transaction-scoped
 * advisory lock, so within a recipient `seq` order is commit order: a reader that has seen seq N
 * will never later find a newly committed row below N (docs/adr/0017).
 */
@Injectable()
export class InboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores one recipient's copies, in the given order, with one INSERT (idempotent: a copy already
   * stored is skipped), queues webhook deliveries for the newly stored ones, and notifies
   * listeners on commit. Returns how many copies were new.
   */
  async store(recipientAgencyId: string, copies: readonly NewInboxCopy[]): Promise<number> {
    if (copies.length === 0) return 0;
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [recipientAgencyId]);
      const inserted = await manager.query<{ seq: string; owner_agency_id: string; event_id: string; subject: string }[]>(
        `INSERT INTO inbox_event (recipient_agency_id, owner_agency_id, event_id, subject, type, event)
         SELECT $1, c.owner, c.event_id, c.subject, c.type, c.event
           FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::jsonb[]) WITH ORDINALITY
                AS c(owner, event_id, subject, type, event, ord)
          ORDER BY c.ord
         ON CONFLICT (recipient_agency_id, owner_agency_id, event_id) DO NOTHING
         RETURNING seq, owner_agency_id, event_id, subject`,
        [
          recipientAgencyId,
          copies.map((c) => c.ownerAgencyId),
          copies.map((c) => c.eventId),
          copies.map((c) => c.subject),
          copies.map((c) => c.type),
          copies.map((c) => JSON.stringify(c.event)),
        ],
      );
      const targets = new Map(copies.map((c) => [`${c.ownerAgencyId}/${c.eventId}`, c.webhookSubscriptionIds]));
      const subscriptionIds: string[] = [];
      const seqs: string[] = [];
      const subjects: string[] = [];
      for (const row of inserted) {
        for (const id of targets.get(`${row.owner_agency_id}/${row.event_id}`) ?? []) {
          subscriptionIds.push(id);
          seqs.push(row.seq);
          subjects.push(row.subject);
        }
      }
      if (subscriptionIds.length > 0) {
        await manager.query(
          `INSERT INTO webhook_delivery (subscription_id, inbox_seq, subject)
           SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::text[])
           ON CONFLICT (subscription_id, inbox_seq) DO NOTHING`,
          [subscriptionIds, seqs, subjects],
        );
      }
      if (inserted.length > 0) await manager.query('SELECT pg_notify($1, $2)', [INBOX_NOTIFY_CHANNEL, recipientAgencyId]);
      return inserted.length;
    });
  }

  /** The recipient's copies after `afterSeq`, oldest first. */
  async page(query: InboxPageQuery): Promise<InboxRow[]> {
    const params: unknown[] = [query.recipientAgencyId, query.afterSeq, query.limit];
    let where = 'recipient_agency_id = $1 AND seq > $2';
    if (query.types !== undefined && query.types.length > 0) {
      params.push(query.types);
      where += ` AND type = ANY($${params.length}::text[])`;
    }
    if (query.addedAfter !== undefined) {
      params.push(query.addedAfter);
      where += ` AND received_at > $${params.length}`;
    }
    const rows = await this.dataSource.query<RawInboxRow[]>(
      `SELECT seq, owner_agency_id, event_id, subject, type, event, received_at
         FROM inbox_event WHERE ${where} ORDER BY seq LIMIT $3`,
      params,
    );
    return rows.map(toRow);
  }

  /** The highest seq stored for the recipient so far ('0' when none): where a fresh live stream starts. */
  async latestSeq(recipientAgencyId: string): Promise<string> {
    const rows = await this.dataSource.query<{ seq: string | null }[]>(
      'SELECT max(seq) AS seq FROM inbox_event WHERE recipient_agency_id = $1',
      [recipientAgencyId],
    );
    return String(rows[0]?.seq ?? '0');
  }

  /** The recipient's copies received in [from, to), after `afterSeq`, oldest first (for replays). */
  async receivedBetween(recipientAgencyId: string, from: Date, to: Date, afterSeq: string, limit: number): Promise<InboxRow[]> {
    const rows = await this.dataSource.query<RawInboxRow[]>(
      `SELECT seq, owner_agency_id, event_id, subject, type, event, received_at FROM inbox_event
        WHERE recipient_agency_id = $1 AND received_at >= $2 AND received_at < $3 AND seq > $4
        ORDER BY seq LIMIT $5`,
      [recipientAgencyId, from, to, afterSeq, limit],
    );
    return rows.map(toRow);
  }
}

function toRow(r: RawInboxRow): InboxRow {
  return {
    seq: String(r.seq),
    ownerAgencyId: r.owner_agency_id,
    eventId: r.event_id,
    subject: r.subject,
    type: r.type,
    event: r.event,
    receivedAt: r.received_at,
  };
}
