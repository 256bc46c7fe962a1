import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { AgencyRepository } from '@liaison/persistence';
import { assertAgencyAccess, assertOperator, CurrentPrincipal, type Principal } from '../auth/principal';
import { UuidParamPipe } from '../auth/uuid-param.pipe';
import { agencyView, type AgencyView } from './agency.view';
import { CreateAgencyDto, ListAgenciesQuery } from './create-agency.dto';
import { CreateAgencyUseCase } from './create-agency.usecase';

@Controller('v1/agencies')
export class AgenciesController {
  constructor(
    private readonly createAgency: CreateAgencyUseCase,
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
}
