import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProblemError } from '@liaison/http';
import { SharingPolicyRepository } from '@liaison/persistence';
import { AgencyScope } from '../agency-guard';
import { CurrentAuditContext, type AuditContext } from '../audit/audit-context';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { UuidParamPipe } from '../auth/uuid-param.pipe';
import { ApiProblems } from '@liaison/http';
import { RevokePolicyUseCase } from '../policies/revoke-policy/revoke-policy.usecase';
import { AgreementList, agreementView, AgreementView } from './agreement.view';
import { CreateSharingAgreementDto } from './create-sharing-agreement.dto';
import { CreateSharingAgreementUseCase } from './create-sharing-agreement.usecase';

/**
 * Agreements the agency grants (it is the grantor): a thin view over policies that grant one
 * partner everything up to AMBER. Kept so existing clients keep working; new ones use /policies.
 */
@ApiTags('sharing-agreements')
@ApiBearerAuth()
@Controller('v1/agencies/:agencyId/sharing-agreements')
export class SharingAgreementsController {
  constructor(
    private readonly scope: AgencyScope,
    private readonly createAgreement: CreateSharingAgreementUseCase,
    private readonly revokePolicy: RevokePolicyUseCase,
    private readonly policies: SharingPolicyRepository,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Grant a partner agency access to this agency’s events' })
  @ApiCreatedResponse({ type: AgreementView })
  @ApiProblems(400, 401, 403, 404, 409)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Body() dto: CreateSharingAgreementDto,
    @CurrentAuditContext() context: AuditContext,
  ): Promise<AgreementView> {
    await this.scope.resolve(principal, agencyId);
    return this.createAgreement.execute(agencyId, dto, principal, context);
  }

  @Get()
  @ApiOperation({ summary: 'List the agreements this agency grants' })
  @ApiOkResponse({ type: AgreementList })
  @ApiProblems(401, 403, 404)
  async list(@CurrentPrincipal() principal: Principal, @Param('agencyId', UuidParamPipe) agencyId: string): Promise<AgreementList> {
    await this.scope.resolve(principal, agencyId);
    return { items: (await this.policies.activeAgreementLike(agencyId)).map(agreementView) };
  }

  @Delete(':agreementId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an agreement' })
  @ApiNoContentResponse()
  @ApiProblems(401, 403, 404)
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Param('agreementId', UuidParamPipe) agreementId: string,
    @CurrentAuditContext() context: AuditContext,
  ): Promise<void> {
    await this.scope.resolve(principal, agencyId);
    if (!(await this.revokePolicy.execute(agencyId, agreementId, context, 'sharing-agreement.revoke'))) throw new ProblemError('not-found');
  }
}
