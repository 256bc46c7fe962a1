import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { AgencyScope } from '../agency-guard';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { UuidParamPipe } from '../auth/uuid-param.pipe';
import { ExplainDecisionUseCase } from './explain-decision/explain-decision.usecase';
import { ExplainDto, ExplanationView } from './explain.dto';

/** Why a partner would (not) get one of the agency's events: operators, or the agency's own administrators. */
@Controller('v1/agencies/:agencyId/explain')
export class ExplainController {
  constructor(
    private readonly scope: AgencyScope,
    private readonly explain: ExplainDecisionUseCase,
  ) {}

  @Post()
  @HttpCode(200)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Body() dto: ExplainDto,
  ): Promise<ExplanationView> {
    await this.scope.resolve(principal, agencyId);
    return this.explain.execute(agencyId, dto);
  }
}
