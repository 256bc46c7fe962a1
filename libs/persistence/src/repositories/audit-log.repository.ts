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

@Injectable()
export class AuditLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Appends a row; pass the change's EntityManager so the row commits (or not) with the change. */
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
}
