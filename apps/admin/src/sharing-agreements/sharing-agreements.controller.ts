import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { SharingPolicyRepository } from '@liaison/persistence';
import { AgencyScope } from '../agency-guard';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { UuidParamPipe } from '../auth/uuid-param.pipe';
import { RevokePolicyUseCase } from '../policies/revoke-policy/revoke-policy.usecase';
import { agreementView, type AgreementView } from './agreement.view';
import { CreateSharingAgreementDto } from './create-sharing-agreement.dto';
import { CreateSharingAgreementUseCase } from './create-sharing-agreement.usecase';

/**
 * Agreements the agency grants (it is the grantor): a thin view over policies that grant one
 * partner everything up to AMBER. Kept so existing clients keep working; new ones use /policies.
 */
@Controller('v1/agencies/:agencyId/sharing-agreements')
export class SharingAgreementsController {
  constructor(
    private readonly scope: AgencyScope,
    private readonly createAgreement: CreateSharingAgreementUseCase,
    private readonly revokePolicy: RevokePolicyUseCase,
    private readonly policies: SharingPolicyRepository,
  ) {}

  @Post()
  async create(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Body() dto: CreateSharingAgreementDto,
  ): Promise<AgreementView> {
    await this.scope.resolve(principal, agencyId);
    return this.createAgreement.execute(agencyId, dto, principal);
  }

  @Get()
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
  ): Promise<{ items: AgreementView[] }> {
    await this.scope.resolve(principal, agencyId);
    return { items: (await this.policies.activeAgreementLike(agencyId)).map(agreementView) };
  }

  @Delete(':agreementId')
  @HttpCode(204)
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Param('agreementId', UuidParamPipe) agreementId: string,
  ): Promise<void> {
    await this.scope.resolve(principal, agencyId);
    if (!(await this.revokePolicy.execute(agencyId, agreementId))) throw new ProblemError('not-found');
  }
}
