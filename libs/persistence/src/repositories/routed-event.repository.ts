import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EventFacts, TlpLabel } from '@liaison/policy/model';

/** One routed event as the policy rules see it, plus its subject (for people reading an explanation). */
export interface RoutedEventRecord extends EventFacts {
  subject: string;
}

interface RoutedEventRow {
  owner_agency_id: string;
  event_id: string;
  type: string;
  subject: string;
  feed: string | null;
  tlp: string;
  named_recipient_ids: string[];
  expires: Date | null;
  data: Record<string, unknown>;
}

const COLUMNS = 'owner_agency_id, event_id, type, subject, feed, tlp, named_recipient_ids, expires, data';

/**
 * The facts of every routed event with its original payload (ADR 0021): the input of explain by id
 * and of simulate. Subject to the 28 CFR 23 retention of what it holds (purge not built yet).
 */
@Injectable()
export class RoutedEventRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records a batch's events in ONE idempotent statement (a re-delivered batch records nothing
   * twice): the whole batch travels as one jsonb parameter, so no bind-parameter limit applies.
   * No conflict target: the primary key is the table's only unique constraint, and naming it would
   * need SELECT, which the router's role does not have.
   */
  async record(events: readonly RoutedEventRecord[]): Promise<void> {
    if (events.length === 0) return;
    const rows = events.map((e) => ({
      owner_agency_id: e.ownerAgencyId,
      event_id: e.id,
      type: e.type,
      subject: e.subject,
      feed: e.feed,
      tlp: e.tlp,
      named_recipient_ids: e.namedRecipientIds,
      expires: e.expires,
      data: e.data,
    }));
    await this.dataSource.query(
      `INSERT INTO routed_event (${COLUMNS})
       SELECT r.owner_agency_id, r.event_id, r.type, r.subject, r.feed, r.tlp, r.named_recipient_ids, r.expires, r.data
         FROM jsonb_to_recordset($1::jsonb) AS r(owner_agency_id uuid, event_id varchar, type varchar, subject varchar,
              feed text, tlp varchar, named_recipient_ids uuid[], expires timestamptz, data jsonb)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(rows)],
    );
  }

  async find(ownerAgencyId: string, eventId: string): Promise<RoutedEventRecord | null> {
    const rows: RoutedEventRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM routed_event WHERE owner_agency_id = $1 AND event_id = $2`,
      [ownerAgencyId, eventId],
    );
    return rows[0] === undefined ? null : toRecord(rows[0]);
  }

  /** The owner's most recently routed events, newest first. */
  async recent(ownerAgencyId: string, limit: number): Promise<RoutedEventRecord[]> {
    const rows: RoutedEventRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM routed_event WHERE owner_agency_id = $1 ORDER BY routed_at DESC, event_id LIMIT $2`,
      [ownerAgencyId, limit],
    );
    return rows.map(toRecord);
  }
}

function toRecord(r: RoutedEventRow): RoutedEventRecord {
  return {
    id: r.event_id,
    ownerAgencyId: r.owner_agency_id,
    type: r.type,
    subject: r.subject,
    feed: r.feed,
    tlp: r.tlp as TlpLabel,
    namedRecipientIds: r.named_recipient_ids,
    expires: r.expires?.toISOString() ?? null,
    data: r.data,
  };
}
