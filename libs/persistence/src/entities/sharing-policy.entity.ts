import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { FieldRules, GeoScope, TlpLabel } from '@liaison/policy/model';

/**
 * One version of a sharing policy. An update inserts the next version and marks the previous one
 * superseded, so the record shows what was in force when; the current version has no `supersededAt`.
 */
@Entity({ name: 'sharing_policy' })
export class SharingPolicyEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @PrimaryColumn({ type: 'integer' })
  version!: number;

  @Column({ name: 'grantor_agency_id', type: 'uuid' })
  grantorAgencyId!: string;

  /** Exactly one of the two grantee columns is set (checked by the database). */
  @Column({ name: 'grantee_agency_id', type: 'uuid', nullable: true })
  granteeAgencyId!: string | null;

  @Column({ name: 'grantee_group_id', type: 'uuid', nullable: true })
  granteeGroupId!: string | null;

  /** Feed names covered; null = every feed. */
  @Column({ type: 'text', array: true, nullable: true })
  feeds!: string[] | null;

  /** Event types covered; null = every type. */
  @Column({ name: 'event_types', type: 'text', array: true, nullable: true })
  eventTypes!: string[] | null;

  @Column({ name: 'max_tlp', type: 'varchar', length: 16 })
  maxTlp!: TlpLabel;

  @Column({ name: 'geo_scope', type: 'jsonb', nullable: true })
  geoScope!: GeoScope | null;

  @Column({ type: 'varchar', length: 500 })
  purpose!: string;

  @Column({ name: 'valid_from', type: 'timestamptz', nullable: true })
  validFrom!: Date | null;

  @Column({ name: 'valid_until', type: 'timestamptz', nullable: true })
  validUntil!: Date | null;

  @Column({ name: 'field_rules', type: 'jsonb' })
  fieldRules!: FieldRules;

  /** Who made this version: `operator` or `api-key:<key id>`. */
  @Column({ name: 'created_by', type: 'varchar', length: 100 })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'superseded_at', type: 'timestamptz', nullable: true })
  supersededAt!: Date | null;
}
