import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import type { SharingPolicyConfigV1 } from '@liaison/contracts';
import { ApiProblems, ProblemError } from '@liaison/http';
import { SharingPolicyRepository } from '@liaison/persistence';
import { AgencyScope } from '../agency-guard';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { UuidParamPipe } from '../auth/uuid-param.pipe';
import { policyState } from '../outbox/config-state';
import { CreatePolicyUseCase } from './create-policy/create-policy.usecase';
import { actor, PolicyContentResolver } from './policy-content';
import { ListPoliciesQuery, PolicyDto } from './policy.dto';
import { PolicyPage, PolicyVersions, PolicyViewDoc } from './policy.view';
import { RevokePolicyUseCase } from './revoke-policy/revoke-policy.usecase';
import { SimulateDto, SimulationView } from './simulate-policy/simulate-policy.dto';
import { SimulatePolicyUseCase } from './simulate-policy/simulate-policy.usecase';
import { UpdatePolicyUseCase } from './update-policy/update-policy.usecase';
import { CurrentAuditContext, type AuditContext } from '../audit/audit-context';

export type PolicyView = SharingPolicyConfigV1;

/** Policies the agency grants (it is the grantor): operators, or the agency's own administrators. */
@ApiTags('policies')
@ApiBearerAuth()
@Controller('v1/agencies/:agencyId/policies')
export class PoliciesController {
  constructor(
    private readonly scope: AgencyScope,
    private readonly policies: SharingPolicyRepository,
    private readonly content: PolicyContentResolver,
    private readonly createPolicy: CreatePolicyUseCase,
    private readonly updatePolicy: UpdatePolicyUseCase,
    private readonly revokePolicy: RevokePolicyUseCase,
    private readonly simulatePolicy: SimulatePolicyUseCase,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Grant a sharing policy (the agency is the grantor)' })
  @ApiCreatedResponse({ type: PolicyViewDoc })
  @ApiProblems(400, 404, 409)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Body() dto: PolicyDto,
    @CurrentAuditContext() context: AuditContext,
  ): Promise<PolicyView> {
    await this.scope.resolve(principal, agencyId);
    return this.createPolicy.execute(agencyId, await this.content.resolve(agencyId, dto), actor(principal), context);
  }

  /** What a proposed create, update or revoke would change for partners over recent events; saves nothing. */
  @Post('simulate')
  @HttpCode(200)
  @ApiOperation({ summary: 'What a proposed change would change for partners over recent events; saves nothing' })
  @ApiOkResponse({ type: SimulationView })
  @ApiProblems(400, 404)
  async simulate(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Body() dto: SimulateDto,
  ): Promise<SimulationView> {
    await this.scope.resolve(principal, agencyId);
    return this.simulatePolicy.execute(agencyId, dto);
  }

  /** Current versions, keyset-paginated by id; revoked ones with `includeRevoked=true`. */
  @Get()
  @ApiOperation({ summary: 'Current versions of the agency’s policies' })
  @ApiOkResponse({ type: PolicyPage })
  @ApiProblems(400, 404)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Query() query: ListPoliciesQuery,
  ): Promise<{ items: PolicyView[]; next: string | null }> {
    await this.scope.resolve(principal, agencyId);
    const limit = Number(query.limit);
    const rows = await this.policies.listCurrent(agencyId, limit + 1, {
      afterId: query.after?.toLowerCase(),
      includeRevoked: query.includeRevoked === 'true',
    });
    const items = rows.slice(0, limit).map(policyState);
    return { items, next: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null };
  }

  @Get(':policyId')
  @ApiOperation({ summary: 'The current version of one policy' })
  @ApiOkResponse({ type: PolicyViewDoc })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Param('policyId', UuidParamPipe) policyId: string,
  ): Promise<PolicyView> {
    await this.scope.resolve(principal, agencyId);
    const policy = await this.policies.findCurrent(agencyId, policyId);
    if (policy === null) throw new ProblemError('not-found');
    return policyState(policy);
  }

  /** Every version, oldest first: what was in force when. */
  @Get(':policyId/versions')
  @ApiOperation({ summary: 'Every version of one policy' })
  @ApiOkResponse({ type: PolicyVersions })
  async versions(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Param('policyId', UuidParamPipe) policyId: string,
  ): Promise<{ items: PolicyView[] }> {
    await this.scope.resolve(principal, agencyId);
    const versions = await this.policies.versions(agencyId, policyId);
    if (versions.length === 0) throw new ProblemError('not-found');
    return { items: versions.map(policyState) };
  }

  /** Replaces the policy's content: a new version. */
  @Put(':policyId')
  @ApiOperation({ summary: 'Replace a policy with a new version' })
  @ApiOkResponse({ type: PolicyViewDoc })
  @ApiProblems(400, 404, 409)
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Param('policyId', UuidParamPipe) policyId: string,
    @Body() dto: PolicyDto,
    @CurrentAuditContext() context: AuditContext,
  ): Promise<PolicyView> {
    await this.scope.resolve(principal, agencyId);
    if ((await this.policies.findCurrent(agencyId, policyId)) === null) throw new ProblemError('not-found');
    return this.updatePolicy.execute(agencyId, policyId, await this.content.resolve(agencyId, dto), actor(principal), context);
  }

  /** Revokes (idempotent): the policy shares nothing more and stays in the record. */
  @Delete(':policyId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a policy (it stays in the record)' })
  @ApiNoContentResponse()
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Param('policyId', UuidParamPipe) policyId: string,
    @CurrentAuditContext() context: AuditContext,
  ): Promise<void> {
    await this.scope.resolve(principal, agencyId);
    await this.revokePolicy.execute(agencyId, policyId, context);
  }
}
