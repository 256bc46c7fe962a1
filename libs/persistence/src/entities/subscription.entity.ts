import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const SUBSCRIPTION_CHANNELS = ['webhook', 'pull', 'sse'] as const;
export type SubscriptionChannel = (typeof SUBSCRIPTION_CHANNELS)[number];
export const SUBSCRIPTION_STATUSES = ['active', 'disabled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** What a subscriber narrows its entitled events to. Every member is optional; absent = no narrowing. */
export interface SubscriptionFilters {
  types?: string[];
  minPriority?: number;
  /** The most restrictive TLP label to receive (e.g. AMBER: CLEAR, GREEN and AMBER only). */
  maxTlp?: string;
  /** Events with a point inside this WGS84 box; events without a point are left out. */
  area?: { minLat: number; minLon: number; maxLat: number; maxLon: number };
}

/** A receiving agency's subscription to its entitled events over one channel. */
@Entity({ name: 'subscription' })
export class SubscriptionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'agency_id', type: 'uuid' })
  agencyId!: string;

  @Column({ type: 'varchar', length: 16 })
  channel!: SubscriptionChannel;

  @Column({ type: 'varchar', length: 100 })
  label!: string;

  @Column({ type: 'jsonb' })
  filters!: SubscriptionFilters;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  url!: string | null;

  /** AES-256-GCM sealed `whsec_` signing secret (recoverable: it must sign). */
  @Column({ name: 'secret_sealed', type: 'bytea', nullable: true })
  secretSealed!: Buffer | null;

  /** The secret before the last rotation; also signs until `previousSecretExpiresAt`. */
  @Column({ name: 'previous_secret_sealed', type: 'bytea', nullable: true })
  previousSecretSealed!: Buffer | null;

  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', nullable: true })
  previousSecretExpiresAt!: Date | null;

  @Column({ type: 'varchar', length: 16 })
  status!: SubscriptionStatus;

  @Column({ name: 'disabled_reason', type: 'varchar', length: 500, nullable: true })
  disabledReason!: string | null;

  /** Start of the current unbroken run of failed attempts; null while the endpoint is healthy. */
  @Column({ name: 'failing_since', type: 'timestamptz', nullable: true })
  failingSince!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
