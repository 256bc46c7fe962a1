import { Logger } from '@nestjs/common';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { toConsumedRecord, type ConsumedRecord } from './consumed-record';
import { toDeadLetter } from './dead-letter';
import type { DurableProducer } from './durable-producer';
import { isTransientFailure } from './transient-failure';

/**
 * Processes some consecutive records of one partition (a whole batch, or part of one while a failing
 * record is isolated). It must make everything it produces and records durable before it returns,
 * because the offsets are committed right after, and it may be called again with the same records
 * (write idempotently, and produce only after everything that can refuse a record has accepted it).
 * A throw is classified by `isTransientFailure`: infrastructure trouble is retried until it passes;
 * anything else is retried a few times and then the record that causes it is dead-lettered.
 */
export type BatchHandler = (records: ConsumedRecord[]) => Promise<void>;

/** How a failing batch is retried (libs/config: CONSUMER_RETRY_*). */
export interface RetryPolicy {
  /** Tries of a failing batch, and of the one record isolated from it, before that record is dead-lettered. */
  attempts: number;
  /** First back-off; each further one doubles, up to `maxDelayMs`, and is drawn between half and all of that. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 3, baseDelayMs: 200, maxDelayMs: 2_000 };

/**
 * Group membership timings (ADR 0033). A crashed instance's partitions wait out the session timeout
 * before the group hands them to another; heartbeats go every sixth of it, and a rebalance waits
 * two and a half times it for the living members to rejoin.
 */
export const DEFAULT_SESSION_TIMEOUT_MS = 6_000;

export interface BatchConsumerOptions {
  groupId: string;
  /** The topics to read; re-evaluated every `refreshTopicsMs` when given, so new topics are picked up. */
  topics: () => Promise<string[]>;
  refreshTopicsMs?: number;
  handler: BatchHandler;
  /** Where a record the handler keeps failing on goes, with the reason, so its partition moves on. */
  deadLetter: { producer: DurableProducer; topic: string; consumer: string };
  retry?: RetryPolicy;
  /** Default DEFAULT_SESSION_TIMEOUT_MS; the broker accepts 6 s and more by default. */
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

/** The batch's partition was revoked or the consumer is stopping: leave the rest to the next owner. */
class PartitionLost extends Error {}

/**
 * A kafkajs consumer that works in batches and commits offsets only after the handler succeeded.
 * Chosen over Nest's `ServerKafka` (per-message, and a throwing handler blocks its partition
 * forever): see docs/adr/0004-kafka-consumption.md. A failing batch never stops its partition for
 * good: see docs/adr/0032-bounded-retries-and-isolation.md.
 */
export class BatchConsumer {
  private readonly logger: Logger;
  private readonly retry: RetryPolicy;
  private readonly heartbeatIntervalMs: number;
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
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.heartbeatIntervalMs = Math.floor((options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS) / 6);
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
      sessionTimeout: this.options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS,
      heartbeatInterval: this.heartbeatIntervalMs,
      rebalanceTimeout: Math.floor((this.options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS) * 2.5),
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
    const records = batch.messages.map((m) => toConsumedRecord(batch.topic, batch.partition, m));
    if (records.length === 0) return;
    const commit = async (done: readonly ConsumedRecord[]): Promise<void> => {
      const last = done[done.length - 1];
      if (last === undefined) return;
      payload.resolveOffset(last.offset);
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
      // A heartbeat refused for a rebalance: what is committed stays; the rest goes to the next owner.
      await payload.heartbeat().catch(() => {
        throw new PartitionLost();
      });
    };
    try {
      await this.settle(records, this.retry.attempts, payload, commit);
    } catch (error: unknown) {
      // Not committed past what settled: whoever owns the partition next starts from the last commit.
      if (error instanceof PartitionLost) return;
      throw error;
    }
  }

