import { Inject, Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { SubscriptionRepository } from '@liaison/persistence';
import { generateWebhookSecret, sealSecret } from '@liaison/webhooks';
import type { AuditContext } from '../audit/audit-context';
import { AuditRecorder } from '../audit/audit-recorder';
import { subscriptionView, type SubscriptionView } from './subscription.view';
import { SubscriptionsConfig, WEBHOOK_SECRET_PURPOSE } from './subscriptions.config';

/**
 * Issues a new signing secret. Until the overlap ends, every message carries signatures by both the
 * new and the previous secret, so the partner can switch its verifier without losing a message.
 */
@Injectable()
export class RotateSecretUseCase {
  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly audit: AuditRecorder,
    @Inject(SubscriptionsConfig) private readonly config: SubscriptionsConfig,
  ) {}

  async execute(agencyId: string, id: string, now: Date, context: AuditContext): Promise<SubscriptionView & { secret: string }> {
    const secret = generateWebhookSecret();
    const view = await this.audit.change(context, async (tx) => {
      const existing = await this.subscriptions.lockForAgency(tx.manager, agencyId, id);
      if (existing === null) throw new ProblemError('not-found');
      if (existing.channel !== 'webhook') throw new ProblemError('conflict', 'only webhook subscriptions have a signing secret');
      const rotated = await this.subscriptions.rotateSecret(
        agencyId,
        id,
        sealSecret(this.config.secretKey(), secret, WEBHOOK_SECRET_PURPOSE),
        new Date(now.getTime() + this.config.WEBHOOK_ROTATION_OVERLAP_MS),
        tx.manager,
      );
      if (rotated === null) throw new ProblemError('not-found');
      const after = subscriptionView(rotated, now);
      await tx.record({
        action: 'subscription.rotate-secret',
        objectType: 'subscription',
        objectId: id,
        agencyId,
        before: subscriptionView(existing, now),
        after,
      });
      return after;
    });
    return { ...view, secret };
  }
}
