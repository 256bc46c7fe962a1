import { Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { AgencyRepository } from '@liaison/persistence';
import { ConfigChanges } from '../../outbox/config-changes';
import { agencyState } from '../../outbox/config-state';
import { agencyView, type AgencyView } from '../agency.view';
import type { UpdateAgencyDto } from '../create-agency.dto';

/** An operator corrects or completes an agency's facts (name, kind, jurisdiction, law enforcement, statuses it accepts). */
@Injectable()
export class UpdateAgencyUseCase {
  constructor(
    private readonly agencies: AgencyRepository,
    private readonly changes: ConfigChanges,
  ) {}

  execute(agencyId: string, dto: UpdateAgencyDto): Promise<AgencyView> {
    return this.changes.run(async (m, emit) => {
      if ((await this.agencies.lockById(m, agencyId)) === null) throw new ProblemError('not-found');
      const changes = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined));
      if (Object.keys(changes).length > 0) await this.agencies.update(m, agencyId, changes);
      const agency = await this.agencies.findById(agencyId, m);
      if (agency === null) throw new ProblemError('not-found');
      emit('agency', agency.id, agencyState(agency));
      return agencyView(agency);
    });
  }
}
