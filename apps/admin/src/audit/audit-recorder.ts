import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditLogRepository, type AuditOutcome } from '@liaison/persistence';
import type { AuditContext } from './audit-context';
import { withoutSecrets } from './without-secrets';

/** What happened to which object. Snapshots are views; secrets are stripped again on the way in. */
export interface AuditEntry {
  action: string;
  objectType?: string | null;
  objectId?: string | null;
  /** The agency whose administrators may read the row; null keeps it for platform operators. */
  agencyId?: string | null;
  before?: object | null;
  after?: object | null;
  outcome?: AuditOutcome;
  /** Server-side truth, e.g. why a sign-in failed; never sent back to the caller. */
  reason?: string | null;
}

/** A database transaction whose audit rows commit or roll back together with its changes. */
export interface AuditedTransaction {
  readonly manager: EntityManager;
  readonly record: (entry: AuditEntry) => Promise<void>;
}

/**
 * The one way Liaison writes its audit trail. Changes go through `change`, so the audit row is in
 * the same transaction as the change it describes (no change without its row, no row for a change
 * that rolled back). Events that change nothing (sign-ins, refusals) go through `record`.
 */
@Injectable()
export class AuditRecorder {
  constructor(
    private readonly dataSource: DataSource,
    private readonly log: AuditLogRepository,
  ) {}

  change<T>(context: AuditContext, work: (tx: AuditedTransaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      // Appended after the work, last in the transaction: an append holds the audit chain until
      // commit, and a transaction holding it must not then wait for the row locks of another that
      // waits for the chain (docs/adr/0031).
      const entries: AuditEntry[] = [];
      const result = await work({
        manager,
        record: (entry) => {
          entries.push(entry);
          return Promise.resolve();
        },
      });
      for (const entry of entries) await this.log.append(toRow(context, entry), manager);
      return result;
    });
  }

  record(context: AuditContext, entry: AuditEntry): Promise<void> {
    return this.log.append(toRow(context, entry));
  }
}

function toRow(context: AuditContext, entry: AuditEntry) {
  return {
    actorKind: context.actor.kind,
    actorId: context.actor.id,
    actorAgencyId: context.actor.agencyId,
    action: entry.action,
    objectType: entry.objectType ?? null,
    objectId: entry.objectId ?? null,
    agencyId: entry.agencyId ?? null,
    before: withoutSecrets(entry.before),
    after: withoutSecrets(entry.after),
    outcome: entry.outcome ?? 'success',
    reason: entry.reason?.slice(0, 500) ?? null,
    sourceIp: context.sourceIp,
    requestId: context.requestId,
  };
}
