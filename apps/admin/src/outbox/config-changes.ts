import { Inject, Injectable } from '@nestjs/common';
import { configKey, topicNames, type ConfigKind, type ConfigStateByKind } from '@liaison/contracts';
import { OutboxRepository, type OutboxRecord } from '@liaison/persistence';
import { AdminConfig } from '../admin.config';
import type { AuditContext } from '../audit/audit-context';
import { AuditRecorder, type AuditedTransaction } from '../audit/audit-recorder';
import { OutboxRelay } from './outbox-relay';

/** Records the new state of a changed object (null: it was deleted) for the configuration topic. */
export type Emit = <K extends ConfigKind>(kind: K, id: string, state: ConfigStateByKind[K] | null) => void;

/** A configuration change in progress: its writes, its audit rows and its outbox rows share `manager`'s transaction. */
export interface ConfigTransaction extends AuditedTransaction {
  emit: Emit;
}

/**
 * The unit of work of every configuration change: the change, its audit row and the outbox rows
 * describing the objects' new state commit in one transaction (or none of them does), then the relay is nudged so the change reaches
 * Kafka at once rather than at its next poll. Writers lock the rows they change before emitting,
 * so the outbox order of one object's records is the order its changes committed.
 */
@Injectable()
export class ConfigChanges {
  private readonly topic: string;

  constructor(
    private readonly audit: AuditRecorder,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    @Inject(AdminConfig) config: AdminConfig,
  ) {
    this.topic = topicNames(config.LIAISON_TOPIC_NAMESPACE).config;
  }

  async run<T>(context: AuditContext, work: (tx: ConfigTransaction) => Promise<T>): Promise<T> {
    const result = await this.audit.change(context, async ({ manager, record }) => {
      const records: OutboxRecord[] = [];
      const emit: Emit = (kind, id, state) => records.push({ topic: this.topic, key: configKey(kind, id), value: state });
      const value = await work({ manager, record, emit });
      await this.outbox.append(manager, records);
      return value;
    });
    this.relay.wake();
    return result;
  }
}
