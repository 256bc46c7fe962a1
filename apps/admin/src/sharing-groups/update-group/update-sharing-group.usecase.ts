import { Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { SharingGroupRepository, type NewSharingGroup } from '@liaison/persistence';
import { ConfigChanges } from '../../outbox/config-changes';
import { groupState } from '../../outbox/config-state';
import type { UpdateSharingGroupDto } from '../sharing-group.dto';
import { sharingGroupView, type SharingGroupView } from '../sharing-group.view';
import type { AuditContext } from '../../audit/audit-context';
import { changedMembers } from '../../patch/changed-members';

/** An operator renames or re-describes a group. */
@Injectable()
export class UpdateSharingGroupUseCase {
  constructor(
    private readonly groups: SharingGroupRepository,
    private readonly changes: ConfigChanges,
  ) {}

  execute(groupId: string, dto: UpdateSharingGroupDto, context: AuditContext): Promise<SharingGroupView> {
    return this.changes.run(context, async ({ manager: m, emit, record }) => {
      const before = await this.groups.lock(m, groupId);
      if (before === null) throw new ProblemError('not-found');
      const beforeView = sharingGroupView(before, (await this.groups.memberIds([groupId], m)).get(groupId) ?? []);
      const changes: Partial<NewSharingGroup> = changedMembers(dto, before);
      if (Object.keys(changes).length === 0) return beforeView;
      if (!(await this.groups.update(m, groupId, changes))) {
        throw new ProblemError('conflict', `a sharing group named ${dto.name ?? ''} already exists`, [
          { pointer: '/name', detail: 'already used' },
        ]);
      }
      const group = await this.groups.findById(groupId, m);
      if (group === null) throw new ProblemError('not-found');
      const members = (await this.groups.memberIds([groupId], m)).get(groupId) ?? [];
      const after = sharingGroupView(group, members);
      await record({ action: 'sharing-group.update', objectType: 'sharing-group', objectId: groupId, before: beforeView, after });
      emit('group', groupId, groupState(group, members));
      return sharingGroupView(group, members);
    });
  }
}
