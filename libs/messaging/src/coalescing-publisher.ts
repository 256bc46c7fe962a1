import type { DurableProducer, OutgoingRecord } from './durable-producer';

interface Pending {
  records: readonly OutgoingRecord[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers records published by concurrent callers (e.g. many HTTP requests) into one producer
 * batch. kafkajs has no `linger.ms`, so this plays its part: while one batch is in flight the next
 * one fills, and each caller's promise settles when its own records are durable.
 */
export class CoalescingPublisher {
  private queue: Pending[] = [];
  private queuedRecords = 0;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly producer: DurableProducer,
    private readonly maxBatchRecords = 1_000,
  ) {}

  publish(records: readonly OutgoingRecord[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      this.queuedRecords += records.length;
      if (this.inFlight === undefined) this.inFlight = this.drain();
    });
  }

  /** Resolves once everything published so far has been sent (or failed). */
  async flush(): Promise<void> {
    while (this.inFlight !== undefined) await this.inFlight;
  }

  private async drain(): Promise<void> {
    // Let callers in the same tick join the first batch.
    await new Promise<void>((r) => setImmediate(r));
    while (this.queue.length > 0) {
      const batch: Pending[] = [];
      let count = 0;
      while (this.queue.length > 0 && (batch.length === 0 || count + (this.queue[0]?.records.length ?? 0) <= this.maxBatchRecords)) {
        const next = this.queue.shift() as Pending;
        batch.push(next);
        count += next.records.length;
      }
      this.queuedRecords -= count;
      try {
        await this.producer.send(batch.flatMap((p) => p.records));
        for (const p of batch) p.resolve();
      } catch (error: unknown) {
        for (const p of batch) p.reject(error);
      }
    }
    this.inFlight = undefined;
  }
}
