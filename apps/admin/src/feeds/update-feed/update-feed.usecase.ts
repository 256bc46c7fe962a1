import { Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { FeedRepository, type FeedChanges } from '@liaison/persistence';
import { ConfigChanges } from '../../outbox/config-changes';
import { feedState } from '../../outbox/config-state';
import type { UpdateFeedDto } from '../feed.dto';
import { feedView, type FeedView } from '../feed.view';
import type { AuditContext } from '../../audit/audit-context';
import { changedMembers } from '../../patch/changed-members';

/** Changes a feed of the agency. Renaming does not rename it in policies: they name feeds, and keep the old name. */
@Injectable()
export class UpdateFeedUseCase {
  constructor(
    private readonly feeds: FeedRepository,
    private readonly changes: ConfigChanges,
  ) {}

  execute(agencyId: string, feedId: string, dto: UpdateFeedDto, context: AuditContext): Promise<FeedView> {
    return this.changes.run(context, async ({ manager: m, emit, record }) => {
      const before = await this.feeds.lock(m, agencyId, feedId);
      if (before === null) throw new ProblemError('not-found');
      const changes: FeedChanges = changedMembers(dto, before);
      if (Object.keys(changes).length === 0) return feedView(before);
      if (!(await this.feeds.update(m, agencyId, feedId, changes))) {
        throw new ProblemError('conflict', `the agency already has a feed named ${dto.name ?? ''}`, [
          { pointer: '/name', detail: 'already used by another feed of this agency' },
        ]);
      }
      const feed = await this.feeds.find(agencyId, feedId, m);
      if (feed === null) throw new ProblemError('not-found');
      await record({
        action: 'feed.update',
        objectType: 'feed',
        objectId: feed.id,
        agencyId,
        before: feedView(before),
        after: feedView(feed),
      });
      emit('feed', feed.id, feedState(feed));
      return feedView(feed);
    });
  }
}
