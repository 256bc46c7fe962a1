import { Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { SharingGroupRepository } from '@liaison/persistence';
import { ConfigChanges } from '../../outbox/config-changes';

/** An operator deletes a group no policy has ever named (policies keep their history, so a named group stays). */
@Injectable()
export class DeleteSharingGroupUseCase {
  constructor(
    private readonly groups: SharingGroupRepository,
    private readonly changes: ConfigChanges,
  ) {}

  execute(groupId: string): Promise<void> {
    return this.changes.run(async (m, emit) => {
      if ((await this.groups.lock(m, groupId)) === null) throw new ProblemError('not-found');
      const outcome = await this.groups.delete(m, groupId);
      switch (outcome) {
        case 'not-found':
          throw new ProblemError('not-found');
        case 'referenced':
          throw new ProblemError('conflict', 'policies name this group; remove its members instead, or revoke and keep it');
        case 'deleted':
          emit('group', groupId, null);
      }
    });
  }
}
