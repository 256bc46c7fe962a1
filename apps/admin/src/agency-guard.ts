import { Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { AgencyRepository, type AgencyEntity } from '@liaison/persistence';
import { assertAgencyAccess, type Principal } from './auth/principal';

/** Resolves an agency-scoped path: the caller must own it, and it must exist; otherwise 404. */
@Injectable()
export class AgencyScope {
  constructor(private readonly agencies: AgencyRepository) {}

  async resolve(principal: Principal, agencyId: string): Promise<AgencyEntity> {
    assertAgencyAccess(principal, agencyId);
    const agency = await this.agencies.findById(agencyId);
    if (agency === null) throw new ProblemError('not-found');
    return agency;
  }
}
