import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const AGENCY_KINDS = ['local', 'county', 'state', 'federal', 'tribal', 'rtcc'] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];
export const AGENCY_STATUSES = ['active', 'suspended'] as const;
export type AgencyStatus = (typeof AGENCY_STATUSES)[number];
/** CAP statuses besides Actual an agency may opt in to receive. */
export const NON_ACTUAL_STATUSES = ['Exercise', 'Test'] as const;
export type NonActualStatus = (typeof NON_ACTUAL_STATUSES)[number];

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

  /** Jurisdiction code (e.g. a county or state code) geographic scopes can match. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  jurisdiction!: string | null;

  /** 28 CFR 23.20(e): only law-enforcement agencies may receive criminal intelligence. */
  @Column({ name: 'law_enforcement', type: 'boolean', default: true })
  lawEnforcement!: boolean;

  @Column({ name: 'accepts_statuses', type: 'text', array: true, default: '{}' })
  acceptsStatuses!: NonActualStatus[];

  @Column({ name: 'suspended_at', type: 'timestamptz', nullable: true })
  suspendedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
