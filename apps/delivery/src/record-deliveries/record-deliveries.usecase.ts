import { Inject, Injectable, Logger } from '@nestjs/common';
import { fromBinaryRecord, topicNames, UndecodableRecordError, validateEvent, type TopicNames } from '@liaison/contracts';
import { DurableProducer, toDeadLetter, type ConsumedRecord, type OutgoingRecord } from '@liaison/messaging';
import { InboxRepository, LedgerRepository, SubscriptionRepository, type DeliveryRecord, type NewInboxCopy } from '@liaison/persistence';
import { passesFilters } from '@liaison/webhooks';
import { DeliveryConfig } from '../delivery.config';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher';

export const DELIVERY_CONSUMER = 'delivery';

/**
 * Reads a batch of entitled copies from agencies' delivery topics, stores every copy in the
 * recipient's inbox (the source of pull, SSE and webhooks) with one INSERT per recipient, queues
 * it for each matching webhook subscription in the same transaction, and records the agency-topic
 * delivery in the ledger. Offsets are committed only after all of that is durable.
 */
@Injectable()
export class RecordDeliveriesUseCase {
  private readonly logger = new Logger(RecordDeliveriesUseCase.name);
  private readonly topics: TopicNames;

  constructor(
    private readonly producer: DurableProducer,
    private readonly ledger: LedgerRepository,
    private readonly inbox: InboxRepository,
    private readonly subscriptions: SubscriptionRepository,
    private readonly dispatcher: WebhookDispatcher,
    @Inject(DeliveryConfig) config: DeliveryConfig,
  ) {
    this.topics = topicNames(config.LIAISON_TOPIC_NAMESPACE);
  }

  async execute(records: readonly ConsumedRecord[]): Promise<void> {
    const now = new Date();
    const deliveries: DeliveryRecord[] = [];
    const deadLetters: OutgoingRecord[] = [];
    const byRecipient = new Map<string, Omit<NewInboxCopy, 'webhookSubscriptionIds'>[]>();
    for (const record of records) {
      const recipientAgencyId = this.topics.agencyOfDeliveryTopic(record.topic);
      let reason: string | undefined;
      try {
        const plain = fromBinaryRecord(record);
        const outcome = validateEvent(plain);
        if (!outcome.ok) reason = `invalid event: ${outcome.problems.map((p) => `${p.pointer} ${p.detail}`).join('; ')}`;
        else if (outcome.value.agency === undefined) reason = 'event has no publishing agency (ce_agency)';
        else if (recipientAgencyId === undefined) reason = `${record.topic} is not a delivery topic`;
        else {
          const copies = byRecipient.get(recipientAgencyId) ?? [];
          copies.push({
            ownerAgencyId: outcome.value.agency,
            eventId: outcome.value.id,
            subject: outcome.value.subject,
            type: outcome.value.type,
            // Structured mode is exactly the decoded record: the attributes and `data` as published.
            event: plain,
          });
          byRecipient.set(recipientAgencyId, copies);
          deliveries.push({
            ownerAgencyId: outcome.value.agency,
            eventId: outcome.value.id,
            recipientAgencyId,
            channel: 'agency-topic',
            outcome: 'delivered',
            detail: `${record.topic}[${record.partition}]@${record.offset}`,
          });
        }
      } catch (error: unknown) {
        if (!(error instanceof UndecodableRecordError)) throw error;
        reason = `undecodable record: ${error.reason}`;
      }
      if (reason !== undefined) {
        this.logger.warn(`dead-lettering ${record.topic}[${record.partition}]@${record.offset}: ${reason}`);
        deadLetters.push(toDeadLetter(this.topics.deadLetter, record, reason, DELIVERY_CONSUMER, now));
      }
    }
    let stored = 0;
    for (const [recipientAgencyId, copies] of byRecipient) {
      const webhooks = await this.subscriptions.activeWebhooksOf(recipientAgencyId);
      stored += await this.inbox.store(
        recipientAgencyId,
        copies.map((c) => ({ ...c, webhookSubscriptionIds: webhooks.filter((w) => passesFilters(c.event, w.filters)).map((w) => w.id) })),
      );
    }
    await this.ledger.recordDeliveries(deliveries);
    // Dead letters last (ADR 0032): if the database refuses the batch, the consumer retries it and
    // nothing produced by an earlier attempt is produced again.
    await this.producer.send(deadLetters);
    if (stored > 0) this.dispatcher.wake();
  }
}
