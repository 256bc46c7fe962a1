import { Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { AgencyRepository, type AgencyStatus } from '@liaison/persistence';
import { ConfigChanges } from '../../outbox/config-changes';
import { agencyState } from '../../outbox/config-state';
import { agencyView, type AgencyView } from '../agency.view';
import type { AuditContext } from '../../audit/audit-context';

/**
 * Suspends or reinstates an agency. A suspended agency can neither publish (the gateway refuses
 * its keys) nor receive (routers stop counting it as a recipient once the change reaches them),
 * and its policies share nothing while it is suspended. Repeating the same request is a no-op.
 */
@Injectable()
export class ChangeAgencyStatusUseCase {
  constructor(
    private readonly agencies: AgencyRepository,
    private readonly changes: ConfigChanges,
  ) {}

  execute(agencyId: string, status: AgencyStatus, context: AuditContext): Promise<AgencyView> {
    return this.changes.run(context, async ({ manager: m, emit, record }) => {
      const current = await this.agencies.lockById(m, agencyId);
      if (current === null) throw new ProblemError('not-found');
      if (current.status === status) return agencyView(current);
      await this.agencies.setStatus(m, agencyId, status);
      const agency = await this.agencies.findById(agencyId, m);
      if (agency === null) throw new ProblemError('not-found');
      await record({
        action: status === 'suspended' ? 'agency.suspend' : 'agency.reinstate',
        objectType: 'agency',
        objectId: agency.id,
        agencyId: agency.id,
        before: agencyView(current),
        after: agencyView(agency),
      });
      emit('agency', agency.id, agencyState(agency));
      return agencyView(agency);
    });
  }
}
