import { Inject, Injectable, Logger } from '@nestjs/common';
import { toBinaryRecord, topicNames, validateEvent, type FieldProblem, type TopicNames } from '@liaison/contracts';
import { ProblemError } from '@liaison/http';
import { CoalescingPublisher, type OutgoingRecord } from '@liaison/messaging';
import { GatewayConfig } from '../gateway.config';
import type { PublishEventsCommand } from './publish-events.command';

/** What became of one event of a request: accepted (durable on the ingest topic) or rejected, and why. */
export type EventOutcome =
  | { index: number; id: string; subject: string; status: 'accepted' }
  | { index: number; id: string | null; status: 'rejected'; errors: FieldProblem[] };

/**
 * Validates each event against its contract on its own, stamps the publishing agency on the valid
 * ones, and hands them to Kafka together; resolves once the ingest topic holds them durably
 * (acks=all). A Kafka failure rejects the whole call: nothing was acknowledged.
 */
@Injectable()
export class PublishEventsUseCase {
  private readonly logger = new Logger(PublishEventsUseCase.name);
  private readonly topics: TopicNames;

  constructor(
    private readonly publisher: CoalescingPublisher,
    @Inject(GatewayConfig) config: GatewayConfig,
  ) {
    this.topics = topicNames(config.LIAISON_TOPIC_NAMESPACE);
  }

  async execute(command: PublishEventsCommand): Promise<EventOutcome[]> {
    const outcomes: EventOutcome[] = [];
    const records: OutgoingRecord[] = [];
    command.bodies.forEach((body, index) => {
      const outcome = validateEvent(body);
      if (!outcome.ok) {
        outcomes.push({ index, id: idOf(body), status: 'rejected', errors: outcome.problems });
        return;
      }
      const event = outcome.value;
      if (event.agency !== undefined && event.agency !== command.publisher.agencyId) {
        outcomes.push({
          index,
          id: event.id,
          status: 'rejected',
          errors: [{ pointer: '/agency', detail: 'agency must be omitted or equal to the API key’s agency' }],
        });
        return;
      }
      records.push({ topic: this.topics.ingest, ...toBinaryRecord({ ...event, agency: command.publisher.agencyId }) });
      outcomes.push({ index, id: event.id, subject: event.subject, status: 'accepted' });
    });
    try {
      await this.publisher.publish(records);
    } catch (error: unknown) {
      this.logger.warn(`ingest publish failed: ${error instanceof Error ? error.message : String(error)}`);
      throw new ProblemError('unavailable', 'no event was acknowledged; it is safe to retry with the same ids');
    }
    return outcomes;
  }
}

function idOf(body: unknown): string | null {
  return typeof body === 'object' && body !== null && 'id' in body && typeof body.id === 'string' ? body.id : null;
}
