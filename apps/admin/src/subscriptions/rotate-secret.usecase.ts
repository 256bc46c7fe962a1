import { Inject, Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { SubscriptionRepository } from '@liaison/persistence';
import { generateWebhookSecret, sealSecret } from '@liaison/webhooks';
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
    @Inject(SubscriptionsConfig) private readonly config: SubscriptionsConfig,
  ) {}

  async execute(agencyId: string, id: string, now: Date): Promise<SubscriptionView & { secret: string }> {
    const existing = await this.subscriptions.findForAgency(agencyId, id);
    if (existing === null) throw new ProblemError('not-found');
    if (existing.channel !== 'webhook') throw new ProblemError('conflict', 'only webhook subscriptions have a signing secret');
    const secret = generateWebhookSecret();
    const rotated = await this.subscriptions.rotateSecret(
      agencyId,
      id,
      sealSecret(this.config.secretKey(), secret, WEBHOOK_SECRET_PURPOSE),
      new Date(now.getTime() + this.config.WEBHOOK_ROTATION_OVERLAP_MS),
    );
    if (rotated === null) throw new ProblemError('not-found');
    return { ...subscriptionView(rotated, now), secret };
  }
}
