import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const AGENCY_KINDS = ['local', 'county', 'state', 'federal', 'tribal', 'rtcc'] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];
export const AGENCY_STATUSES = ['active', 'suspended'] as const;
export type AgencyStatus = (typeof AGENCY_STATUSES)[number];

/** A tenant: one law-enforcement agency, identified by its ORI. */
@Entity({ name: 'agency' })
export class AgencyEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** FBI Originating Agency Identifier: two-letter state code and seven characters. */
  @Column({ type: 'varchar', length: 9, unique: true })
  ori!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: AgencyKind;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: AgencyStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
