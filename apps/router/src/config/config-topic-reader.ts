import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Batch, Consumer, Kafka } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { decodeConfigRecord, topicNames } from '@liaison/contracts';
import { compactedTopic, ensureTopics, KAFKA } from '@liaison/messaging';
import { SharingSnapshot } from '../route-batch/sharing-snapshot';
import { RouterConfig } from '../router.config';
import { FederationState, toPolicyModel } from './federation-state';

export interface AppliedKey {
  version: number | null;
  deleted: boolean;
  /** When the router's snapshot first contained this state (epoch ms). */
  appliedAt: number;
}

/**
 * Reads the compacted configuration topic from its beginning into the router's snapshot, then
 * keeps applying changes as they arrive. It runs in `onModuleInit`, which Nest completes for every
 * provider before any `onApplicationBootstrap`, so the ingest consumer (started there) never
 * routes before the whole current configuration is loaded.
 *
 * Every router instance reads every record: it uses a consumer group of its own and commits
 * nothing, so each start reads the topic from the beginning again (compaction keeps that short).
 */
@Injectable()
export class ConfigTopicReader implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ConfigTopicReader.name);
  private readonly topic: string;
  private readonly state = new FederationState();
  private readonly applied = new Map<string, AppliedKey>();
  private consumer: Consumer | undefined;
  private caughtUp = false;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(RouterConfig) private readonly config: RouterConfig,
    private readonly snapshot: SharingSnapshot,
  ) {
    this.topic = topicNames(config.LIAISON_TOPIC_NAMESPACE).config;
  }

  async onModuleInit(): Promise<void> {
    const started = Date.now();
    await ensureTopics(this.kafka, [compactedTopic(this.topic)]);
    const ends = await this.endOffsets();
    const remaining = new Map([...ends].filter(([, end]) => end > 0n));
    let markCaughtUp: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      markCaughtUp = resolve;
    });
    if (remaining.size === 0) markCaughtUp();

    const consumer = this.kafka.consumer({
      groupId: `${this.config.LIAISON_TOPIC_NAMESPACE}.router-config.${this.config.SERVICE_INSTANCE}.${randomBytes(4).toString('hex')}`,
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [this.topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: ({ batch }) => {
        this.applyBatch(batch);
        const end = remaining.get(batch.partition);
        if (end !== undefined && BigInt(batch.lastOffset()) + 1n >= end) {
          remaining.delete(batch.partition);
          if (remaining.size === 0) markCaughtUp();
        }
        return Promise.resolve();
      },
    });

    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        done,
        new Promise((_, reject) => {
          timer = setTimeout(
            () =>
              reject(new Error(`configuration topic ${this.topic} not read to its end within ${this.config.ROUTER_CONFIG_CATCH_UP_MS} ms`)),
            this.config.ROUTER_CONFIG_CATCH_UP_MS,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
    this.caughtUp = true;
    this.logger.log(`configuration loaded: ${this.state.size} objects from ${this.topic} in ${Date.now() - started} ms`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.disconnect();
  }

  /** What the router holds for one key (`policy:<id>`, …), for operators and the propagation measurement. */
  status(key?: string): { caughtUp: boolean; objects: number; key?: AppliedKey | null } {
    const result: { caughtUp: boolean; objects: number; key?: AppliedKey | null } = { caughtUp: this.caughtUp, objects: this.state.size };
    if (key !== undefined) result.key = this.applied.get(key) ?? null;
    return result;
  }

  /** Folds one batch into the state, then swaps the snapshot once for the whole batch. */
  private applyBatch(batch: Batch): void {
    const touched: { key: string; version: number | null; deleted: boolean }[] = [];
    for (const message of batch.messages) {
      const key = message.key?.toString() ?? null;
      const decoded = decodeConfigRecord(key, message.value);
      if (!decoded.ok) {
        this.logger.error(`config record ${this.topic}[${batch.partition}]@${message.offset} refused: ${decoded.reason}`);
        if (decoded.kind !== undefined && decoded.id !== undefined) this.state.forget(decoded.kind, decoded.id);
        continue;
      }
      const { record } = decoded;
      if (!this.state.apply(record)) continue;
      const version = record.kind === 'policy' && record.state !== null ? record.state.version : null;
      touched.push({ key: `${record.kind}:${record.id}`, version, deleted: record.state === null });
    }
    if (touched.length === 0) return;
    this.snapshot.replace(toPolicyModel(this.state));
    const now = Date.now();
    for (const t of touched) this.applied.set(t.key, { version: t.version, deleted: t.deleted, appliedAt: now });
    if (this.caughtUp) this.logger.log(`applied ${touched.length} configuration change(s): ${touched.map((t) => t.key).join(', ')}`);
  }

  private async endOffsets(): Promise<Map<number, bigint>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(this.topic);
      return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
    } finally {
      await admin.disconnect();
    }
  }
}
