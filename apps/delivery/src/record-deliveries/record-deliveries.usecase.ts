import { Inject, Injectable, Logger } from '@nestjs/common';
import { fromBinaryRecord, topicNames, UndecodableRecordError, validateEvent, type TopicNames } from '@liaison/contracts';
import { DurableProducer, toDeadLetter, type ConsumedRecord, type OutgoingRecord } from '@liaison/messaging';
import { LedgerRepository, type DeliveryRecord } from '@liaison/persistence';
import { DeliveryConfig } from '../delivery.config';

export const DELIVERY_CONSUMER = 'delivery';

/**
 * Reads a batch of entitled copies from agencies' delivery topics and records each as delivered
 * on the agency-topic channel. (Webhook, pull and stream channels come with subscriptions.)
 */
@Injectable()
export class RecordDeliveriesUseCase {
  private readonly logger = new Logger(RecordDeliveriesUseCase.name);
  private readonly topics: TopicNames;

  constructor(
    private readonly producer: DurableProducer,
    private readonly ledger: LedgerRepository,
    @Inject(DeliveryConfig) config: DeliveryConfig,
  ) {
    this.topics = topicNames(config.LIAISON_TOPIC_NAMESPACE);
  }

  async execute(records: readonly ConsumedRecord[]): Promise<void> {
    const now = new Date();
    const deliveries: DeliveryRecord[] = [];
    const deadLetters: OutgoingRecord[] = [];
    for (const record of records) {
      const recipientAgencyId = this.topics.agencyOfDeliveryTopic(record.topic);
      let reason: string | undefined;
      try {
        const outcome = validateEvent(fromBinaryRecord(record));
        if (!outcome.ok) reason = `invalid event: ${outcome.problems.map((p) => `${p.pointer} ${p.detail}`).join('; ')}`;
        else if (outcome.value.agency === undefined) reason = 'event has no publishing agency (ce_agency)';
        else if (recipientAgencyId === undefined) reason = `${record.topic} is not a delivery topic`;
        else {
          deliveries.push({
            ownerAgencyId: outcome.value.agency,
            eventId: outcome.value.id,
            recipientAgencyId,
            channel: 'agency-topic',
            outcome: 'delivered',
            detail: `${record.topic}[${record.partition}]@${record.offset}`,
          });
          this.logger.log(`delivered ${outcome.value.type} ${outcome.value.id} to agency ${recipientAgencyId}`);
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
    await this.producer.send(deadLetters);
    await this.ledger.recordDeliveries(deliveries);
  }
}
