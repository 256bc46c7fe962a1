import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SubscriptionRepository, WebhookDeliveryRepository, type ClaimedDelivery, type SubscriptionEntity } from '@liaison/persistence';
import { DeliveryConfig } from '../delivery.config';
import { DeliverWebhookUseCase } from './deliver-webhook.usecase';

const HEADS_PER_ROUND = 500;

/**
 * An endpoint may hold this many times its in-flight budget in claims (in flight plus queued here),
 * so a free slot is refilled from memory instead of waiting for the next claim statement.
 */
const CLAIM_AHEAD = 2;

/** Pause before a round that follows another at once (see rounds()). */
const ROUND_GAP_MS = 5;

interface Queued {
  due: ClaimedDelivery;
  subscription: SubscriptionEntity;
  /** Epoch ms after which an attempt could outlast the lease: the copy is then left to a later claim. */
  startBy: number;
}

/**
 * Finds due webhook deliveries and starts them, without ever waiting for one endpoint before
 * serving another: each endpoint has its own in-flight budget (WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT)
 * and its own queue of claimed copies, and a round only claims and launches requests. Waking
 * happens on a timer (other instances' copies, retries coming due), when this instance stores
 * copies, when an endpoint's slot frees and when an attempt is recorded. All state is in Postgres;
 * claims are leases, so a killed instance's deliveries are taken up again once their lease ends.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly inFlight = new Map<string, number>();
  /** Claimed copies waiting for a slot of their endpoint, by subscription (distinct subjects). */
  private readonly queued = new Map<string, Queued[]>();
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
    // Copies claimed but not started go back at once, instead of when their lease ends.
    const unstarted = [...this.queued.values()].flat().map((q) => q.due.id);
    this.queued.clear();
    await Promise.allSettled([...this.running]);
    await this.deliveries.releaseLeases(unstarted).catch((error: unknown) => {
      this.logger.warn(`could not release ${unstarted.length} leases: ${error instanceof Error ? error.message : String(error)}`);
    });
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
    let first = true;
    do {
      // Under load, wake-ups come with every finished attempt: a short gap between rounds lets
      // one claim statement serve many of them instead of one statement each.
      if (!first) await new Promise((resolve) => setTimeout(resolve, ROUND_GAP_MS));
      first = false;
      this.again = false;
      try {
        await this.dispatchDue();
      } catch (error: unknown) {
        this.logger.error(`dispatch round failed: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
    } while (this.again && !this.stopping);
  }

  /** The longest one attempt can take (connect, then the whole exchange). */
  private get attemptMs(): number {
    return this.config.WEBHOOK_CONNECT_TIMEOUT_MS + this.config.WEBHOOK_RESPONSE_TIMEOUT_MS;
  }

  private async dispatchDue(): Promise<void> {
    const budget = this.config.WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT;
    // The lease outlives the attempts a copy can wait behind in its endpoint's queue and its own,
    // so a live instance never loses its claim; a copy whose lease got too short is not started.
    const lease = CLAIM_AHEAD * this.attemptMs + 5_000;
    const held = new Map(this.inFlight);
    for (const [id, queue] of this.queued) held.set(id, (held.get(id) ?? 0) + queue.length);
    const claimedAt = Date.now();
    const claimed = await this.deliveries.claimDue(HEADS_PER_ROUND, lease, budget * CLAIM_AHEAD, held);
    if (claimed.length === 0) return;
    const subscriptions = new Map(
      (await this.subscriptions.findByIds([...new Set(claimed.map((m) => m.subscriptionId))])).map((s) => [s.id, s]),
    );
    const startBy = claimedAt + lease - this.attemptMs - 1_000;
    const touched = new Set<string>();
    for (const due of claimed) {
      const subscription = subscriptions.get(due.subscriptionId);
      if (subscription === undefined) continue; // deleted meanwhile; its rows went with it
      const queue = this.queued.get(due.subscriptionId) ?? [];
      queue.push({ due, subscription, startBy });
      this.queued.set(due.subscriptionId, queue);
      touched.add(due.subscriptionId);
    }
    for (const id of touched) this.pump(id);
  }

  /** Starts queued copies of one endpoint while it has free slots. */
  private pump(subscriptionId: string): void {
    const queue = this.queued.get(subscriptionId);
    // While stopping, queued copies stay put: shutdown releases their leases.
    if (queue === undefined || this.stopping) return;
    while (queue.length > 0 && (this.inFlight.get(subscriptionId) ?? 0) < this.config.WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT) {
      const next = queue.shift();
      // Too late to finish inside the lease: leave it to the claim that follows the lease's end.
      if (next !== undefined && Date.now() <= next.startBy) this.start(next);
    }
    if (queue.length === 0) this.queued.delete(subscriptionId);
  }

  private start({ due, subscription }: Queued): void {
    this.inFlight.set(due.subscriptionId, (this.inFlight.get(due.subscriptionId) ?? 0) + 1);
    const release = (): void => {
      const left = (this.inFlight.get(due.subscriptionId) ?? 1) - 1;
      if (left <= 0) this.inFlight.delete(due.subscriptionId);
      else this.inFlight.set(due.subscriptionId, left);
    };
    // The endpoint's slot is free once the exchange is over; the subject's next copy becomes due
    // once the attempt is recorded (the row stays leased until then), so both wake a round.
    const attempt = this.deliver
      .execute(due, subscription)
      .then(
        ({ recorded, disabled }) => {
          release();
          if (disabled) this.dropQueue(due.subscriptionId);
          else this.pump(due.subscriptionId);
          this.wake();
          return recorded;
        },
        (error: unknown) => {
          release();
          throw error;
        },
      )
      .catch((error: unknown) => {
        // The row keeps its lease and is retried when it ends; nothing is lost.
        this.logger.error(`webhook attempt ${due.id} failed: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        this.running.delete(attempt);
        this.wake();
      });
    this.running.add(attempt);
  }

  /** A disabled endpoint's queued copies are not sent; their leases are released (enabling resumes them). */
  private dropQueue(subscriptionId: string): void {
    const ids = (this.queued.get(subscriptionId) ?? []).map((q) => q.due.id);
    this.queued.delete(subscriptionId);
    if (ids.length === 0) return;
    this.deliveries.releaseLeases(ids).catch((error: unknown) => {
      this.logger.warn(`could not release ${ids.length} leases: ${error instanceof Error ? error.message : String(error)}`);
    });
  }
}
