import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { issueApiKey } from '@liaison/auth';
import { ProblemError } from '@liaison/http';
import { ApiKeyRepository, type ApiKeyEntity } from '@liaison/persistence';
import { AgencyScope } from '../agency-guard';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { UuidParamPipe } from '../auth/uuid-param.pipe';
import { IssueApiKeyDto } from './issue-api-key.dto';

interface ApiKeyView {
  id: string;
  prefix: string;
  label: string;
  scopes: string[];
  createdAt: string;
  revokedAt: string | null;
}

function apiKeyView(k: ApiKeyEntity): ApiKeyView {
  return {
    id: k.id,
    prefix: k.prefix,
    label: k.label,
    scopes: k.scopes,
    createdAt: k.createdAt.toISOString(),
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

@Controller('v1/agencies/:agencyId/api-keys')
export class ApiKeysController {
  constructor(
    private readonly scope: AgencyScope,
    private readonly keys: ApiKeyRepository,
  ) {}

  /** Issues a key. The response is the only time the whole key is ever shown. */
  @Post()
  async issue(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Body() dto: IssueApiKeyDto,
  ): Promise<ApiKeyView & { key: string }> {
    await this.scope.resolve(principal, agencyId);
    const issued = issueApiKey();
    const saved = await this.keys.create({
      agencyId,
      prefix: issued.prefix,
      secretSha256: issued.secretSha256,
      scopes: dto.scopes,
      label: dto.label,
    });
    return { ...apiKeyView(saved), key: issued.plaintext };
  }

  @Get()
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
  ): Promise<{ items: ApiKeyView[] }> {
    await this.scope.resolve(principal, agencyId);
    return { items: (await this.keys.listForAgency(agencyId)).map(apiKeyView) };
  }

  @Delete(':keyId')
  @HttpCode(204)
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Param('keyId', UuidParamPipe) keyId: string,
  ): Promise<void> {
    await this.scope.resolve(principal, agencyId);
    if (!(await this.keys.revoke(agencyId, keyId))) throw new ProblemError('not-found');
  }
}
