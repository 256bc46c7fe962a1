import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const DELIVERY_CHANNELS = ['agency-topic', 'webhook', 'pull', 'sse'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];
export const DELIVERY_OUTCOMES = ['delivered', 'failed'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

/** One delivery attempt of an entitled copy to a recipient over one channel. */
@Entity({ name: 'delivery_attempt' })
export class DeliveryAttemptEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ name: 'owner_agency_id', type: 'uuid' })
  ownerAgencyId!: string;

  @Column({ name: 'event_id', type: 'varchar', length: 128 })
  eventId!: string;

  @Column({ name: 'recipient_agency_id', type: 'uuid' })
  recipientAgencyId!: string;

  @Column({ type: 'varchar', length: 16 })
  channel!: DeliveryChannel;

  /** The webhook subscription attempted (webhook channel only). */
  @Column({ name: 'subscription_id', type: 'uuid', nullable: true })
  subscriptionId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  outcome!: DeliveryOutcome;

  @Column({ type: 'varchar', length: 500, nullable: true })
  detail!: string | null;

  @Column({ name: 'attempted_at', type: 'timestamptz', default: () => 'now()' })
  attemptedAt!: Date;
}
