import { ApiProperty } from '@nestjs/swagger';
import { AUDIT_OUTCOMES, type AuditLogEntity, type AuditOutcome } from '@liaison/persistence';

class AuditActorView {
  @ApiProperty({ enum: ['bootstrap-token', 'operator-account', 'api-key', 'anonymous'] })
  kind!: string;

  @ApiProperty({ type: String, nullable: true })
  id!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  agencyId!: string | null;
}

export class AuditEventView {
  @ApiProperty({ description: 'increasing; also the pagination cursor' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ type: AuditActorView })
  actor!: AuditActorView;

  @ApiProperty({ example: 'api-key.issue' })
  action!: string;

  @ApiProperty({ type: String, nullable: true })
  objectType!: string | null;

  @ApiProperty({ type: String, nullable: true })
  objectId!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  agencyId!: string | null;

  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true })
  before!: Record<string, unknown> | null;

  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true })
  after!: Record<string, unknown> | null;

  @ApiProperty({ enum: AUDIT_OUTCOMES })
  outcome!: AuditOutcome;

  @ApiProperty({ type: String, nullable: true })
  reason!: string | null;

  @ApiProperty({ type: String, nullable: true })
  sourceIp!: string | null;

  @ApiProperty({ type: String, nullable: true })
  requestId!: string | null;
}

export class AuditEventPage {
  @ApiProperty({ type: [AuditEventView] })
  items!: AuditEventView[];

  @ApiProperty({ type: String, nullable: true })
  next!: string | null;
}

export function auditEventView(row: AuditLogEntity): AuditEventView {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: { kind: row.actorKind, id: row.actorId, agencyId: row.actorAgencyId },
    action: row.action,
    objectType: row.objectType,
    objectId: row.objectId,
    agencyId: row.agencyId,
    before: row.before,
    after: row.after,
    outcome: row.outcome,
    reason: row.reason,
    sourceIp: row.sourceIp,
    requestId: row.requestId,
  };
}
