import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  SubscriptionRepository,
  WebhookDeliveryRepository,
  type ClaimedDelivery,
  type DeliveryRecord,
  type SubscriptionEntity,
} from '@liaison/persistence';
import { classifyResponse, nextRetryDelay, openSecret, shouldDisable, webhookHeaders } from '@liaison/webhooks';
import { DeliveryConfig } from '../delivery.config';
import { WebhookSender } from './webhook-sender';

/** The AES-GCM associated data of sealed webhook secrets (admin seals, delivery opens). */
export const WEBHOOK_SECRET_PURPOSE = 'webhook-signing-secret';

/**
 * One attempt to deliver one copy to one endpoint, and everything that follows from its outcome:
 * delivered; retry later per the schedule; give up; or disable the endpoint (410 Gone, or failing
 * for longer than WEBHOOK_DISABLE_AFTER_MS). Every attempt goes to the ledger.
 */
@Injectable()
export class DeliverWebhookUseCase {
  private readonly logger = new Logger(DeliverWebhookUseCase.name);
  private readonly schedule: number[];
  private readonly key: Buffer;

  constructor(
    private readonly sender: WebhookSender,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly subscriptions: SubscriptionRepository,
    @Inject(DeliveryConfig) private readonly config: DeliveryConfig,
  ) {
    this.schedule = config.retrySchedule();
    this.key = config.secretKey();
  }

  async execute(due: ClaimedDelivery, subscription: SubscriptionEntity): Promise<void> {
    const attempts = due.attempts + 1;
    const now = new Date();
    const body = JSON.stringify(due.event);
    // Stable across retries and replays of this copy to this recipient; partners de-duplicate on it.
    const msgId = `msg_${due.inboxSeq}`;
    const headers = webhookHeaders(this.secretsOf(subscription, now), msgId, Math.floor(now.getTime() / 1000), body);
    const result = await this.sender.send(subscription.url ?? '', { ...headers }, body);
    const detail =
      result.kind === 'response'
        ? `subscription ${subscription.id}: HTTP ${result.status}`
        : `subscription ${subscription.id}: ${result.reason}`;
    const verdict = result.kind === 'response' ? classifyResponse(result.status) : 'retry';
    const ledger: DeliveryRecord = {
      ownerAgencyId: due.ownerAgencyId,
      eventId: due.eventId,
      recipientAgencyId: subscription.agencyId,
      channel: 'webhook',
      subscriptionId: subscription.id,
      outcome: verdict === 'delivered' ? 'delivered' : 'failed',
      detail: `${detail} (attempt ${attempts})`,
    };
    const retryNow = { id: due.id, status: 'pending' as const, attempts, nextAttemptAt: now, error: detail };
    switch (verdict) {
      case 'delivered':
        await this.deliveries.completeAttempt({ id: due.id, status: 'delivered', attempts, error: null }, ledger);
        if (subscription.failingSince !== null) await this.subscriptions.markHealthy(subscription.id);
        return;
      // Disable before releasing the row's lease, so no other round sends to the endpoint in between.
      case 'gone':
        await this.subscriptions.disable(subscription.id, `the endpoint answered 410 Gone at ${now.toISOString()}`);
        await this.deliveries.completeAttempt(retryNow, ledger);
        this.logger.warn(`disabled subscription ${subscription.id}: 410 Gone`);
        return;
      case 'retry': {
        const failingSince = await this.subscriptions.markFailing(subscription.id, now);
        if (result.kind === 'error' && result.refused) {
          await this.subscriptions.disable(subscription.id, `refused target: ${result.reason}`);
          await this.deliveries.completeAttempt(retryNow, ledger);
          return;
        }
        if (shouldDisable(failingSince, now, this.config.WEBHOOK_DISABLE_AFTER_MS)) {
          await this.subscriptions.disable(
            subscription.id,
            `failing since ${failingSince?.toISOString() ?? now.toISOString()}; last error: ${detail}`,
          );
          await this.deliveries.completeAttempt(retryNow, ledger);
          this.logger.warn(`disabled subscription ${subscription.id}: failing too long`);
          return;
        }
        const delay = nextRetryDelay(this.schedule, attempts, result.kind === 'response' ? result.retryAfterMs : undefined);
        await this.deliveries.completeAttempt(
          delay === undefined
            ? { id: due.id, status: 'failed', attempts, error: `retries exhausted; last: ${detail}` }
            : { ...retryNow, nextAttemptAt: new Date(now.getTime() + delay) },
          ledger,
        );
        return;
      }
    }
  }

  /** The current secret, and during a rotation the previous one too (partners may verify either). */
  private secretsOf(subscription: SubscriptionEntity, now: Date): string[] {
    const secrets: string[] = [];
    if (subscription.secretSealed !== null) secrets.push(openSecret(this.key, subscription.secretSealed, WEBHOOK_SECRET_PURPOSE));
    if (subscription.previousSecretSealed !== null && (subscription.previousSecretExpiresAt?.getTime() ?? 0) > now.getTime()) {
      secrets.push(openSecret(this.key, subscription.previousSecretSealed, WEBHOOK_SECRET_PURPOSE));
    }
    return secrets;
  }
}
