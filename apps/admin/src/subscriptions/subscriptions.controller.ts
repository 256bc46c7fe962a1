import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiProblems, ProblemError } from '@liaison/http';
import {
  DELIVERY_CHANNELS,
  LedgerRepository,
  SubscriptionRepository,
  WebhookDeliveryRepository,
  type DeliveryChannel,
} from '@liaison/persistence';
import { AgencyScope } from '../agency-guard';
import { CurrentAuditContext, type AuditContext } from '../audit/audit-context';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { UuidParamPipe } from '../auth/uuid-param.pipe';
import { ChangeSubscriptionStatusUseCase } from './change-subscription-status.usecase';
import { CreateSubscriptionDto, ReplayDto } from './create-subscription.dto';
import { CreateSubscriptionUseCase } from './create-subscription.usecase';
import { ReplaySubscriptionUseCase } from './replay-subscription.usecase';
import { RotateSecretUseCase } from './rotate-secret.usecase';
import {
  DeliveryList,
  ReplayResult,
  SubscriptionHealthView,
  SubscriptionList,
  subscriptionView,
  SubscriptionView,
  SubscriptionWithSecretView,
} from './subscription.view';

/**
 * Subscriptions of the receiving agency: its administrator (agency key with `manage`) for its own
 * agency, and operators. Another agency's subscription is a 404.
 */
@ApiTags('subscriptions')
@ApiBearerAuth()
@Controller('v1/agencies/:agencyId')
export class SubscriptionsController {
  constructor(
    private readonly scope: AgencyScope,
    private readonly subscriptions: SubscriptionRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly ledger: LedgerRepository,
    private readonly createSubscription: CreateSubscriptionUseCase,
    private readonly rotateSecret: RotateSecretUseCase,
    private readonly replaySubscription: ReplaySubscriptionUseCase,
    private readonly changeStatus: ChangeSubscriptionStatusUseCase,
  ) {}

  /** Creates a subscription; a webhook's `secret` (whsec_…) is in this response only. */
  @Post('subscriptions')
  @ApiOperation({ summary: 'Subscribe (webhook, pull or SSE); a webhook’s signing secret is in this response only' })
  @ApiCreatedResponse({ type: SubscriptionWithSecretView })
  @ApiProblems(400, 422)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Body() dto: CreateSubscriptionDto,
    @CurrentAuditContext() context: AuditContext,
  ): Promise<SubscriptionView & { secret?: string }> {
    await this.scope.resolve(principal, agencyId);
    return this.createSubscription.execute(agencyId, dto, context);
  }

  @Get('subscriptions')
  @ApiOperation({ summary: 'The agency’s subscriptions' })
  @ApiOkResponse({ type: SubscriptionList })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
  ): Promise<{ items: SubscriptionView[] }> {
    await this.scope.resolve(principal, agencyId);
    return { items: (await this.subscriptions.listForAgency(agencyId)).map((s) => subscriptionView(s)) };
  }

  /** One subscription with its delivery health: counts by state and the last error. */
  @Get('subscriptions/:subscriptionId')
  @ApiOperation({ summary: 'One subscription with its delivery health' })
  @ApiOkResponse({ type: SubscriptionHealthView })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Param('subscriptionId', UuidParamPipe) id: string,
  ): Promise<SubscriptionView & { deliveries: Record<string, number>; lastError: string | null }> {
    await this.scope.resolve(principal, agencyId);
    const subscription = await this.subscriptions.findForAgency(agencyId, id);
    if (subscription === null) throw new ProblemError('not-found');
    return {
      ...subscriptionView(subscription),
      deliveries: await this.deliveries.statusCounts(id),
      lastError: await this.deliveries.lastError(id),
    };
  }

  @Post('subscriptions/:subscriptionId/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'New webhook signing secret; the previous one keeps signing during the overlap' })
  @ApiOkResponse({ type: SubscriptionWithSecretView })
  @ApiProblems(409)
  async rotate(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Param('subscriptionId', UuidParamPipe) id: string,
    @CurrentAuditContext() context: AuditContext,
  ): Promise<SubscriptionView & { secret: string }> {
    await this.scope.resolve(principal, agencyId);
    return this.rotateSecret.execute(agencyId, id, new Date(), context);
  }

  @Post('subscriptions/:subscriptionId/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable a subscription' })
  @ApiOkResponse({ type: SubscriptionView })
  async disable(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Param('subscriptionId', UuidParamPipe) id: string,
    @CurrentAuditContext() context: AuditContext,
  ): Promise<SubscriptionView> {
    await this.scope.resolve(principal, agencyId);
    return this.changeStatus.execute(principal, agencyId, id, 'disabled', context);
  }

  /** Re-enables a subscription; a webhook resumes with its pending deliveries, in order. */
  @Post('subscriptions/:subscriptionId/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a subscription again' })
  @ApiOkResponse({ type: SubscriptionView })
  async enable(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Param('subscriptionId', UuidParamPipe) id: string,
    @CurrentAuditContext() context: AuditContext,
  ): Promise<SubscriptionView> {
    await this.scope.resolve(principal, agencyId);
    return this.changeStatus.execute(principal, agencyId, id, 'active', context);
  }

  @Post('subscriptions/:subscriptionId/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send the copies received in [from, to) again (webhooks)' })
  @ApiResponse({ status: 202, type: ReplayResult, description: 'queued' })
  @ApiProblems(400, 409)
  async replay(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Param('subscriptionId', UuidParamPipe) id: string,
    @Body() dto: ReplayDto,
    @CurrentAuditContext() context: AuditContext,
  ): Promise<{ queued: number }> {
    await this.scope.resolve(principal, agencyId);
    return this.replaySubscription.execute(agencyId, id, new Date(dto.from), new Date(dto.to), context);
  }

  /** The receiving agency's own delivery ledger: every attempt on every channel, newest first. */
  @Get('deliveries')
  @ApiOperation({ summary: 'The agency’s own delivery ledger, newest first' })
  @ApiQuery({ name: 'channel', required: false, enum: DELIVERY_CHANNELS })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'string', pattern: '^\\d{1,4}$', default: '100' }, description: '1 to 1000' })
  @ApiOkResponse({ type: DeliveryList })
  @ApiProblems(400)
  async received(
    @CurrentPrincipal() principal: Principal,
    @Param('agencyId', UuidParamPipe) agencyId: string,
    @Query('channel') channel?: string,
    @Query('limit') limit?: string,
  ): Promise<{ items: { ownerAgencyId: string; eventId: string; channel: string; outcome: string; detail: string | null; at: string }[] }> {
    await this.scope.resolve(principal, agencyId);
    if (channel !== undefined && !(DELIVERY_CHANNELS as readonly string[]).includes(channel)) {
      throw new ProblemError('validation-failed', 'see errors', [
        { pointer: '/channel', detail: `channel must be one of ${DELIVERY_CHANNELS.join(', ')}` },
      ]);
    }
    const n = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 1_000) {
      throw new ProblemError('validation-failed', 'see errors', [{ pointer: '/limit', detail: 'limit must be an integer from 1 to 1000' }]);
    }
    const rows = await this.ledger.deliveriesToRecipient(agencyId, n, channel as DeliveryChannel | undefined);
    return {
      items: rows.map((r) => ({
        ownerAgencyId: r.ownerAgencyId,
        eventId: r.eventId,
        channel: r.channel,
        outcome: r.outcome,
        detail: r.detail,
        at: r.attemptedAt.toISOString(),
      })),
    };
  }
}
