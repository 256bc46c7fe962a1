import { Inject, Injectable, Logger } from '@nestjs/common';
import { toBinaryRecord, topicNames, validateEvent, type TopicNames } from '@liaison/contracts';
import { ProblemError } from '@liaison/http';
import { CoalescingPublisher } from '@liaison/messaging';
import { GatewayConfig } from '../gateway.config';
import type { PublishEventCommand } from './publish-event.command';

export interface PublishedEvent {
  id: string;
  subject: string;
}

/**
 * Validates an event against its contract, stamps the publishing agency on it, and hands it to
 * Kafka; resolves only once the ingest topic holds it durably (acks=all).
 */
@Injectable()
export class PublishEventUseCase {
  private readonly logger = new Logger(PublishEventUseCase.name);
  private readonly topics: TopicNames;

  constructor(
    private readonly publisher: CoalescingPublisher,
    @Inject(GatewayConfig) config: GatewayConfig,
  ) {
    this.topics = topicNames(config.LIAISON_TOPIC_NAMESPACE);
  }

  async execute(command: PublishEventCommand): Promise<PublishedEvent> {
    if (!command.publisher.scopes.includes('publish')) {
      throw new ProblemError('forbidden', 'the API key lacks the publish scope');
    }
    const outcome = validateEvent(command.body);
    if (!outcome.ok) throw new ProblemError('validation-failed', 'the event does not match its contract', outcome.problems);
    const event = outcome.value;
    if (event.agency !== undefined && event.agency !== command.publisher.agencyId) {
      throw new ProblemError('validation-failed', 'the event names another agency as its publisher', [
        { pointer: '/agency', detail: 'agency must be omitted or equal to the API key’s agency' },
      ]);
    }
    const record = toBinaryRecord({ ...event, agency: command.publisher.agencyId });
    try {
      await this.publisher.publish([{ topic: this.topics.ingest, ...record }]);
    } catch (error: unknown) {
      this.logger.error(`ingest publish failed: ${error instanceof Error ? error.message : String(error)}`);
      throw new ProblemError('unavailable', 'the event was not accepted; it is safe to retry with the same id');
    }
    return { id: event.id, subject: event.subject };
  }
}
