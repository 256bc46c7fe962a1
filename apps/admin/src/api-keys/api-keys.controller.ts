import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeyRepository } from '@liaison/persistence';
import { AgencyScope } from '../agency-guard';
import { CurrentAuditContext, type AuditContext } from '../audit/audit-context';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { UuidParamPipe } from '../auth/uuid-param.pipe';
import { ApiProblems } from '@liaison/http';
import { ApiKeyList, apiKeyView, IssuedApiKeyView } from './api-key.view';
import { IssueApiKeyDto } from './issue-api-key.dto';
import { IssueApiKeyUseCase } from './issue-api-key.usecase';
import { RevokeApiKeyUseCase } from './revoke-api-key.usecase';

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('v1/agencies/:agencyId/api-keys')
export class ApiKeysController {
  constructor(
    private readonly scope: AgencyScope,
    private readonly keys: ApiKeyRepository,
    private readonly issueKey: IssueApiKeyUseCase,
    private readonly revokeKey: RevokeApiKeyUseCase,
  ) {}

  /** Issues a key. The response is the only time the whole key is ever shown. */
  @Post()
  @ApiOperation({ summary: 'Issue an API key; the whole key is shown only in this response' })
  @ApiCreatedResponse({ type: IssuedApiKeyView })
  @ApiProblems(400, 401, 403, 404)
  async issue(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Body() dto: IssueApiKeyDto,
    @CurrentAuditContext() context: AuditContext,
  ): Promise<IssuedApiKeyView> {
    await this.scope.resolve(principal, agencyId);
    return this.issueKey.execute(agencyId, dto, context);
  }

  @Get()
  @ApiOperation({ summary: "List the agency's API keys" })
  @ApiOkResponse({ type: ApiKeyList })
  @ApiProblems(401, 403, 404)
  async list(@CurrentPrincipal() principal: Principal, @Param('agencyId', UuidParamPipe) agencyId: string): Promise<ApiKeyList> {
    await this.scope.resolve(principal, agencyId);
    return { items: (await this.keys.listForAgency(agencyId)).map(apiKeyView) };
  }

  @Delete(':keyId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key' })
  @ApiNoContentResponse()
  @ApiProblems(401, 403, 404)
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Param('keyId', UuidParamPipe) keyId: string,
    @CurrentAuditContext() context: AuditContext,
  ): Promise<void> {
    await this.scope.resolve(principal, agencyId);
    await this.revokeKey.execute(agencyId, keyId, context);
  }
}
