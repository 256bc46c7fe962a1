import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ProblemError } from '@liaison/http';
import { AgencyRepository, LedgerRepository } from '@liaison/persistence';
import { AgencyScope } from '../agency-guard';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { UuidParamPipe } from '../auth/uuid-param.pipe';
import { ApiProblems } from '@liaison/http';

class DeliveryView {
  @ApiProperty()
  channel!: string;

  @ApiProperty({ enum: ['delivered', 'failed'] })
  outcome!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

export class DisseminationView {
  @ApiProperty({ format: 'uuid' })
  recipientAgencyId!: string;

  @ApiProperty({ type: String, nullable: true })
  recipientOri!: string | null;

  @ApiProperty({ enum: ['shared', 'denied'] })
  decision!: string;

  @ApiProperty({ type: [String] })
  reasons!: string[];

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  agreementId!: string | null;

  @ApiProperty({ format: 'date-time' })
  decidedAt!: string;

  @ApiProperty({ type: [DeliveryView] })
  deliveries!: DeliveryView[];
}

export class DisseminationList {
  @ApiProperty()
  eventId!: string;

  @ApiProperty({ type: [DisseminationView] })
  items!: DisseminationView[];
}

/** The ledger of one of the agency's own events: who got it, who did not, and why. */
const MAX_EVENT_ID = 128;

@ApiTags('disseminations')
@ApiBearerAuth()
@Controller('v1/agencies/:agencyId/events/:eventId/disseminations')
export class DisseminationsController {
  constructor(
    private readonly scope: AgencyScope,
    private readonly ledger: LedgerRepository,
    private readonly agencies: AgencyRepository,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Who got one of the agency’s events, who did not, and why' })
  @ApiOkResponse({ type: DisseminationList })
  @ApiParam({ name: 'eventId', schema: { type: 'string', minLength: 1, maxLength: MAX_EVENT_ID }, description: 'the CloudEvents id' })
  @ApiProblems(401, 403, 404)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Param('eventId') eventId: string,
  ): Promise<DisseminationList> {
    await this.scope.resolve(principal, agencyId);
    // No event has a longer id (the envelope's bound): such a path names nothing.
    if (eventId.length > MAX_EVENT_ID) throw new ProblemError('not-found');
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
