import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { hasContentType, ProblemError } from '@liaison/http';
import { ApiKeyAuthenticator } from '../auth/api-key-authenticator';
import { PublishEventCommand } from './publish-event.command';
import { PublishEventUseCase, type PublishedEvent } from './publish-event.usecase';

export const STRUCTURED_TYPES = ['application/cloudevents+json', 'application/json'];

@Controller('v1/events')
export class EventsController {
  constructor(
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly publishEvent: PublishEventUseCase,
  ) {}

  /** Publishes one CloudEvent (structured mode). 202 means Kafka holds it durably. */
  @Post()
  @HttpCode(202)
  async publish(@Req() request: Request, @Headers('authorization') authorization?: string): Promise<PublishedEvent & { status: 'accepted' }> {
    const publisher = await this.authenticator.authenticate(authorization, Date.now());
    if (!hasContentType(request, STRUCTURED_TYPES)) {
      throw new ProblemError('unsupported-media-type', `send ${STRUCTURED_TYPES.join(' or ')}`);
    }
    const published = await this.publishEvent.execute(new PublishEventCommand(publisher, request.body as unknown));
    return { ...published, status: 'accepted' };
  }
}
