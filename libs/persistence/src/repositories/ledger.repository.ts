import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DeliveryAttemptEntity, DisseminationEntity, type Decision, type DeliveryChannel, type DeliveryOutcome } from '../entities';

const DECISION_COLUMNS =
  'owner_agency_id, event_id, event_type, subject, tlp, recipient_agency_id, decision, reasons, agreement_id, policy_ids';
const DELIVERY_COLUMNS = 'owner_agency_id, event_id, recipient_agency_id, channel, subscription_id, outcome, detail';

export interface DecisionRecord {
  ownerAgencyId: string;
  eventId: string;
  eventType: string;
  subject: string;
  tlp: string;
  recipientAgencyId: string;
  decision: Decision;
  reasons: string[];
  agreementId: string | null;
  /** Granting policies (shared) or the policies considered and refused (denied). */
  policyIds: string[];
}

export interface DeliveryRecord {
  ownerAgencyId: string;
  eventId: string;
  recipientAgencyId: string;
  channel: DeliveryChannel;
  outcome: DeliveryOutcome;
  detail: string | null;
  /** Webhook deliveries name the endpoint's subscription. */
  subscriptionId?: string | null;
}

/**
 * The dissemination ledger. Each batch is written by ONE idempotent statement (a re-delivered Kafka
 * batch records nothing twice), so consumers can write first and commit offsets after. The batch
 * travels as a single jsonb parameter expanded by `jsonb_to_recordset`, in the given order
 * (`WITH ORDINALITY … ORDER BY`), so the identity ids follow it; no bind-parameter limit applies and
 * no SQL is built per row. Why this shape and what it costs: docs/adr/0024-ledger-batch-statement.md.
 */
@Injectable()
export class LedgerRepository {
  constructor(private readonly dataSource: DataSource) {}

  async recordDecisions(records: readonly DecisionRecord[]): Promise<void> {
    if (records.length === 0) return;
    const rows = records.map((r) => ({
      owner_agency_id: r.ownerAgencyId,
      event_id: r.eventId,
      event_type: r.eventType,
      subject: r.subject,
      tlp: r.tlp,
      recipient_agency_id: r.recipientAgencyId,
      decision: r.decision,
      reasons: r.reasons,
      agreement_id: r.agreementId,
      policy_ids: r.policyIds,
    }));
    // No conflict target: any unique violation (the (owner, event, recipient) key) means "recorded already".
    await this.dataSource.query(
      `INSERT INTO dissemination (${DECISION_COLUMNS})
       SELECT ${DECISION_COLUMNS}
         FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (owner_agency_id uuid, event_id varchar, event_type varchar,
              subject varchar, tlp varchar, recipient_agency_id uuid, decision varchar, reasons text[], agreement_id uuid,
              policy_ids uuid[])) WITH ORDINALITY AS r
        ORDER BY r.ordinality
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(rows)],
    );
  }

  async recordDeliveries(records: readonly DeliveryRecord[]): Promise<void> {
    if (records.length === 0) return;
    const rows = records.map((r) => ({
      owner_agency_id: r.ownerAgencyId,
      event_id: r.eventId,
      recipient_agency_id: r.recipientAgencyId,
      channel: r.channel,
      subscription_id: r.subscriptionId ?? null,
      outcome: r.outcome,
      detail: r.detail,
    }));
    // No conflict target: the "delivered once" index is partial and over an expression (migration 1764120000000).
    await this.dataSource.query(
      `INSERT INTO delivery_attempt (${DELIVERY_COLUMNS})
       SELECT ${DELIVERY_COLUMNS}
         FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (owner_agency_id uuid, event_id varchar, recipient_agency_id uuid,
              channel varchar, subscription_id uuid, outcome varchar, detail varchar)) WITH ORDINALITY AS r
        ORDER BY r.ordinality
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(rows)],
    );
  }

  /** Every decision about one event of one owner, with its deliveries. */
  async decisionsForEvent(ownerAgencyId: string, eventId: string): Promise<DisseminationEntity[]> {
    return this.dataSource.getRepository(DisseminationEntity).find({
      where: { ownerAgencyId, eventId },
      order: { recipientAgencyId: 'ASC' },
    });
  }

  async deliveriesForEvent(ownerAgencyId: string, eventId: string): Promise<DeliveryAttemptEntity[]> {
    return this.dataSource.getRepository(DeliveryAttemptEntity).find({
      where: { ownerAgencyId, eventId },
      order: { attemptedAt: 'ASC' },
    });
  }

  /** The latest delivery attempts to one recipient (its own view of what it was sent), newest first. */
  async deliveriesToRecipient(recipientAgencyId: string, limit: number, channel?: DeliveryChannel): Promise<DeliveryAttemptEntity[]> {
    return this.dataSource.getRepository(DeliveryAttemptEntity).find({
      where: channel === undefined ? { recipientAgencyId } : { recipientAgencyId, channel },
      order: { id: 'DESC' },
      take: limit,
    });
  }
}
