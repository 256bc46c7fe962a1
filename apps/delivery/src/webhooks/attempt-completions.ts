import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { WebhookDeliveryRepository, type CompletedAttempt } from '@liaison/persistence';

/** Attempts recorded in one statement at most. */
const MAX_BATCH = 500;

interface Waiting {
  attempt: CompletedAttempt;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Records finished webhook attempts in batches (a group commit): an attempt that ends while no
 * write is running is written at once; those that end while one runs wait for it and then go
 * together in the next statement. Each caller's promise settles when its own attempt is durable.
 * At a few thousand attempts a second this turns one statement per attempt into a few dozen a
 * second, without adding a timer's delay when the service is quiet (docs/adr/0023).
 */
@Injectable()
export class AttemptCompletions implements OnApplicationShutdown {
  private queue: Waiting[] = [];
  private writing: Promise<void> | undefined;

  constructor(private readonly deliveries: WebhookDeliveryRepository) {}

  /** Resolves once the attempt's row update and ledger record are committed; rejects if they were not. */
  complete(attempt: CompletedAttempt): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ attempt, resolve, reject });
      if (this.writing === undefined) this.writing = this.drain();
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.writing;
  }

  private async drain(): Promise<void> {
    // Let the responses handled in the same pass of the event loop join the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, MAX_BATCH);
      this.queue = this.queue.slice(batch.length);
      try {
        await this.deliveries.completeAttempts(batch.map((w) => w.attempt));
        for (const w of batch) w.resolve();
      } catch (error: unknown) {
        for (const w of batch) w.reject(error);
      }
    }
    this.writing = undefined;
  }
}
