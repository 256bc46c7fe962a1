import { Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { AgencyRepository, SharingGroupRepository } from '@liaison/persistence';
import { ConfigChanges } from '../../outbox/config-changes';
import { groupState } from '../../outbox/config-state';
import type { CreateSharingGroupDto } from '../sharing-group.dto';
import { sharingGroupView, type SharingGroupView } from '../sharing-group.view';
import type { AuditContext } from '../../audit/audit-context';

/** An operator creates a sharing group, optionally with its first members. */
@Injectable()
export class CreateSharingGroupUseCase {
  constructor(
    private readonly groups: SharingGroupRepository,
    private readonly agencies: AgencyRepository,
    private readonly changes: ConfigChanges,
  ) {}

  async execute(dto: CreateSharingGroupDto, context: AuditContext): Promise<SharingGroupView> {
    const memberIds = (dto.memberAgencyIds ?? []).map((id) => id.toLowerCase());
    const known = new Set((await this.agencies.findByIds(memberIds)).map((a) => a.id));
    const unknown = memberIds.map((id, i) => ({ id, i })).filter(({ id }) => !known.has(id));
    if (unknown.length > 0) {
      throw new ProblemError(
        'validation-failed',
        'no agency has some of these ids',
        unknown.map(({ i }) => ({ pointer: `/memberAgencyIds/${i}`, detail: 'no agency has this id' })),
      );
    }
    return this.changes.run(context, async ({ manager: m, emit, record }) => {
      const group = await this.groups.create(m, { name: dto.name, description: dto.description ?? null });
      if (group === undefined) {
        throw new ProblemError('conflict', `a sharing group named ${dto.name} already exists`, [
          { pointer: '/name', detail: 'already used' },
        ]);
      }
      for (const agencyId of memberIds) await this.groups.addMember(m, group.id, agencyId);
      await record({
        action: 'sharing-group.create',
        objectType: 'sharing-group',
        objectId: group.id,
        after: sharingGroupView(group, memberIds),
      });
      emit('group', group.id, groupState(group, memberIds));
      return sharingGroupView(group, memberIds);
    });
  }
}
