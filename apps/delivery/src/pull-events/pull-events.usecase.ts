import { Inject, Injectable } from '@nestjs/common';
import { InboxRepository, LedgerRepository } from '@liaison/persistence';
import { deriveKey } from '@liaison/webhooks';
import { DeliveryConfig } from '../delivery.config';
import { encodeCursor } from './cursor';

export interface PullQuery {
  agencyId: string;
  afterSeq: string;
  limit: number;
  types: readonly string[];
  addedAfter: Date | undefined;
}

/** A TAXII 2.1-style envelope: the objects, whether more are waiting, and where to continue. */
export interface PullPage {
  more: boolean;
  next: string;
  objects: Record<string, unknown>[];
  firstAddedAt: Date | undefined;
  lastAddedAt: Date | undefined;
}

/**
 * One page of the agency's received copies after a cursor. Because inbox seq order is commit order
 * per recipient (docs/adr/0017), a cursor never skips a copy that commits later, and pages never
 * overlap. Each copy's first pull is recorded in the ledger.
 */
@Injectable()
export class PullEventsUseCase {
  private readonly cursorKey: Buffer;

  constructor(
    private readonly inbox: InboxRepository,
    private readonly ledger: LedgerRepository,
    @Inject(DeliveryConfig) config: DeliveryConfig,
  ) {
    this.cursorKey = deriveKey(config.secretKey(), 'pull-cursor');
  }

  get key(): Buffer {
    return this.cursorKey;
  }

  async execute(query: PullQuery): Promise<PullPage> {
    const rows = await this.inbox.page({
      recipientAgencyId: query.agencyId,
      afterSeq: query.afterSeq,
      limit: query.limit + 1,
      types: query.types,
      addedAfter: query.addedAfter,
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    await this.ledger.recordDeliveries(
      page.map((r) => ({
        ownerAgencyId: r.ownerAgencyId,
        eventId: r.eventId,
        recipientAgencyId: query.agencyId,
        channel: 'pull' as const,
        outcome: 'delivered' as const,
        detail: `inbox seq ${r.seq}`,
      })),
    );
    return {
      more: rows.length > query.limit,
      next: encodeCursor(this.cursorKey, last?.seq ?? query.afterSeq),
      objects: page.map((r) => r.event),
      firstAddedAt: page[0]?.receivedAt,
      lastAddedAt: last?.receivedAt,
    };
  }
}
