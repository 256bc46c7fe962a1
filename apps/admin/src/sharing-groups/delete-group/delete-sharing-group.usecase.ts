import { Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { SharingGroupRepository } from '@liaison/persistence';
import { ConfigChanges } from '../../outbox/config-changes';
import type { AuditContext } from '../../audit/audit-context';
import { sharingGroupView } from '../sharing-group.view';

/** An operator deletes a group no policy has ever named (policies keep their history, so a named group stays). */
@Injectable()
export class DeleteSharingGroupUseCase {
  constructor(
    private readonly groups: SharingGroupRepository,
    private readonly changes: ConfigChanges,
  ) {}

  execute(groupId: string, context: AuditContext): Promise<void> {
    return this.changes.run(context, async ({ manager: m, emit, record }) => {
      const before = await this.groups.lock(m, groupId);
      if (before === null) throw new ProblemError('not-found');
      const beforeView = sharingGroupView(before, (await this.groups.memberIds([groupId], m)).get(groupId) ?? []);
      const outcome = await this.groups.delete(m, groupId);
      switch (outcome) {
        case 'not-found':
          throw new ProblemError('not-found');
        case 'referenced':
          throw new ProblemError('conflict', 'policies name this group; remove its members instead, or revoke and keep it');
        case 'deleted':
          await record({ action: 'sharing-group.delete', objectType: 'sharing-group', objectId: groupId, before: beforeView });
          emit('group', groupId, null);
      }
    });
  }
}
