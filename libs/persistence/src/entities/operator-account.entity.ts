import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const OPERATOR_ROLES = ['platform-operator', 'agency-admin'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/** scrypt cost parameters stored with each hash, so they can be raised without breaking old hashes. */
export interface PasswordParams {
  algorithm: 'scrypt';
  N: number;
  r: number;
  p: number;
  keyLength: number;
}

/** A person who runs Liaison: a platform operator, or an administrator of one agency. */
@Entity({ name: 'operator_account' })
export class OperatorAccountEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 200 })
  displayName!: string;

  @Column({ type: 'varchar', length: 32 })
  role!: OperatorRole;

  /** Set exactly for agency administrators. */
  @Column({ name: 'agency_id', type: 'uuid', nullable: true })
  agencyId!: string | null;

  @Column({ name: 'password_hash', type: 'bytea' })
  passwordHash!: Buffer;

  @Column({ name: 'password_salt', type: 'bytea' })
  passwordSalt!: Buffer;

  @Column({ name: 'password_params', type: 'jsonb' })
  passwordParams!: PasswordParams;

  /** Consecutive failed sign-ins since the last success or lockout. */
  @Column({ name: 'failed_attempts', type: 'integer', default: 0 })
  failedAttempts!: number;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
