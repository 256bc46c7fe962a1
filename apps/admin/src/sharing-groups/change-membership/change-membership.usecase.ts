import { Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { AgencyRepository, SharingGroupRepository } from '@liaison/persistence';
import { ConfigChanges } from '../../outbox/config-changes';
import { groupState } from '../../outbox/config-state';
import { sharingGroupView, type SharingGroupView } from '../sharing-group.view';
import type { AuditContext } from '../../audit/audit-context';

/** An operator adds an agency to a group or removes it; both are idempotent, and a repeat writes nothing. */
@Injectable()
export class ChangeMembershipUseCase {
  constructor(
    private readonly groups: SharingGroupRepository,
    private readonly agencies: AgencyRepository,
    private readonly changes: ConfigChanges,
  ) {}

  execute(groupId: string, agencyId: string, change: 'add' | 'remove', context: AuditContext): Promise<SharingGroupView> {
    return this.changes.run(context, async ({ manager: m, emit, record }) => {
      // The group row lock serialises membership changes, so each emitted member list is complete.
      const group = await this.groups.lock(m, groupId);
      if (group === null) throw new ProblemError('not-found');
      const before = (await this.groups.memberIds([groupId], m)).get(groupId) ?? [];
      // Adding a member or removing a non-member changes nothing, and so writes nothing.
      if (before.includes(agencyId) === (change === 'add')) return sharingGroupView(group, before);
      if (change === 'add') {
        if ((await this.agencies.findById(agencyId, m)) === null || !(await this.groups.addMember(m, groupId, agencyId))) {
          throw new ProblemError('not-found', 'no agency has this id');
        }
      } else {
        await this.groups.removeMember(m, groupId, agencyId);
      }
      const members = (await this.groups.memberIds([groupId], m)).get(groupId) ?? [];
      await record({
        action: change === 'add' ? 'sharing-group.member-add' : 'sharing-group.member-remove',
        objectType: 'sharing-group',
        objectId: groupId,
        before: sharingGroupView(group, before),
        after: sharingGroupView(group, members),
      });
      emit('group', groupId, groupState(group, members));
      return sharingGroupView(group, members);
    });
  }
}
