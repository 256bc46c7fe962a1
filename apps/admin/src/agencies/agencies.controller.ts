import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProblemError } from '@liaison/http';
import { AgencyRepository } from '@liaison/persistence';
import { CurrentAuditContext, type AuditContext } from '../audit/audit-context';
import { assertAgencyAccess, assertOperator, CurrentPrincipal, type Principal } from '../auth/principal';
import { UuidParamPipe } from '../auth/uuid-param.pipe';
import { ApiProblems } from '@liaison/http';
import { AgencyPage, agencyView, AgencyView } from './agency.view';
import { ChangeAgencyStatusUseCase } from './change-agency-status/change-agency-status.usecase';
import { CreateAgencyDto, ListAgenciesQuery, UpdateAgencyDto } from './create-agency.dto';
import { CreateAgencyUseCase } from './create-agency.usecase';
import { UpdateAgencyUseCase } from './update-agency/update-agency.usecase';

@ApiTags('agencies')
@ApiBearerAuth()
@Controller('v1/agencies')
export class AgenciesController {
  constructor(
    private readonly createAgency: CreateAgencyUseCase,
    private readonly updateAgency: UpdateAgencyUseCase,
    private readonly changeStatus: ChangeAgencyStatusUseCase,
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

  /** Operators only: an agency's facts decide what it may receive, so it cannot change them itself. */
  @Patch(':agencyId')
  @ApiOperation({ summary: "Change an agency's facts (platform operators only)" })
  @ApiOkResponse({ type: AgencyView })
  @ApiProblems(400, 401, 403, 404)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Body() dto: UpdateAgencyDto,
    @CurrentAuditContext() context: AuditContext,
  ): Promise<AgencyView> {
    assertAgencyAccess(principal, agencyId);
    assertOperator(principal);
    return this.updateAgency.execute(agencyId, dto, context);
  }

  @Post(':agencyId/suspend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Suspend an agency: it neither publishes nor receives (platform operators only)' })
  @ApiOkResponse({ type: AgencyView })
  @ApiProblems(401, 403, 404)
  suspend(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @CurrentAuditContext() context: AuditContext,
  ): Promise<AgencyView> {
    assertAgencyAccess(principal, agencyId);
    assertOperator(principal);
    return this.changeStatus.execute(agencyId, 'suspended', context);
  }

  @Post(':agencyId/reinstate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reinstate a suspended agency (platform operators only)' })
  @ApiOkResponse({ type: AgencyView })
  @ApiProblems(401, 403, 404)
  reinstate(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @CurrentAuditContext() context: AuditContext,
  ): Promise<AgencyView> {
    assertAgencyAccess(principal, agencyId);
    assertOperator(principal);
    return this.changeStatus.execute(agencyId, 'active', context);
  }
}
