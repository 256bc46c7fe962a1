import { Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { FeedRepository } from '@liaison/persistence';
import { ConfigChanges } from '../../outbox/config-changes';
import { feedState } from '../../outbox/config-state';
import type { CreateFeedDto } from '../feed.dto';
import { feedView, type FeedView } from '../feed.view';

/** An agency declares a feed it publishes on. */
@Injectable()
export class CreateFeedUseCase {
  constructor(
    private readonly feeds: FeedRepository,
    private readonly changes: ConfigChanges,
  ) {}

  execute(agencyId: string, dto: CreateFeedDto): Promise<FeedView> {
    return this.changes.run(async (m, emit) => {
      const feed = await this.feeds.create(m, {
        agencyId,
        name: dto.name,
        description: dto.description ?? null,
        eventTypes: dto.eventTypes,
        defaultTlp: dto.defaultTlp,
        retentionDays: dto.retentionDays,
      });
      if (feed === undefined) {
        throw new ProblemError('conflict', `the agency already has a feed named ${dto.name}`, [
          { pointer: '/name', detail: 'already used by another feed of this agency' },
        ]);
      }
      emit('feed', feed.id, feedState(feed));
      return feedView(feed);
    });
  }
}
