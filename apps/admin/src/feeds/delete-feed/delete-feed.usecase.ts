import { Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { FeedRepository } from '@liaison/persistence';
import { ConfigChanges } from '../../outbox/config-changes';

/** Removes a feed of the agency; its record on the configuration topic becomes a tombstone. */
@Injectable()
export class DeleteFeedUseCase {
  constructor(
    private readonly feeds: FeedRepository,
    private readonly changes: ConfigChanges,
  ) {}

  execute(agencyId: string, feedId: string): Promise<void> {
    return this.changes.run(async (m, emit) => {
      if (!(await this.feeds.delete(m, agencyId, feedId))) throw new ProblemError('not-found');
      emit('feed', feedId, null);
    });
  }
}
