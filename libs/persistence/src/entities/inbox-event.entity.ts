import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One entitled (already redacted) copy as its recipient received it, in CloudEvents structured
 * form. The source of the pull API, the live stream and webhook payloads.
 */
@Entity({ name: 'inbox_event' })
export class InboxEventEntity {
  /** Per-recipient commit-ordered position: the cursor of pull and SSE. */
  @PrimaryColumn({ type: 'bigint' })
  seq!: string;

  @Column({ name: 'recipient_agency_id', type: 'uuid' })
  recipientAgencyId!: string;

  @Column({ name: 'owner_agency_id', type: 'uuid' })
  ownerAgencyId!: string;

  @Column({ name: 'event_id', type: 'varchar', length: 128 })
  eventId!: string;

  @Column({ type: 'varchar', length: 256 })
  subject!: string;

  @Column({ type: 'varchar', length: 128 })
  type!: string;

  @Column({ type: 'jsonb' })
  event!: Record<string, unknown>;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}
