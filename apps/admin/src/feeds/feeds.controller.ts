import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiProblems, ProblemError } from '@liaison/http';
import { FeedRepository } from '@liaison/persistence';
import { AgencyScope } from '../agency-guard';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { UuidParamPipe } from '../auth/uuid-param.pipe';
import { CreateFeedUseCase } from './create-feed/create-feed.usecase';
import { DeleteFeedUseCase } from './delete-feed/delete-feed.usecase';
import { CreateFeedDto, ListFeedsQuery, UpdateFeedDto } from './feed.dto';
import { FeedPage, feedView, FeedView } from './feed.view';
import { UpdateFeedUseCase } from './update-feed/update-feed.usecase';
import { CurrentAuditContext, type AuditContext } from '../audit/audit-context';

/** The agency's feeds: operators, or the agency's own administrators. */
@ApiTags('feeds')
@ApiBearerAuth()
@Controller('v1/agencies/:agencyId/feeds')
export class FeedsController {
  constructor(
    private readonly scope: AgencyScope,
    private readonly feeds: FeedRepository,
    private readonly createFeed: CreateFeedUseCase,
    private readonly updateFeed: UpdateFeedUseCase,
    private readonly deleteFeed: DeleteFeedUseCase,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a feed of the agency' })
  @ApiCreatedResponse({ type: FeedView })
  @ApiProblems(400, 409)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Body() dto: CreateFeedDto,
    @CurrentAuditContext() context: AuditContext,
  ): Promise<FeedView> {
    await this.scope.resolve(principal, agencyId);
    return this.createFeed.execute(agencyId, dto, context);
  }

  /** Keyset-paginated by name. */
  @Get()
  @ApiOperation({ summary: 'The agency’s feeds' })
  @ApiOkResponse({ type: FeedPage })
  @ApiProblems(400)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Query() query: ListFeedsQuery,
  ): Promise<{ items: FeedView[]; next: string | null }> {
    await this.scope.resolve(principal, agencyId);
    const limit = Number(query.limit);
    const rows = await this.feeds.list(agencyId, limit + 1, query.after);
    const items = rows.slice(0, limit).map(feedView);
    return { items, next: rows.length > limit ? (items[items.length - 1]?.name ?? null) : null };
  }

  @Get(':feedId')
  @ApiOperation({ summary: 'One feed' })
  @ApiOkResponse({ type: FeedView })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Param('feedId', UuidParamPipe) feedId: string,
  ): Promise<FeedView> {
    await this.scope.resolve(principal, agencyId);
    const feed = await this.feeds.find(agencyId, feedId);
    if (feed === null) throw new ProblemError('not-found');
    return feedView(feed);
  }

  @Patch(':feedId')
  @ApiOperation({ summary: 'Change a feed' })
  @ApiOkResponse({ type: FeedView })
  @ApiProblems(400, 409)
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Param('feedId', UuidParamPipe) feedId: string,
    @Body() dto: UpdateFeedDto,
    @CurrentAuditContext() context: AuditContext,
  ): Promise<FeedView> {
    await this.scope.resolve(principal, agencyId);
    return this.updateFeed.execute(agencyId, feedId, dto, context);
  }

  @Delete(':feedId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a feed' })
  @ApiNoContentResponse()
  @ApiProblems(409)
  async delete(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Param('feedId', UuidParamPipe) feedId: string,
    @CurrentAuditContext() context: AuditContext,
  ): Promise<void> {
    await this.scope.resolve(principal, agencyId);
    await this.deleteFeed.execute(agencyId, feedId, context);
  }
}
