import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { AgencyRepository } from '@liaison/persistence';
import { assertAgencyAccess, assertOperator, CurrentPrincipal, type Principal } from '../auth/principal';
import { UuidParamPipe } from '../auth/uuid-param.pipe';
import { agencyView, type AgencyView } from './agency.view';
import { ChangeAgencyStatusUseCase } from './change-agency-status/change-agency-status.usecase';
import { CreateAgencyDto, ListAgenciesQuery, UpdateAgencyDto } from './create-agency.dto';
import { CreateAgencyUseCase } from './create-agency.usecase';
import { UpdateAgencyUseCase } from './update-agency/update-agency.usecase';

@Controller('v1/agencies')
export class AgenciesController {
  constructor(
    private readonly createAgency: CreateAgencyUseCase,
    private readonly updateAgency: UpdateAgencyUseCase,
    private readonly changeStatus: ChangeAgencyStatusUseCase,
    private readonly agencies: AgencyRepository,
  ) {}

  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateAgencyDto): Promise<AgencyView> {
    assertOperator(principal);
    return this.createAgency.execute(dto);
  }

  /** Operators see every agency (keyset-paginated by ORI); an agency sees only itself. */
  @Get()
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListAgenciesQuery,
  ): Promise<{ items: AgencyView[]; next: string | null }> {
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
  async get(@CurrentPrincipal() principal: Principal, @Param('agencyId', UuidParamPipe) agencyId: string): Promise<AgencyView> {
    assertAgencyAccess(principal, agencyId);
    const agency = await this.agencies.findById(agencyId);
    if (agency === null) throw new ProblemError('not-found');
    return agencyView(agency);
  }

  /** Operators only: an agency's facts decide what it may receive, so it cannot change them itself. */
  @Patch(':agencyId')
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Body() dto: UpdateAgencyDto,
  ): Promise<AgencyView> {
    assertAgencyAccess(principal, agencyId);
    assertOperator(principal);
    return this.updateAgency.execute(agencyId, dto);
  }

  @Post(':agencyId/suspend')
  @HttpCode(200)
  suspend(@CurrentPrincipal() principal: Principal, @Param('agencyId', UuidParamPipe) agencyId: string): Promise<AgencyView> {
    assertAgencyAccess(principal, agencyId);
    assertOperator(principal);
    return this.changeStatus.execute(agencyId, 'suspended');
  }

  @Post(':agencyId/reinstate')
  @HttpCode(200)
  reinstate(@CurrentPrincipal() principal: Principal, @Param('agencyId', UuidParamPipe) agencyId: string): Promise<AgencyView> {
    assertAgencyAccess(principal, agencyId);
    assertOperator(principal);
    return this.changeStatus.execute(agencyId, 'active');
  }
}
