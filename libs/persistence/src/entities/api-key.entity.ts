import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const API_KEY_SCOPES = ['publish', 'consume', 'manage'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** An agency's API key. Only a SHA-256 digest of the secret is stored; the key is shown once. */
@Entity({ name: 'api_key' })
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ name: 'agency_id', type: 'uuid' })
  agencyId!: string;

  /** Public, non-secret part of the key, used to find the row. */
  @Column({ type: 'varchar', length: 32, unique: true })
  prefix!: string;

  @Column({ name: 'secret_sha256', type: 'bytea' })
  secretSha256!: Buffer;

  @Column({ type: 'text', array: true })
  scopes!: ApiKeyScope[];

  @Column({ type: 'varchar', length: 100 })
  label!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
