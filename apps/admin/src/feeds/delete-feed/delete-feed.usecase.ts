import { Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { FeedRepository } from '@liaison/persistence';
import { ConfigChanges } from '../../outbox/config-changes';
import type { AuditContext } from '../../audit/audit-context';
import { feedView } from '../feed.view';

/** Removes a feed of the agency; its record on the configuration topic becomes a tombstone. */
@Injectable()
export class DeleteFeedUseCase {
  constructor(
    private readonly feeds: FeedRepository,
    private readonly changes: ConfigChanges,
  ) {}

  execute(agencyId: string, feedId: string, context: AuditContext): Promise<void> {
    return this.changes.run(context, async ({ manager: m, emit, record }) => {
      const before = await this.feeds.lock(m, agencyId, feedId);
      if (before === null || !(await this.feeds.delete(m, agencyId, feedId))) throw new ProblemError('not-found');
      await record({ action: 'feed.delete', objectType: 'feed', objectId: feedId, agencyId, before: feedView(before) });
      emit('feed', feedId, null);
    });
  }
}
