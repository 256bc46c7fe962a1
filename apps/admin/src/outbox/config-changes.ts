import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { configKey, topicNames, type ConfigKind, type ConfigStateByKind } from '@liaison/contracts';
import { OutboxRepository, type OutboxRecord } from '@liaison/persistence';
import { AdminConfig } from '../admin.config';
import { OutboxRelay } from './outbox-relay';

/** Records the new state of a changed object (null: it was deleted) for the configuration topic. */
export type Emit = <K extends ConfigKind>(kind: K, id: string, state: ConfigStateByKind[K] | null) => void;

/**
 * The unit of work of every configuration change: the change and the outbox rows describing the
 * objects' new state commit in one transaction, then the relay is nudged so the change reaches
 * Kafka at once rather than at its next poll. Writers lock the rows they change before emitting,
 * so the outbox order of one object's records is the order its changes committed.
 */
@Injectable()
export class ConfigChanges {
  private readonly topic: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    @Inject(AdminConfig) config: AdminConfig,
  ) {
    this.topic = topicNames(config.LIAISON_TOPIC_NAMESPACE).config;
  }

  async run<T>(work: (m: EntityManager, emit: Emit) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(async (m) => {
      const records: OutboxRecord[] = [];
      const value = await work(m, (kind, id, state) => records.push({ topic: this.topic, key: configKey(kind, id), value: state }));
      await this.outbox.append(m, records);
      return value;
    });
    this.relay.wake();
    return result;
  }
}
