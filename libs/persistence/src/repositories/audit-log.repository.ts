import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditLogEntity, type AuditOutcome } from '../entities';

export interface NewAuditRow {
  actorKind: string;
  actorId: string | null;
  actorAgencyId: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  agencyId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  outcome: AuditOutcome;
  reason: string | null;
  sourceIp: string | null;
  requestId: string | null;
}

export interface AuditQuery {
  actorId?: string | undefined;
  action?: string | undefined;
  objectType?: string | undefined;
  objectId?: string | undefined;
  agencyId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Keyset cursor: only rows with a smaller id (the list is newest first). */
  beforeId?: string | undefined;
}

/** What a walk of the audit chain found. */
export type AuditChainVerification =
  | { intact: true; rows: number; lastId: string | null; lastHash: string }
  | {
      intact: false;
      /** Rows checked up to and including the first broken one. */
      rows: number;
      /** The first row that does not hold (for `tail`, the last row the head names). */
      firstBrokenId: string;
      /**
       * `content`: the row's fields no longer give its hash (the row was edited); `link`: the row does
       * not follow the one before it (a row was removed or inserted before it, or its prev_hash edited);
       * `tail`: rows after the last one present were removed.
       */
      problem: 'content' | 'link' | 'tail';
    };

/** The chain's start: what the first row's prev_hash is. */
export const AUDIT_CHAIN_GENESIS = Buffer.alloc(32);

const VERIFY_CHUNK = 5_000;

interface ChainRow {
  id: string;
  prev_hash: Buffer;
  hash: Buffer;
  /** The hash recomputed from the row's fields as they are now. */
  expected: Buffer;
}

@Injectable()
export class AuditLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Appends a row; pass the change's EntityManager so the row commits (or not) with the change. The
   * table's trigger chains it (id, time, prev_hash, hash) and holds the chain until the transaction
   * ends, so append last in a transaction (docs/adr/0031).
   */
  async append(row: NewAuditRow, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `INSERT INTO audit_log (actor_kind, actor_id, actor_agency_id, action, object_type, object_id, agency_id,
                              before, after, outcome, reason, source_ip, request_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        row.actorKind,
        row.actorId,
        row.actorAgencyId,
        row.action,
        row.objectType,
        row.objectId,
        row.agencyId,
        row.before === null ? null : JSON.stringify(row.before),
        row.after === null ? null : JSON.stringify(row.after),
        row.outcome,
        row.reason,
        row.sourceIp,
        row.requestId,
      ],
    );
  }

  /** Matching rows, newest first. */
  find(query: AuditQuery, limit: number): Promise<AuditLogEntity[]> {
    const qb = this.dataSource.getRepository(AuditLogEntity).createQueryBuilder('l').orderBy('l.id', 'DESC').limit(limit);
    if (query.actorId !== undefined) qb.andWhere('l.actor_id = :actorId', { actorId: query.actorId });
    if (query.action !== undefined) qb.andWhere('l.action = :action', { action: query.action });
    if (query.objectType !== undefined) qb.andWhere('l.object_type = :objectType', { objectType: query.objectType });
    if (query.objectId !== undefined) qb.andWhere('l.object_id = :objectId', { objectId: query.objectId });
    if (query.agencyId !== undefined) qb.andWhere('l.agency_id = :agencyId', { agencyId: query.agencyId });
    if (query.from !== undefined) qb.andWhere('l.at >= :from', { from: query.from });
    if (query.to !== undefined) qb.andWhere('l.at < :to', { to: query.to });
    if (query.beforeId !== undefined) qb.andWhere('l.id < :beforeId', { beforeId: query.beforeId });
    return qb.getMany();
  }

  /**
   * Walks the whole chain in id order, recomputing each row's hash in the database (the same
   * function the trigger uses) and checking each link, then that the last row is the one the head
   * names. Rows appended while it runs are after the head it read, and not walked.
   */
  async verifyChain(): Promise<AuditChainVerification> {
    const heads = await this.dataSource.query<{ last_id: string | null; last_hash: Buffer }[]>(
      'SELECT last_id::text AS last_id, last_hash FROM audit_log_head',
    );
    const head = heads[0];
    if (head === undefined) throw new Error('audit_log_head is empty: the audit chain migration did not run');
    let previous: Buffer = AUDIT_CHAIN_GENESIS;
    let lastId: string | null = null;
    let rows = 0;
    for (;;) {
      const chunk: ChainRow[] = await this.dataSource.query(
        `SELECT l.id::text AS id, l.prev_hash, l.hash, audit_log_digest(l.prev_hash, l) AS expected
           FROM audit_log l
          WHERE l.id > $1 AND l.id <= $2
          ORDER BY l.id
          LIMIT $3`,
        [lastId ?? '0', head.last_id ?? '0', VERIFY_CHUNK],
      );
      for (const row of chunk) {
        rows += 1;
        if (!row.prev_hash.equals(previous)) return { intact: false, rows, firstBrokenId: row.id, problem: 'link' };
        if (!row.hash.equals(row.expected)) return { intact: false, rows, firstBrokenId: row.id, problem: 'content' };
        previous = row.hash;
        lastId = row.id;
      }
      if (chunk.length < VERIFY_CHUNK) break;
    }
    if (lastId !== head.last_id || !previous.equals(head.last_hash)) {
      return { intact: false, rows, firstBrokenId: head.last_id ?? '0', problem: 'tail' };
    }
    return { intact: true, rows, lastId, lastHash: previous.toString('hex') };
  }
}
