import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { TlpLabel } from '@liaison/policy/model';

/** A named stream an agency publishes on (e.g. `cad`, `alpr`): which types it carries, its default marking and retention. */
@Entity({ name: 'feed' })
export class FeedEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'agency_id', type: 'uuid' })
  agencyId!: string;

  /** Unique per agency; what events name in their `feed` attribute and policies in their `feeds`. */
  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description!: string | null;

  @Column({ name: 'event_types', type: 'text', array: true })
  eventTypes!: string[];

  @Column({ name: 'default_tlp', type: 'varchar', length: 16 })
  defaultTlp!: TlpLabel;

  @Column({ name: 'retention_days', type: 'integer' })
  retentionDays!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
