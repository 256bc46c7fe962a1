import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A record waiting to be published to Kafka, written in the same transaction as the change it
 * describes (transactional outbox). `value` null is a tombstone.
 */
@Entity({ name: 'outbox' })
export class OutboxEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 249 })
  topic!: string;

  @Column({ type: 'varchar', length: 200 })
  key!: string;

  @Column({ type: 'jsonb', nullable: true })
  value!: unknown;

  @Column({ type: 'jsonb', default: {} })
  headers!: Record<string, string>;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;
}
