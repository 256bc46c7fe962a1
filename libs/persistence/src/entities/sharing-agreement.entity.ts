import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The grantor agency lets the grantee receive its events, for a stated purpose. */
@Entity({ name: 'sharing_agreement' })
export class SharingAgreementEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'grantor_agency_id', type: 'uuid' })
  grantorAgencyId!: string;

  @Column({ name: 'grantee_agency_id', type: 'uuid' })
  granteeAgencyId!: string;

  /** Why the grantee needs the data (28 CFR 23.20(e): need-to-know, right-to-know). */
  @Column({ type: 'varchar', length: 500 })
  purpose!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
