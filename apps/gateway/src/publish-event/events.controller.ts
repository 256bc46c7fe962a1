import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AgencyCaller } from '@liaison/auth';
import { AgencyKeyRoute, ApiProblems, CurrentCaller, hasContentType, PROBLEM_CONTENT_TYPE, ProblemDoc, ProblemError } from '@liaison/http';
import { RateLimit } from '@liaison/ratelimit';
import { GatewayConfig } from '../gateway.config';
import { PublishEventsCommand } from './publish-events.command';
import { PublishEventsUseCase, type EventOutcome } from './publish-events.usecase';
import { AcceptedEventView, BatchResultView } from './publish.view';

export const STRUCTURED_TYPES = ['application/cloudevents+json', 'application/json'];
export const BATCH_TYPES = ['application/cloudevents-batch+json'];

@ApiTags('events')
@ApiBearerAuth()
@ApiExtraModels(AcceptedEventView, BatchResultView)
@Controller('v1/events')
export class EventsController {
  constructor(
    private readonly publishEvents: PublishEventsUseCase,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
  ) {}

  /**
   * Publishes one CloudEvent (structured mode: 202, or a problem naming each bad field) or a batch
   * (each event accepted or rejected on its own: 202 all accepted, 207 some, a 400 problem naming every
   * event's bad members when none). 202 means
   * Kafka holds the event durably.
   */
  @Post()
  @ApiOperation({
    summary: 'Publish one CloudEvent (structured mode) or a batch (application/cloudevents-batch+json)',
    description: 'A batch is judged event by event: 202 all accepted, 207 some, 400 none (each with its errors).',
  })
  @ApiResponse({
    status: 202,
    description: 'accepted: Kafka holds the event (or every event of the batch) durably',
    content: {
      'application/json': { schema: { oneOf: [{ $ref: getSchemaPath(AcceptedEventView) }, { $ref: getSchemaPath(BatchResultView) }] } },
    },
  })
  @ApiResponse({
    status: 207,
    description: 'a batch of which some events were accepted and some rejected',
    content: { 'application/json': { schema: { $ref: getSchemaPath(BatchResultView) } } },
  })
  @ApiResponse({
    status: 400,
    description: 'an invalid event (problem naming each field), or a batch none of whose events was accepted (the outcomes)',
    content: {
      [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDoc) } },
      'application/json': { schema: { $ref: getSchemaPath(BatchResultView) } },
    },
  })
  @ApiProblems(401, 403, 413, 415, 503)
  @AgencyKeyRoute('publish')
  @RateLimit('publish')
  async publish(@Req() request: Request, @Res() response: Response, @CurrentCaller() publisher: AgencyCaller): Promise<void> {
    const body = request.body as unknown;
    if (hasContentType(request, BATCH_TYPES)) {
      if (!Array.isArray(body) || body.length === 0 || body.length > this.config.GATEWAY_MAX_BATCH_EVENTS) {
        throw new ProblemError('validation-failed', `a batch is a JSON array of 1 to ${this.config.GATEWAY_MAX_BATCH_EVENTS} events`, [
          { pointer: '', detail: 'must be a non-empty array within the batch limit' },
        ]);
      }
      const outcomes = await this.publishEvents.execute(new PublishEventsCommand(publisher, body));
      const accepted = outcomes.filter((o) => o.status === 'accepted').length;
      if (accepted === 0) {
        // Nothing was published: an error like any other, with every event's problems at their pointers.
        throw new ProblemError(
          'validation-failed',
          `none of the ${outcomes.length} events matches its contract`,
          outcomes.map(withBatchPointers).flatMap((o) => (o.status === 'rejected' ? o.errors : [])),
        );
      }
      const status = accepted === outcomes.length ? 202 : 207;
      response.status(status).json({ accepted, rejected: outcomes.length - accepted, results: outcomes.map(withBatchPointers) });
      return;
    }
    if (!hasContentType(request, STRUCTURED_TYPES)) {
      throw new ProblemError('unsupported-media-type', `send ${[...STRUCTURED_TYPES, ...BATCH_TYPES].join(', ')}`);
    }
    const [outcome] = await this.publishEvents.execute(new PublishEventsCommand(publisher, [body]));
    if (outcome?.status !== 'accepted') {
      throw new ProblemError('validation-failed', 'the event does not match its contract', outcome?.errors ?? []);
    }
    response.status(202).json({ id: outcome.id, subject: outcome.subject, status: 'accepted' });
  }
}

/** In a batch response, pointers locate the field within the whole request body. */
function withBatchPointers(outcome: EventOutcome): EventOutcome {
  if (outcome.status === 'accepted') return outcome;
  return { ...outcome, errors: outcome.errors.map((e) => ({ ...e, pointer: `/${outcome.index}${e.pointer}` })) };
}
