import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiProblems, ProblemError } from '@liaison/http';
import { SharingGroupRepository } from '@liaison/persistence';
import { assertOperator, CurrentPrincipal, type Principal } from '../auth/principal';
import { UuidParamPipe } from '../auth/uuid-param.pipe';
import { ChangeMembershipUseCase } from './change-membership/change-membership.usecase';
import { CreateSharingGroupUseCase } from './create-group/create-sharing-group.usecase';
import { DeleteSharingGroupUseCase } from './delete-group/delete-sharing-group.usecase';
import { CreateSharingGroupDto, ListSharingGroupsQuery, UpdateSharingGroupDto } from './sharing-group.dto';
import { SharingGroupPage, sharingGroupView, SharingGroupView } from './sharing-group.view';
import { UpdateSharingGroupUseCase } from './update-group/update-sharing-group.usecase';
import { CurrentAuditContext, type AuditContext } from '../audit/audit-context';

/** Sharing groups: operators manage them; an agency reads the groups it belongs to (others are 404). */
@ApiTags('sharing-groups')
@ApiBearerAuth()
@Controller('v1/sharing-groups')
export class SharingGroupsController {
  constructor(
    private readonly groups: SharingGroupRepository,
    private readonly createGroup: CreateSharingGroupUseCase,
    private readonly updateGroup: UpdateSharingGroupUseCase,
    private readonly deleteGroup: DeleteSharingGroupUseCase,
    private readonly membership: ChangeMembershipUseCase,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a sharing group (operators)' })
  @ApiCreatedResponse({ type: SharingGroupView })
  @ApiProblems(400, 409)
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateSharingGroupDto,
    @CurrentAuditContext() context: AuditContext,
  ): Promise<SharingGroupView> {
    assertOperator(principal);
    return this.createGroup.execute(dto, context);
  }

  /** Keyset-paginated by id. */
  @Get()
  @ApiOperation({ summary: 'Sharing groups (an agency sees the ones it belongs to)' })
  @ApiOkResponse({ type: SharingGroupPage })
  @ApiProblems(400)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListSharingGroupsQuery,
  ): Promise<{ items: SharingGroupView[]; next: string | null }> {
    const limit = Number(query.limit);
    const rows = await this.groups.list(
      limit + 1,
      query.after?.toLowerCase(),
      principal.kind === 'agency' ? principal.agencyId : undefined,
    );
    const page = rows.slice(0, limit);
    const members = await this.groups.memberIds(page.map((g) => g.id));
    const items = page.map((g) => sharingGroupView(g, members.get(g.id) ?? []));
    return { items, next: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null };
  }

  @Get(':groupId')
  @ApiOperation({ summary: 'One sharing group' })
  @ApiOkResponse({ type: SharingGroupView })
  async get(@CurrentPrincipal() principal: Principal, @Param('groupId', UuidParamPipe) groupId: string): Promise<SharingGroupView> {
    const group = await this.groups.findById(groupId);
    if (group === null) throw new ProblemError('not-found');
    const members = (await this.groups.memberIds([groupId])).get(groupId) ?? [];
    if (principal.kind === 'agency' && !members.includes(principal.agencyId)) throw new ProblemError('not-found');
    return sharingGroupView(group, members);
  }

  @Patch(':groupId')
  @ApiOperation({ summary: 'Rename or describe a sharing group' })
  @ApiOkResponse({ type: SharingGroupView })
  @ApiProblems(400, 409)
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('groupId', UuidParamPipe) groupId: string,
    @Body() dto: UpdateSharingGroupDto,
    @CurrentAuditContext() context: AuditContext,
  ): Promise<SharingGroupView> {
    await this.assertManager(principal, groupId);
    return this.updateGroup.execute(groupId, dto, context);
  }

  @Delete(':groupId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a sharing group' })
  @ApiNoContentResponse()
  @ApiProblems(409)
  async delete(
    @CurrentPrincipal() principal: Principal,
    @Param('groupId', UuidParamPipe) groupId: string,
    @CurrentAuditContext() context: AuditContext,
  ): Promise<void> {
    await this.assertManager(principal, groupId);
    await this.deleteGroup.execute(groupId, context);
  }

  /** Adds a member (idempotent). */
  @Put(':groupId/members/:agencyId')
  @ApiOperation({ summary: 'Add an agency to a group' })
  @ApiOkResponse({ type: SharingGroupView })
  async addMember(
    @CurrentPrincipal() principal: Principal,
    @Param('groupId', UuidParamPipe) groupId: string,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @CurrentAuditContext() context: AuditContext,
  ): Promise<SharingGroupView> {
    await this.assertManager(principal, groupId);
    return this.membership.execute(groupId, agencyId, 'add', context);
  }

  /** Removes a member (idempotent). */
  @Delete(':groupId/members/:agencyId')
  @ApiOperation({ summary: 'Remove an agency from a group' })
  @ApiOkResponse({ type: SharingGroupView })
  async removeMember(
    @CurrentPrincipal() principal: Principal,
    @Param('groupId', UuidParamPipe) groupId: string,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @CurrentAuditContext() context: AuditContext,
  ): Promise<SharingGroupView> {
    await this.assertManager(principal, groupId);
    return this.membership.execute(groupId, agencyId, 'remove', context);
  }

  /**
   * Only operators change groups. An agency is told 404 for a group it does not belong to (as GET
   * does), so a refusal never confirms that another community's group exists; 403 otherwise.
   */
  private async assertManager(principal: Principal, groupId: string): Promise<void> {
    if (principal.kind === 'agency') {
      const members = (await this.groups.memberIds([groupId])).get(groupId) ?? [];
      if (!members.includes(principal.agencyId)) throw new ProblemError('not-found');
    }
    assertOperator(principal);
  }
}
