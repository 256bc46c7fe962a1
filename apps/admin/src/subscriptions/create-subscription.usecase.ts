import { Inject, Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { SubscriptionRepository, type NewSubscription, type SubscriptionFilters } from '@liaison/persistence';
import { lookup } from 'node:dns/promises';
import { checkWebhookTarget, checkWebhookUrl, generateWebhookSecret, sealSecret } from '@liaison/webhooks';
import type { AuditContext } from '../audit/audit-context';
import { AuditRecorder } from '../audit/audit-recorder';
import type { CreateSubscriptionDto } from './create-subscription.dto';
import { subscriptionView, type SubscriptionView } from './subscription.view';
import { SubscriptionsConfig, WEBHOOK_SECRET_PURPOSE } from './subscriptions.config';

/**
 * Creates a subscription of the receiving agency. A webhook gets a fresh `whsec_` signing secret,
 * returned this once and stored only sealed (the delivery service must recover it to sign). The
 * audit row (without the secret) commits with it.
 */
@Injectable()
export class CreateSubscriptionUseCase {
  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly audit: AuditRecorder,
    @Inject(SubscriptionsConfig) private readonly config: SubscriptionsConfig,
  ) {}

  async execute(agencyId: string, dto: CreateSubscriptionDto, context: AuditContext): Promise<SubscriptionView & { secret?: string }> {
    const filters = toFilters(dto);
    if (dto.channel !== 'webhook') {
      if (dto.url !== undefined)
        throw new ProblemError('validation-failed', 'see errors', [{ pointer: '/url', detail: 'url is only for webhooks' }]);
      return this.store(context, { agencyId, channel: dto.channel, label: dto.label, filters, url: null, secretSealed: null });
    }
    const verdict = dto.url === undefined ? { ok: false as const, reason: 'a webhook needs a url' } : checkWebhookUrl(dto.url);
    if (!verdict.ok) throw new ProblemError('validation-failed', 'see errors', [{ pointer: '/url', detail: verdict.reason }]);
    // The same SSRF rule the delivery service applies at every connection, so the partner learns now.
    const target = await checkWebhookTarget(this.config.allowList(), dto.url ?? '', (host) => lookup(host, { all: true }));
    if (!target.ok) {
      throw new ProblemError('unprocessable', 'the webhook target is not one Liaison may call', [
        { pointer: '/url', detail: target.reason },
      ]);
    }
    const secret = generateWebhookSecret();
    const view = await this.store(context, {
      agencyId,
      channel: 'webhook',
      label: dto.label,
      filters,
      url: dto.url ?? null,
      secretSealed: sealSecret(this.config.secretKey(), secret, WEBHOOK_SECRET_PURPOSE),
    });
    return { ...view, secret };
  }

  private store(context: AuditContext, subscription: NewSubscription): Promise<SubscriptionView> {
    return this.audit.change(context, async (tx) => {
      const view = subscriptionView(await this.subscriptions.create(subscription, tx.manager));
      await tx.record({
        action: 'subscription.create',
        objectType: 'subscription',
        objectId: view.id,
        agencyId: view.agencyId,
        after: view,
      });
      return view;
    });
  }
}

function toFilters(dto: CreateSubscriptionDto): SubscriptionFilters {
  const f = dto.filters;
  if (f === undefined) return {};
  const filters: SubscriptionFilters = {};
  if (f.types !== undefined) filters.types = f.types;
  if (f.minPriority !== undefined) filters.minPriority = f.minPriority;
  if (f.maxTlp !== undefined) filters.maxTlp = f.maxTlp;
  if (f.area !== undefined) {
    if (f.area.minLat > f.area.maxLat || f.area.minLon > f.area.maxLon) {
      throw new ProblemError('validation-failed', 'see errors', [{ pointer: '/filters/area', detail: 'min must not exceed max' }]);
    }
    filters.area = { minLat: f.area.minLat, minLon: f.area.minLon, maxLat: f.area.maxLat, maxLon: f.area.maxLon };
  }
  return filters;
}
