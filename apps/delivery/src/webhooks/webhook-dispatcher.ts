import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InboxRepository, SubscriptionRepository, WebhookDeliveryRepository, type DueDelivery } from '@liaison/persistence';
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
  private readonly inFlightRows = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private again = false;
  private stopping = false;

  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly subscriptions: SubscriptionRepository,
    private readonly inbox: InboxRepository,
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
    const max = this.config.WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT;
    const saturated = [...this.inFlight].filter(([, n]) => n >= max).map(([id]) => id);
    const heads = await this.deliveries.dueHeads(HEADS_PER_ROUND, saturated);
    const budget = new Map<string, number>();
    const chosen: DueDelivery[] = [];
    for (const head of heads) {
      if (this.inFlightRows.has(head.id)) continue;
      const used = (this.inFlight.get(head.subscriptionId) ?? 0) + (budget.get(head.subscriptionId) ?? 0);
      if (used >= max) continue;
      budget.set(head.subscriptionId, (budget.get(head.subscriptionId) ?? 0) + 1);
      chosen.push(head);
    }
    if (chosen.length === 0) return;
    // The lease outlives the longest possible attempt, so a live instance never loses its claim.
    const lease = this.config.WEBHOOK_CONNECT_TIMEOUT_MS + this.config.WEBHOOK_RESPONSE_TIMEOUT_MS + 5_000;
    const won = await this.deliveries.claim(
      chosen.map((c) => c.id),
      lease,
    );
    const mine = chosen.filter((c) => won.has(c.id));
    if (mine.length === 0) return;
    const subscriptions = new Map(
      (await this.subscriptions.findByIds([...new Set(mine.map((m) => m.subscriptionId))])).map((s) => [s.id, s]),
    );
    const copies = await this.inbox.bySeq(mine.map((m) => m.inboxSeq));
    for (const due of mine) {
      const subscription = subscriptions.get(due.subscriptionId);
      const copy = copies.get(due.inboxSeq);
      if (subscription === undefined || copy === undefined) continue;
      this.inFlight.set(due.subscriptionId, (this.inFlight.get(due.subscriptionId) ?? 0) + 1);
      this.inFlightRows.add(due.id);
      const attempt = this.deliver
        .execute(due, subscription, copy)
        .catch((error: unknown) => {
          // The row keeps its lease and is retried when it ends; nothing is lost.
          this.logger.error(`webhook attempt ${due.id} failed: ${error instanceof Error ? error.message : String(error)}`);
        })
        .finally(() => {
          this.inFlight.set(due.subscriptionId, (this.inFlight.get(due.subscriptionId) ?? 1) - 1);
          this.inFlightRows.delete(due.id);
          this.running.delete(attempt);
          this.wake();
        });
      this.running.add(attempt);
    }
  }
}
