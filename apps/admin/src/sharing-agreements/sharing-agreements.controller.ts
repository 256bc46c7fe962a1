import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SharingAgreementRepository } from '@liaison/persistence';
import { AgencyScope } from '../agency-guard';
import { CurrentAuditContext, type AuditContext } from '../audit/audit-context';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { UuidParamPipe } from '../auth/uuid-param.pipe';
import { ApiProblems } from '../openapi/api-problems';
import { AgreementList, agreementView, AgreementView } from './agreement.view';
import { CreateSharingAgreementDto } from './create-sharing-agreement.dto';
import { CreateSharingAgreementUseCase } from './create-sharing-agreement.usecase';
import { RevokeSharingAgreementUseCase } from './revoke-sharing-agreement.usecase';

/** Agreements the agency grants (it is the grantor). */
@ApiTags('sharing-agreements')
@ApiBearerAuth()
@Controller('v1/agencies/:agencyId/sharing-agreements')
export class SharingAgreementsController {
  constructor(
    private readonly scope: AgencyScope,
    private readonly createAgreement: CreateSharingAgreementUseCase,
    private readonly revokeAgreement: RevokeSharingAgreementUseCase,
    private readonly agreements: SharingAgreementRepository,
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
    return this.createAgreement.execute(agencyId, dto, context);
  }

  @Get()
  @ApiOperation({ summary: 'List the agreements this agency grants' })
  @ApiOkResponse({ type: AgreementList })
  @ApiProblems(401, 403, 404)
  async list(@CurrentPrincipal() principal: Principal, @Param('agencyId', UuidParamPipe) agencyId: string): Promise<AgreementList> {
    await this.scope.resolve(principal, agencyId);
    return { items: (await this.agreements.listForGrantor(agencyId)).map(agreementView) };
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
    await this.revokeAgreement.execute(agencyId, agreementId, context);
  }
}
