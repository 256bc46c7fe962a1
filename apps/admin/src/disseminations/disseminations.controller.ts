import { Controller, Get, Param } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { AgencyRepository, LedgerRepository } from '@liaison/persistence';
import { AgencyScope } from '../agency-guard';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { UuidParamPipe } from '../auth/uuid-param.pipe';

export interface DisseminationView {
  recipientAgencyId: string;
  recipientOri: string | null;
  decision: string;
  reasons: string[];
  agreementId: string | null;
  decidedAt: string;
  deliveries: { channel: string; outcome: string; at: string }[];
}

/** The ledger of one of the agency's own events: who got it, who did not, and why. */
@Controller('v1/agencies/:agencyId/events/:eventId/disseminations')
export class DisseminationsController {
  constructor(
    private readonly scope: AgencyScope,
    private readonly ledger: LedgerRepository,
    private readonly agencies: AgencyRepository,
  ) {}

  @Get()
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Param('eventId') eventId: string,
  ): Promise<{ eventId: string; items: DisseminationView[] }> {
    await this.scope.resolve(principal, agencyId);
    const decisions = await this.ledger.decisionsForEvent(agencyId, eventId);
    if (decisions.length === 0) throw new ProblemError('not-found', 'no routing decision is recorded for this event yet');
    const deliveries = await this.ledger.deliveriesForEvent(agencyId, eventId);
    const oris = new Map((await this.agencies.findByIds(decisions.map((d) => d.recipientAgencyId))).map((a) => [a.id, a.ori]));
    return {
      eventId,
      items: decisions.map((d) => ({
        recipientAgencyId: d.recipientAgencyId,
        recipientOri: oris.get(d.recipientAgencyId) ?? null,
        decision: d.decision,
        reasons: d.reasons,
        agreementId: d.agreementId,
        decidedAt: d.decidedAt.toISOString(),
        deliveries: deliveries
          .filter((x) => x.recipientAgencyId === d.recipientAgencyId)
          .map((x) => ({ channel: x.channel, outcome: x.outcome, at: x.attemptedAt.toISOString() })),
      })),
    };
  }
}
