import { Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { AgencyRepository } from '@liaison/persistence';
import { ConfigChanges } from '../../outbox/config-changes';
import { agencyState } from '../../outbox/config-state';
import { agencyView, type AgencyView } from '../agency.view';
import type { UpdateAgencyDto } from '../create-agency.dto';
import type { AuditContext } from '../../audit/audit-context';
import { changedMembers } from '../../patch/changed-members';

/** An operator corrects or completes an agency's facts (name, kind, jurisdiction, law enforcement, statuses it accepts). */
@Injectable()
export class UpdateAgencyUseCase {
  constructor(
    private readonly agencies: AgencyRepository,
    private readonly changes: ConfigChanges,
  ) {}

  execute(agencyId: string, dto: UpdateAgencyDto, context: AuditContext): Promise<AgencyView> {
    return this.changes.run(context, async ({ manager: m, emit, record }) => {
      const before = await this.agencies.lockById(m, agencyId);
      if (before === null) throw new ProblemError('not-found');
      const changes = changedMembers(dto, before);
      if (Object.keys(changes).length === 0) return agencyView(before);
      await this.agencies.update(m, agencyId, changes);
      const agency = await this.agencies.findById(agencyId, m);
      if (agency === null) throw new ProblemError('not-found');
      await record({
        action: 'agency.update',
        objectType: 'agency',
        objectId: agency.id,
        agencyId: agency.id,
        before: agencyView(before),
        after: agencyView(agency),
      });
      emit('agency', agency.id, agencyState(agency));
      return agencyView(agency);
    });
  }
}
