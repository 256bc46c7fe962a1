import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditLogRepository } from '@liaison/persistence';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { ApiProblems } from '@liaison/http';
import { AuditEventPage, auditEventView } from './audit-event.view';
import { ListAuditEventsQuery } from './list-audit-events.dto';

/** The audit trail, newest first. Agency administrators see only rows scoped to their agency. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit-events')
export class AuditEventsController {
  constructor(private readonly log: AuditLogRepository) {}

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
