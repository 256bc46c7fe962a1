import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { SharingAgreementRepository } from '@liaison/persistence';
import { AgencyScope } from '../agency-guard';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { UuidParamPipe } from '../auth/uuid-param.pipe';
import { agreementView, type AgreementView } from './agreement.view';
import { CreateSharingAgreementDto } from './create-sharing-agreement.dto';
import { CreateSharingAgreementUseCase } from './create-sharing-agreement.usecase';

/** Agreements the agency grants (it is the grantor). */
@Controller('v1/agencies/:agencyId/sharing-agreements')
export class SharingAgreementsController {
  constructor(
    private readonly scope: AgencyScope,
    private readonly createAgreement: CreateSharingAgreementUseCase,
    private readonly agreements: SharingAgreementRepository,
  ) {}

  @Post()
  async create(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Body() dto: CreateSharingAgreementDto,
  ): Promise<AgreementView> {
    await this.scope.resolve(principal, agencyId);
    return this.createAgreement.execute(agencyId, dto);
  }

  @Get()
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
  ): Promise<{ items: AgreementView[] }> {
    await this.scope.resolve(principal, agencyId);
    return { items: (await this.agreements.listForGrantor(agencyId)).map(agreementView) };
  }

  @Delete(':agreementId')
  @HttpCode(204)
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Param('agreementId', UuidParamPipe) agreementId: string,
  ): Promise<void> {
    await this.scope.resolve(principal, agencyId);
    if (!(await this.agreements.revoke(agencyId, agreementId))) throw new ProblemError('not-found');
  }
}
