import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  SubscriptionRepository,
  type AttemptOutcome,
  type ClaimedDelivery,
  type DeliveryRecord,
  type SubscriptionEntity,
} from '@liaison/persistence';
import { classifyResponse, nextRetryDelay, openSecret, shouldDisable, webhookHeaders } from '@liaison/webhooks';
import { DeliveryConfig } from '../delivery.config';
import { AttemptCompletions } from './attempt-completions';
import { WebhookSender } from './webhook-sender';

/** The AES-GCM associated data of sealed webhook secrets (admin seals, delivery opens). */
export const WEBHOOK_SECRET_PURPOSE = 'webhook-signing-secret';

/** Subscriptions whose opened secrets are kept at once; past this the cache starts over. */
const MAX_OPENED_SECRETS = 10_000;

/** A subscription's secrets as opened, with the sealed values they came from (to notice a rotation). */
interface OpenedSecrets {
  sealed: Buffer | null;
  previousSealed: Buffer | null;
  current: string | null;
  previous: string | null;
}

/** How an attempt ended, as the dispatcher needs it. */
export interface AttemptResult {
  /** Settles once the row's new state and the ledger record are committed. */
  recorded: Promise<void>;
  /** The attempt disabled the endpoint: its other claimed copies must not be sent. */
  disabled: boolean;
}

/**
 * One attempt to deliver one copy to one endpoint, and everything that follows from its outcome:
 * delivered; retry later per the schedule; give up; or disable the endpoint (410 Gone, or failing
 * for longer than WEBHOOK_DISABLE_AFTER_MS). Every attempt goes to the ledger, with the row's new
 * state, through the batched AttemptCompletions.
 */
@Injectable()
export class DeliverWebhookUseCase {
  private readonly logger = new Logger(DeliverWebhookUseCase.name);
  private readonly schedule: number[];
  private readonly key: Buffer;
  private readonly opened = new Map<string, OpenedSecrets>();

  constructor(
    private readonly sender: WebhookSender,
    private readonly completions: AttemptCompletions,
    private readonly subscriptions: SubscriptionRepository,
    @Inject(DeliveryConfig) private readonly config: DeliveryConfig,
  ) {
    this.schedule = config.retrySchedule();
    this.key = config.secretKey();
  }

  /**
   * Makes the attempt and settles its consequences for the subscription; resolves when the HTTP
   * exchange is over (the endpoint's slot is free again) with `recorded`, which settles once the
   * row and its ledger record are committed (only then may the subject's next copy be claimed),
   * and whether the attempt disabled the endpoint.
   */
  async execute(due: ClaimedDelivery, subscription: SubscriptionEntity): Promise<AttemptResult> {
    const attempts = due.attempts + 1;
    const now = new Date();
    const body = due.body;
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
    const complete = (outcome: AttemptOutcome, disabled = false): AttemptResult => ({
      recorded: this.completions.complete({ outcome, ledger }),
      disabled,
    });
    const retryNow = { id: due.id, status: 'pending' as const, attempts, nextAttemptAt: now, error: detail };
    switch (verdict) {
      case 'delivered':
        // The subscription's health is written only when it changes, not on every success.
        if (subscription.failingSince !== null) {
          await this.subscriptions.markHealthy(subscription.id);
          subscription.failingSince = null;
        }
        return complete({ id: due.id, status: 'delivered', attempts, error: null });
      // Disable before releasing the row's lease, so no other round sends to the endpoint in between.
      case 'gone':
        await this.subscriptions.disable(subscription.id, `the endpoint answered 410 Gone at ${now.toISOString()}`);
        this.logger.warn(`disabled subscription ${subscription.id}: 410 Gone`);
        return complete(retryNow, true);
      case 'retry': {
        // Only the failure that starts a failing run writes; later ones use the start the round
        // loaded, and read the stored one again only before it would disable the endpoint.
        let failingSince = subscription.failingSince;
        if (failingSince === null || shouldDisable(failingSince, now, this.config.WEBHOOK_DISABLE_AFTER_MS)) {
          failingSince = await this.subscriptions.markFailing(subscription.id, now);
          subscription.failingSince = failingSince;
        }
        if (result.kind === 'error' && result.refused) {
          await this.subscriptions.disable(subscription.id, `refused target: ${result.reason}`);
          return complete(retryNow, true);
        }
        if (shouldDisable(failingSince, now, this.config.WEBHOOK_DISABLE_AFTER_MS)) {
          await this.subscriptions.disable(
            subscription.id,
            `failing since ${failingSince?.toISOString() ?? now.toISOString()}; last error: ${detail}`,
          );
          this.logger.warn(`disabled subscription ${subscription.id}: failing too long`);
          return complete(retryNow, true);
        }
        const delay = nextRetryDelay(this.schedule, attempts, result.kind === 'response' ? result.retryAfterMs : undefined);
        return complete(
          delay === undefined
            ? { id: due.id, status: 'failed', attempts, error: `retries exhausted; last: ${detail}` }
            : { ...retryNow, nextAttemptAt: new Date(now.getTime() + delay) },
        );
      }
    }
  }

  /**
   * The current secret, and during a rotation the previous one too (partners may verify either).
   * Opened secrets are kept per subscription and opened again only when a sealed value changes
   * (a rotation), instead of an AES-GCM open per attempt.
   */
  private secretsOf(subscription: SubscriptionEntity, now: Date): string[] {
    let opened = this.opened.get(subscription.id);
    if (
      opened === undefined ||
      !sameBytes(opened.sealed, subscription.secretSealed) ||
      !sameBytes(opened.previousSealed, subscription.previousSecretSealed)
    ) {
      opened = {
        sealed: subscription.secretSealed,
        previousSealed: subscription.previousSecretSealed,
        current: subscription.secretSealed === null ? null : openSecret(this.key, subscription.secretSealed, WEBHOOK_SECRET_PURPOSE),
        previous:
          subscription.previousSecretSealed === null
            ? null
            : openSecret(this.key, subscription.previousSecretSealed, WEBHOOK_SECRET_PURPOSE),
      };
      if (this.opened.size >= MAX_OPENED_SECRETS) this.opened.clear();
      this.opened.set(subscription.id, opened);
    }
    const secrets: string[] = [];
    if (opened.current !== null) secrets.push(opened.current);
    if (opened.previous !== null && (subscription.previousSecretExpiresAt?.getTime() ?? 0) > now.getTime()) secrets.push(opened.previous);
    return secrets;
  }
}

function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  return a === null || b === null ? a === b : a.equals(b);
}
