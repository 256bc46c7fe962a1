import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditLogRepository } from '@liaison/persistence';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { ApiProblems } from '@liaison/http';
import { CurrentAuditContext, type AuditContext } from './audit-context';
import { AuditEventPage, auditEventView } from './audit-event.view';
import { ListAuditEventsQuery } from './list-audit-events.dto';
import { AuditChainVerificationView } from './verify-audit-chain/audit-chain-verification.view';
import { VerifyAuditChainUseCase } from './verify-audit-chain/verify-audit-chain.usecase';

/** The audit trail, newest first. Agency administrators see only rows scoped to their agency. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit-events')
export class AuditEventsController {
  constructor(
    private readonly log: AuditLogRepository,
    private readonly verifyChain: VerifyAuditChainUseCase,
  ) {}

  /** Recomputes the hash chain over every row; names the first row that was edited, removed or added. */
  @Post('verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Verify the audit hash chain (platform operators only)' })
  @ApiOkResponse({ type: AuditChainVerificationView })
  @ApiProblems(401, 403)
  verify(@CurrentPrincipal() principal: Principal, @CurrentAuditContext() context: AuditContext): Promise<AuditChainVerificationView> {
    return this.verifyChain.execute(principal, context);
  }

  @Get()
  @ApiOperation({ summary: 'Query the audit trail (keyset-paginated, newest first)' })
  @ApiOkResponse({ type: AuditEventPage })
  @ApiProblems(400, 401, 403)
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListAuditEventsQuery): Promise<AuditEventPage> {
    const limit = Number(query.limit);
    const requested = query.agencyId?.toLowerCase();
    // An agency asking for another agency's scope gets its own scope intersected with it: nothing.
    if (principal.kind === 'agency' && requested !== undefined && requested !== principal.agencyId) return { items: [], next: null };
    const rows = await this.log.find(
      {
        actorId: query.actor,
        action: query.action,
        objectType: query.objectType,
        objectId: query.objectId,
        agencyId: principal.kind === 'agency' ? principal.agencyId : requested,
        from: query.from === undefined ? undefined : new Date(query.from),
        to: query.to === undefined ? undefined : new Date(query.to),
        beforeId: query.after,
      },
      limit + 1,
    );
    const items = rows.slice(0, limit).map(auditEventView);
    return { items, next: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null };
  }
}
