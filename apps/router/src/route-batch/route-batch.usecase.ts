import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import {
  fromBinaryRecord,
  toBinaryRecord,
  topicNames,
  UndecodableRecordError,
  validateEvent,
  type LiaisonEvent,
  type TopicNames,
} from '@liaison/contracts';
import { DurableProducer, ensureTopics, KAFKA, toDeadLetter, type ConsumedRecord, type OutgoingRecord } from '@liaison/messaging';
import { LedgerRepository, type DecisionRecord } from '@liaison/persistence';
import { decideRecipients } from '@liaison/policy';
import { RouterConfig } from '../router.config';
import { SharingSnapshot } from './sharing-snapshot';

export const ROUTER_CONSUMER = 'router';

/**
 * Routes one batch of ingested events: decides every candidate recipient of every event, produces
 * one copy per entitled recipient to its delivery topic, sends undecodable records to the
 * dead-letter topic, and records every decision in the ledger. Returns once all of it is durable.
 */
@Injectable()
export class RouteBatchUseCase {
  private readonly logger = new Logger(RouteBatchUseCase.name);
  private readonly topics: TopicNames;
  private readonly knownTopics = new Set<string>();

  constructor(
    private readonly snapshot: SharingSnapshot,
    private readonly producer: DurableProducer,
    private readonly ledger: LedgerRepository,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(RouterConfig) private readonly config: RouterConfig,
  ) {
    this.topics = topicNames(config.LIAISON_TOPIC_NAMESPACE);
  }

  async execute(records: readonly ConsumedRecord[]): Promise<void> {
    const now = new Date();
    const { activeAgencyIds, agreements } = await this.snapshot.get(now.getTime());
    const outgoing: OutgoingRecord[] = [];
    const decisions: DecisionRecord[] = [];
    for (const record of records) {
      const event = this.read(record, outgoing, now);
      if (event === undefined) continue;
      const ownerAgencyId = event.agency as string;
      for (const d of decideRecipients({ ownerAgencyId, tlp: event.tlp }, activeAgencyIds, agreements)) {
        decisions.push({
          ownerAgencyId,
          eventId: event.id,
          eventType: event.type,
          subject: event.subject,
          tlp: event.tlp,
          recipientAgencyId: d.recipientAgencyId,
          decision: d.share ? 'shared' : 'denied',
          reasons: d.reasons,
          agreementId: d.agreementId,
        });
        if (d.share) outgoing.push({ topic: this.topics.delivery(d.recipientAgencyId), ...toBinaryRecord(event) });
      }
    }
    await this.ensureDeliveryTopics(outgoing);
    await this.producer.send(outgoing);
    await this.ledger.recordDecisions(decisions);
  }

  /** Decodes and validates a record; a bad one becomes a dead-letter record and yields undefined. */
  private read(record: ConsumedRecord, outgoing: OutgoingRecord[], now: Date): LiaisonEvent | undefined {
    let reason: string;
    try {
      const outcome = validateEvent(fromBinaryRecord(record));
      if (outcome.ok && outcome.value.agency !== undefined) return outcome.value;
      reason = outcome.ok
        ? 'event has no publishing agency (ce_agency)'
        : `invalid event: ${outcome.problems.map((p) => `${p.pointer} ${p.detail}`).join('; ')}`;
    } catch (error: unknown) {
      if (!(error instanceof UndecodableRecordError)) throw error;
      reason = `undecodable record: ${error.reason}`;
    }
    this.logger.warn(`dead-lettering ${record.topic}[${record.partition}]@${record.offset}: ${reason}`);
    outgoing.push(toDeadLetter(this.topics.deadLetter, record, reason, ROUTER_CONSUMER, now));
    return undefined;
  }

  /** Creates delivery topics the router has not seen yet (once per topic, not per event). */
  private async ensureDeliveryTopics(outgoing: readonly OutgoingRecord[]): Promise<void> {
    const unknown = [...new Set(outgoing.map((r) => r.topic))].filter((t) => !this.knownTopics.has(t) && t !== this.topics.deadLetter);
    if (unknown.length === 0) return;
    await ensureTopics(
      this.kafka,
      unknown.map((topic) => ({ topic, numPartitions: this.config.TOPIC_PARTITIONS })),
    );
    for (const t of unknown) this.knownTopics.add(t);
  }
}
