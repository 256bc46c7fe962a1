import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SubscriptionRepository, WebhookDeliveryRepository } from '@liaison/persistence';
import { DeliveryConfig } from '../delivery.config';
import { DeliverWebhookUseCase } from './deliver-webhook.usecase';

const HEADS_PER_ROUND = 500;

/**
 * Finds due webhook deliveries and starts them, without ever waiting for one endpoint before
 * serving another: each endpoint has its own in-flight budget, and a round only launches requests.
 * Waking happens on a timer (other instances' copies, retries coming due) and when this instance
 * stores copies or finishes an attempt. All state is in Postgres; claims are leases, so a killed
 * instance's deliveries are taken up again once their lease ends.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly inFlight = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private again = false;
  private stopping = false;

  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly subscriptions: SubscriptionRepository,
    private readonly deliver: DeliverWebhookUseCase,
    @Inject(DeliveryConfig) private readonly config: DeliveryConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.wake(), this.config.WEBHOOK_POLL_MS);
    this.timer.unref();
    this.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.round;
    await Promise.allSettled([...this.running]);
  }

  /** Asks for a dispatch round soon; rounds never overlap, a wake during one causes another. */
  wake(): void {
    if (this.stopping) return;
    if (this.round !== undefined) {
      this.again = true;
      return;
    }
    this.round = this.rounds().finally(() => {
      this.round = undefined;
    });
  }

  private async rounds(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.dispatchDue();
      } catch (error: unknown) {
        this.logger.error(`dispatch round failed: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
    } while (this.again && !this.stopping);
  }

  private async dispatchDue(): Promise<void> {
    // The lease outlives the longest possible attempt, so a live instance never loses its claim.
    const lease = this.config.WEBHOOK_CONNECT_TIMEOUT_MS + this.config.WEBHOOK_RESPONSE_TIMEOUT_MS + 5_000;
    const claimed = await this.deliveries.claimDue(HEADS_PER_ROUND, lease, this.config.WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT, this.inFlight);
    if (claimed.length === 0) return;
    const subscriptions = new Map(
      (await this.subscriptions.findByIds([...new Set(claimed.map((m) => m.subscriptionId))])).map((s) => [s.id, s]),
    );
    for (const due of claimed) {
      const subscription = subscriptions.get(due.subscriptionId);
      if (subscription === undefined) continue; // deleted meanwhile; its rows went with it
      this.inFlight.set(due.subscriptionId, (this.inFlight.get(due.subscriptionId) ?? 0) + 1);
      const attempt = this.deliver
        .execute(due, subscription)
        .catch((error: unknown) => {
          // The row keeps its lease and is retried when it ends; nothing is lost.
          this.logger.error(`webhook attempt ${due.id} failed: ${error instanceof Error ? error.message : String(error)}`);
        })
        .finally(() => {
          const left = (this.inFlight.get(due.subscriptionId) ?? 1) - 1;
          if (left <= 0) this.inFlight.delete(due.subscriptionId);
          else this.inFlight.set(due.subscriptionId, left);
          this.running.delete(attempt);
          this.wake();
        });
      this.running.add(attempt);
    }
  }
}
