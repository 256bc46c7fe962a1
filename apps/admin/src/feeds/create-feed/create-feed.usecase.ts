import { Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { FeedRepository } from '@liaison/persistence';
import { ConfigChanges } from '../../outbox/config-changes';
import { feedState } from '../../outbox/config-state';
import type { CreateFeedDto } from '../feed.dto';
import { feedView, type FeedView } from '../feed.view';
import type { AuditContext } from '../../audit/audit-context';

/** An agency declares a feed it publishes on. */
@Injectable()
export class CreateFeedUseCase {
  constructor(
    private readonly feeds: FeedRepository,
    private readonly changes: ConfigChanges,
  ) {}

  execute(agencyId: string, dto: CreateFeedDto, context: AuditContext): Promise<FeedView> {
    return this.changes.run(context, async ({ manager: m, emit, record }) => {
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
      await record({ action: 'feed.create', objectType: 'feed', objectId: feed.id, agencyId, after: feedView(feed) });
      emit('feed', feed.id, feedState(feed));
      return feedView(feed);
    });
  }
}
