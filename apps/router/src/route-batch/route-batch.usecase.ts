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
import { LedgerRepository, RoutedEventRepository, type DecisionRecord, type RoutedEventRecord } from '@liaison/persistence';
import {
  declaredRecipients,
  decideRecipients,
  eventFacts,
  recipientCopy,
  takeUndeclaredRecipients,
  type FieldRules,
} from '@liaison/policy';
import { RouterConfig } from '../router.config';
import { SharingSnapshot } from './sharing-snapshot';

export const ROUTER_CONSUMER = 'router';

/**
 * Routes one batch of ingested events: decides every candidate recipient of every event, produces
 * one copy per entitled recipient to its delivery topic, sends undecodable records to the
 * dead-letter topic, and records every decision in the ledger. Each copy is cut down by the field
 * rules of the policies that granted it, and every routed event's facts are kept for explain and
 * simulate. Returns once all of it is durable.
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
    private readonly routedEvents: RoutedEventRepository,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(RouterConfig) private readonly config: RouterConfig,
  ) {
    this.topics = topicNames(config.LIAISON_TOPIC_NAMESPACE);
  }

  async execute(records: readonly ConsumedRecord[]): Promise<void> {
    const now = new Date();
    const { activeAgencyIds, index } = this.snapshot.get();
    const outgoing: OutgoingRecord[] = [];
    const decisions: DecisionRecord[] = [];
    const routed: RoutedEventRecord[] = [];
    for (const record of records) {
      const read = this.read(record, outgoing, now);
      if (read === undefined) continue;
      const { event, recipients } = read;
      const ownerAgencyId = event.agency as string;
      // Recipients under the same field rules get the same copy: cut it once per event and rules.
      const copies = new Map<string, ReturnType<typeof toBinaryRecord>>();
      const facts = eventFacts(event, recipients, index);
      // The original payload, for explain and simulate (ADR 0021); recipients' copies are cut from it
      // (never in place), and the repository serialises it as it is, so it needs no copy of its own.
      routed.push({ ...facts, subject: event.subject });
      for (const d of decideRecipients(facts, activeAgencyIds, index, now)) {
        decisions.push({
          ownerAgencyId,
          eventId: event.id,
          eventType: event.type,
          subject: event.subject,
          tlp: event.tlp,
          recipientAgencyId: d.recipientAgencyId,
          decision: d.share ? 'shared' : 'denied',
          reasons: [...d.reasons],
          // Agreements became policies with the same ids, so `agreement_id` names the first granting policy.
          agreementId: d.share ? (d.policyIds[0] ?? null) : null,
          policyIds: [...d.policyIds],
        });
        if (!d.share || d.fieldRules === null) continue;
        const key = rulesKey(d.fieldRules);
        let copy = copies.get(key);
        if (copy === undefined) {
          copy = toBinaryRecord(recipientCopy(event, d.fieldRules));
          copies.set(key, copy);
        }
        outgoing.push({ topic: this.topics.delivery(d.recipientAgencyId), ...copy });
      }
    }
    // The database first, then Kafka (ADR 0032): PostgreSQL is what refuses a record (a U+0000 in a
    // string, a value out of range), and a batch it refuses is retried and then halved by the
    // consumer; producing only once the rows are stored means no attempt produces copies that a
    // later attempt produces again. The routed events hold the whole payload, so they go first and
    // a refused event leaves no ledger row behind. Both writes are idempotent (unique keys), so a
    // batch re-run after a produce failure writes nothing twice; the copies are all durable before
    // this returns and the offsets are committed. A ledger row may be visible a moment before its
    // copy is: both describe the same decision.
    await this.routedEvents.record(routed);
    await this.ledger.recordDecisions(decisions);
    await this.ensureDeliveryTopics(outgoing);
    await this.producer.send(outgoing);
  }

  /** Decodes and validates a record; a bad one becomes a dead-letter record and yields undefined. */
  private read(
    record: ConsumedRecord,
    outgoing: OutgoingRecord[],
    now: Date,
  ): { event: LiaisonEvent; recipients: string | undefined } | undefined {
    let reason: string;
    try {
      const plain = fromBinaryRecord(record);
      const taken = takeUndeclaredRecipients(plain);
      const outcome = validateEvent(plain);
      if ('problem' in taken) reason = `invalid event: ${taken.problem}`;
      else if (outcome.ok && outcome.value.agency !== undefined) {
        return { event: outcome.value, recipients: taken.recipients ?? declaredRecipients(outcome.value) };
      } else {
        reason = outcome.ok
          ? 'event has no publishing agency (ce_agency)'
          : `invalid event: ${outcome.problems.map((p) => `${p.pointer} ${p.detail}`).join('; ')}`;
      }
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

/** Field rules as a map key: equal rules give equal keys. */
function rulesKey(rules: FieldRules): string {
  return JSON.stringify([rules.redact, rules.coarsenLocationDegrees, rules.dropNarrative]);
}
