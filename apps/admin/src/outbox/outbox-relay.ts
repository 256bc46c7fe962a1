import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { DataSource, type EntityManager } from 'typeorm';
import { CONFIG_OUTBOX_ID_HEADER, topicNames } from '@liaison/contracts';
import { compactedTopic, DurableProducer, ensureTopics, KAFKA, type OutgoingRecord } from '@liaison/messaging';
import { OutboxRepository } from '@liaison/persistence';
import { AdminConfig } from '../admin.config';
import { ConfigStateReader } from './config-state-reader';

const BATCH = 500;
const MAX_BACKOFF_MS = 10_000;
/** Published rows are kept a week for inspection; Kafka is the record after that. */
const KEEP_PUBLISHED_MS = 7 * 24 * 3_600_000;
const CLEANUP_EVERY_MS = 3_600_000;

/**
 * Publishes the outbox to Kafka in order (transactional outbox relay). Every admin instance runs
 * one; a transaction-scoped advisory lock lets one publish at a time, and `FOR UPDATE SKIP LOCKED`
 * keeps the claimed rows out of anyone else's hands until they are marked. A crash between the
 * Kafka acknowledgement and the commit publishes the same rows again: readers apply states, so a
 * repeat is harmless. On its first turn as relay, if the configuration topic is empty, it first
 * writes every object's current state to the outbox (agencies onboarded before the outbox existed).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private again = false;
  private stopped = true;
  private seedChecked = false;
  private topicReady = false;
  private failures = 0;
  private lastCleanup = 0;
  private current: Promise<void> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly producer: DurableProducer,
    private readonly state: ConfigStateReader,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(AdminConfig) private readonly config: AdminConfig,
  ) {}

  /** Starts relaying. The topic is created on the first turn, so the API starts (and takes changes) while Kafka is away. */
  onApplicationBootstrap(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current;
  }

  /** Asks for a turn now: a change was just committed. */
  wake(): void {
    if (this.busy) this.again = true;
    else this.schedule(0);
  }

  /** Publishes until the outbox is empty (or another instance is the relay); resolves the number of rows published. */
  private async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.publishOnce();
      total += n;
      if (n < BATCH) return total;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.current = this.turn();
    }, delayMs);
  }

  private async turn(): Promise<void> {
    this.busy = true;
    let delay = this.config.OUTBOX_POLL_MS;
    try {
      if (!this.topicReady) {
        await ensureTopics(this.kafka, [compactedTopic(topicNames(this.config.LIAISON_TOPIC_NAMESPACE).config)]);
        this.topicReady = true;
      }
      do {
        this.again = false;
        await this.drain();
      } while (this.again && !this.stopped);
      this.failures = 0;
      await this.cleanup();
    } catch (error: unknown) {
      this.failures += 1;
      delay = Math.min(200 * 2 ** this.failures, MAX_BACKOFF_MS);
      this.logger.warn(`outbox relay turn failed (retry in ${delay} ms): ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.busy = false;
      this.schedule(this.again ? 0 : delay);
    }
  }

  private async publishOnce(): Promise<number> {
    let seeded = false;
    let checked = false;
    const published = await this.dataSource.transaction(async (m) => {
      if (!(await this.outbox.tryBecomeRelay(m))) return 0;
      if (!this.seedChecked) {
        seeded = await this.seedIfTopicEmpty(m);
        checked = true;
      }
      const rows = await this.outbox.claim(m, BATCH);
      if (rows.length === 0) return 0;
      const records: OutgoingRecord[] = rows.map((r) => ({
        topic: r.topic,
        key: r.key,
        value: r.value === null ? null : Buffer.from(JSON.stringify(r.value)),
        headers: { ...r.headers, [CONFIG_OUTBOX_ID_HEADER]: r.id },
      }));
      await this.producer.send(records);
      await this.outbox.markPublished(
        m,
        rows.map((r) => r.id),
      );
      return rows.length;
    });
    // Only once committed: a failed turn rolls its seed rows back and must check again.
    if (checked) this.seedChecked = true;
    if (seeded) this.logger.log('configuration topic was empty: published the current state of every object');
    return published;
  }

  /** Called only while holding the relay lock. */
  private async seedIfTopicEmpty(m: EntityManager): Promise<boolean> {
    const admin = this.kafka.admin();
    await admin.connect();
    let empty: boolean;
    try {
      const offsets = await admin.fetchTopicOffsets(topicNames(this.config.LIAISON_TOPIC_NAMESPACE).config);
      empty = offsets.every((p) => p.high === '0');
    } finally {
      await admin.disconnect();
    }
    if (!empty) return false;
    await this.outbox.lockAgainstWriters(m);
    await this.outbox.append(m, await this.state.everything(m));
    return true;
  }

  private async cleanup(): Promise<void> {
    const now = Date.now();
    if (now - this.lastCleanup < CLEANUP_EVERY_MS) return;
    this.lastCleanup = now;
    await this.outbox.deletePublishedBefore(new Date(now - KEEP_PUBLISHED_MS));
  }
}