  /**
   * Runs the handler on `records` until they are processed or, one by one, dead-lettered, then
   * commits them. Infrastructure trouble is retried for as long as it lasts; any other failure is
   * tried `attempts` times, then the records are halved and each half settled in order, so the
   * records beside a poison one still go through and only the poison one, tried `attempts` times
   * on its own, is dead-lettered. Throws PartitionLost when the partition is no longer ours.
   */
  private async settle(
    records: readonly ConsumedRecord[],
    attempts: number,
    payload: EachBatchPayload,
    commit: (done: readonly ConsumedRecord[]) => Promise<void>,
  ): Promise<void> {
    const first = records[0];
    if (first === undefined) return;
    const where = `${first.topic}[${first.partition}]@${first.offset}${records.length > 1 ? `+${records.length - 1}` : ''}`;
    let failures = 0;
    let outage = 0;
    for (;;) {
      const error = await this.run(records);
      if (error === undefined) {
        await commit(records);
        return;
      }
      if (!this.owned(payload)) throw new PartitionLost();
      if (isTransientFailure(error)) {
        // The database or Kafka is away: keep the records and wait, however long it takes.
        outage += 1;
        const delay = this.backoff(outage);
        this.logger.warn(`${where}: infrastructure unavailable, retrying in ${delay} ms: ${describe(error)}`);
        await this.pause(delay, payload);
        continue;
      }
      outage = 0;
      failures += 1;
      if (failures < attempts) {
        const delay = this.backoff(failures);
        this.logger.warn(`${where}: attempt ${failures} of ${attempts} failed, retrying in ${delay} ms: ${describe(error)}`);
        await this.pause(delay, payload);
        continue;
      }
      if (records.length === 1) {
        await this.deadLetter(first, `handler failed ${attempts} times: ${describe(error)}`, payload);
        await commit(records);
        return;
      }
      // Halves are tried once: the failure is already known to be in there; only the single
      // record at the end of the search gets the full attempts before it is given up on.
      const middle = Math.ceil(records.length / 2);
      this.logger.warn(`${where}: isolating the failing record among ${records.length}: ${describe(error)}`);
      const left = records.slice(0, middle);
      const right = records.slice(middle);
      await this.settle(left, left.length === 1 ? this.retry.attempts : 1, payload, commit);
      await this.settle(right, right.length === 1 ? this.retry.attempts : 1, payload, commit);
      return;
    }
  }

  /** The handler's failure, if it failed (a commit failure is not one: it must not re-run the handler). */
  private async run(records: readonly ConsumedRecord[]): Promise<unknown> {
    try {
      await this.options.handler([...records]);
      return undefined;
    } catch (error: unknown) {
      return error ?? new Error('handler threw without a reason');
    }
  }

  /** Sends a record to the dead-letter topic; only Kafka itself being away can hold that up, and it is waited out. */
  private async deadLetter(record: ConsumedRecord, reason: string, payload: EachBatchPayload): Promise<void> {
    const { producer, topic, consumer } = this.options.deadLetter;
    this.logger.error(`dead-lettering ${record.topic}[${record.partition}]@${record.offset}: ${reason}`);
    for (let attempt = 1; ; attempt++) {
      try {
        await producer.send([toDeadLetter(topic, record, reason, consumer, new Date())]);
        return;
      } catch (error: unknown) {
        if (!this.owned(payload)) throw new PartitionLost();
        const delay = this.backoff(attempt);
        this.logger.warn(`dead-letter topic unavailable, retrying in ${delay} ms: ${describe(error)}`);
        await this.pause(delay, payload);
      }
    }
  }

  /** Exponential back-off with jitter: between half and all of base·2^(n−1), capped. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** Math.min(attempt - 1, 30));
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  /**
   * Waits, heartbeating meanwhile: kafkajs heartbeats only between batches or when asked, so a long
   * wait would otherwise cost the group membership. A heartbeat refused for a rebalance, or a
   * stop, ends the wait and gives the partition up.
   */
  private async pause(ms: number, payload: EachBatchPayload): Promise<void> {
    const until = Date.now() + ms;
    for (;;) {
      const left = until - Date.now();
      if (left <= 0) return;
      await new Promise((r) => setTimeout(r, Math.min(left, this.heartbeatIntervalMs)));
      try {
        await payload.heartbeat();
      } catch {
        throw new PartitionLost();
      }
      if (!this.owned(payload)) throw new PartitionLost();
    }
  }

  private owned(payload: EachBatchPayload): boolean {
    return !this.stopping && payload.isRunning() && !payload.isStale();
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return a.length === b.length && b.every((t) => set.has(t));
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
