import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DeliveryAttemptEntity, DisseminationEntity, type Decision, type DeliveryChannel, type DeliveryOutcome } from '../entities';

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

/** Rows per INSERT statement: well under PostgreSQL's 65,535 bind parameters per statement. */
const ROWS_PER_STATEMENT = 1_000;

/**
 * The dissemination ledger. Writes are multi-row and idempotent (a re-delivered Kafka batch
 * records nothing twice), so consumers can write first and commit offsets after.
 */
@Injectable()
export class LedgerRepository {
  constructor(private readonly dataSource: DataSource) {}

  async recordDecisions(records: readonly DecisionRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += ROWS_PER_STATEMENT) {
      await this.dataSource
        .createQueryBuilder()
        .insert()
        .into(DisseminationEntity)
        .values(records.slice(i, i + ROWS_PER_STATEMENT))
        .orIgnore()
        .updateEntity(false)
        .execute();
    }
  }

  async recordDeliveries(records: readonly DeliveryRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += ROWS_PER_STATEMENT) {
      await this.dataSource
        .createQueryBuilder()
        .insert()
        .into(DeliveryAttemptEntity)
        .values(records.slice(i, i + ROWS_PER_STATEMENT))
        .orIgnore()
        .updateEntity(false)
        .execute();
    }
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
