import { Logger } from '@nestjs/common';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { toConsumedRecord, type ConsumedRecord } from './consumed-record';

/**
 * Processes one partition's batch. It must make everything it produces and records durable before
 * it returns, because the offsets are committed right after. It must not throw for a bad record
 * (send it to the dead-letter topic instead); a throw means "infrastructure trouble, try again".
 */
export type BatchHandler = (records: ConsumedRecord[]) => Promise<void>;

export interface BatchConsumerOptions {
  groupId: string;
  /** The topics to read; re-evaluated every `refreshTopicsMs` when given, so new topics are picked up. */
  topics: () => Promise<string[]>;
  refreshTopicsMs?: number;
  handler: BatchHandler;
  /** Default 30 s; heartbeats are sent every tenth of it. */
  sessionTimeoutMs?: number;
  /** Where a group without committed offsets starts; the backbone never skips what it has not read. */
  fromBeginning?: boolean;
  /**
   * How many partitions' batches the handler may work on at once (default 1). Each partition still
   * has one batch in hand at a time, in offset order, so order per key holds; while one batch waits
   * on Kafka or the database, another partition's batch can use the CPU.
   */
  partitionsConsumedConcurrently?: number;
}

const MAX_BACKOFF_MS = 10_000;

/**
 * A kafkajs consumer that works in batches and commits offsets only after the handler succeeded.
 * Chosen over Nest's `ServerKafka` (per-message, and a throwing handler blocks its partition
 * forever): see docs/adr/0004-kafka-consumption.md.
 */
export class BatchConsumer {
  private readonly logger: Logger;
  private consumer: Consumer | undefined;
  private subscribed: string[] = [];
  private refreshTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private restarting: Promise<void> = Promise.resolve();

  constructor(
    private readonly kafka: Kafka,
    private readonly options: BatchConsumerOptions,
  ) {
    this.logger = new Logger(`BatchConsumer:${options.groupId}`);
  }

  async start(): Promise<void> {
    await this.subscribeTo(await this.options.topics());
    if (this.options.refreshTopicsMs !== undefined) {
      this.refreshTimer = setInterval(() => {
        this.restarting = this.restarting
          .then(() => this.refresh())
          .catch((error: unknown) => {
            this.logger.warn(`topic refresh failed: ${String(error)}`);
          });
      }, this.options.refreshTopicsMs);
      this.refreshTimer.unref();
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    await this.restarting;
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  /** The topics currently consumed. */
  get topics(): readonly string[] {
    return this.subscribed;
  }

  private async refresh(): Promise<void> {
    if (this.stopping) return;
    const topics = await this.options.topics();
    if (sameSet(topics, this.subscribed)) return;
    this.logger.log(`topic set changed (${this.subscribed.length} → ${topics.length}); resubscribing`);
    await this.consumer?.disconnect();
    this.consumer = undefined;
    if (!this.stopping) await this.subscribeTo(topics);
  }

  private async subscribeTo(topics: string[]): Promise<void> {
    this.subscribed = [...topics].sort();
    if (topics.length === 0) return;
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: Math.floor((this.options.sessionTimeoutMs ?? 30_000) / 10),
      maxWaitTimeInMs: 250,
      allowAutoTopicCreation: false,
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: this.options.fromBeginning ?? true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.processBatch(consumer, payload),
    });
    this.consumer = consumer;
  }

  private async processBatch(consumer: Consumer, payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const stillOwned = (): boolean => payload.isRunning() && !payload.isStale();
    const last = batch.messages[batch.messages.length - 1];
    if (last === undefined) return;
    const records = batch.messages.map((m) => toConsumedRecord(batch.topic, batch.partition, m));
    let backoff = 200;
    for (;;) {
      try {
        await this.options.handler(records);
        break;
      } catch (error: unknown) {
        // Not committed: after a pause the same batch is tried again; on a rebalance, whoever owns
        // the partition next starts from the last commit.
        this.logger.error(
          `batch ${batch.topic}[${batch.partition}]@${batch.firstOffset()} failed, retrying in ${backoff} ms: ${describe(error)}`,
        );
        if (!stillOwned()) return;
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        await payload.heartbeat();
        if (!stillOwned()) return;
      }
    }
    payload.resolveOffset(last.offset);
    await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
    await payload.heartbeat();
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return a.length === b.length && b.every((t) => set.has(t));
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
