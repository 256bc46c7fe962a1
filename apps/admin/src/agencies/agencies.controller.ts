import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProblemError } from '@liaison/http';
import { AgencyRepository } from '@liaison/persistence';
import { CurrentAuditContext, type AuditContext } from '../audit/audit-context';
import { assertAgencyAccess, assertOperator, CurrentPrincipal, type Principal } from '../auth/principal';
import { UuidParamPipe } from '../auth/uuid-param.pipe';
import { ApiProblems } from '../openapi/api-problems';
import { AgencyPage, agencyView, AgencyView } from './agency.view';
import { CreateAgencyDto, ListAgenciesQuery } from './create-agency.dto';
import { CreateAgencyUseCase } from './create-agency.usecase';

@ApiTags('agencies')
@ApiBearerAuth()
@Controller('v1/agencies')
export class AgenciesController {
  constructor(
    private readonly createAgency: CreateAgencyUseCase,
    private readonly agencies: AgencyRepository,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Onboard an agency (platform operators only)' })
  @ApiCreatedResponse({ type: AgencyView })
  @ApiProblems(400, 401, 403, 409)
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateAgencyDto,
    @CurrentAuditContext() context: AuditContext,
  ): Promise<AgencyView> {
    assertOperator(principal);
    return this.createAgency.execute(dto, context);
  }

  /** Operators see every agency (keyset-paginated by ORI); an agency sees only itself. */
  @Get()
  @ApiOperation({ summary: 'List agencies (an agency sees only itself)' })
  @ApiOkResponse({ type: AgencyPage })
  @ApiProblems(400, 401, 403)
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListAgenciesQuery): Promise<AgencyPage> {
    if (principal.kind === 'agency') {
      const own = await this.agencies.findById(principal.agencyId);
      return { items: own === null ? [] : [agencyView(own)], next: null };
    }
    const limit = Number(query.limit);
    const rows = await this.agencies.list(limit + 1, query.after);
    const items = rows.slice(0, limit).map(agencyView);
    return { items, next: rows.length > limit ? (items[items.length - 1]?.ori ?? null) : null };
  }

  @Get(':agencyId')
  @ApiOperation({ summary: 'One agency' })
  @ApiOkResponse({ type: AgencyView })
  @ApiProblems(401, 403, 404)
  async get(@CurrentPrincipal() principal: Principal, @Param('agencyId', UuidParamPipe) agencyId: string): Promise<AgencyView> {
    assertAgencyAccess(principal, agencyId);
    const agency = await this.agencies.findById(agencyId);
    if (agency === null) throw new ProblemError('not-found');
    return agencyView(agency);
  }
}
