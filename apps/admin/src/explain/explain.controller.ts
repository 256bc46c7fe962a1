import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiProblems } from '@liaison/http';
import { AgencyScope } from '../agency-guard';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { UuidParamPipe } from '../auth/uuid-param.pipe';
import { ExplainDecisionUseCase } from './explain-decision/explain-decision.usecase';
import { ExplainDto, ExplanationView } from './explain.dto';

/** Why a partner would (not) get one of the agency's events: operators, or the agency's own administrators. */
@ApiTags('explain')
@ApiBearerAuth()
@Controller('v1/agencies/:agencyId/explain')
export class ExplainController {
  constructor(
    private readonly scope: AgencyScope,
    private readonly explain: ExplainDecisionUseCase,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Why a partner would (not) get an event: one published already, or one as it would be published' })
  @ApiOkResponse({ type: ExplanationView })
  @ApiProblems(400, 404)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Body() dto: ExplainDto,
  ): Promise<ExplanationView> {
    await this.scope.resolve(principal, agencyId);
    return this.explain.execute(agencyId, dto);
  }
}
