import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const DECISIONS = ['shared', 'denied'] as const;
export type Decision = (typeof DECISIONS)[number];

/**
 * The dissemination ledger: one row per (event, candidate recipient) decision — who, what, why,
 * when — the record 28 CFR 23.20(g) asks for. Append-only.
 */
@Entity({ name: 'dissemination' })
export class DisseminationEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ name: 'owner_agency_id', type: 'uuid' })
  ownerAgencyId!: string;

  @Column({ name: 'event_id', type: 'varchar', length: 128 })
  eventId!: string;

  @Column({ name: 'event_type', type: 'varchar', length: 128 })
  eventType!: string;

  @Column({ type: 'varchar', length: 256 })
  subject!: string;

  @Column({ type: 'varchar', length: 16 })
  tlp!: string;

  @Column({ name: 'recipient_agency_id', type: 'uuid' })
  recipientAgencyId!: string;

  @Column({ type: 'varchar', length: 8 })
  decision!: Decision;

  /** Machine-readable rule names from `libs/policy`, e.g. `shared-under-policy`, `no-policy`, `tlp-red-not-named`. */
  @Column({ type: 'text', array: true })
  reasons!: string[];

  /** The first granting policy's id (agreements became policies with the same ids); null when denied. */
  @Column({ name: 'agreement_id', type: 'uuid', nullable: true })
  agreementId!: string | null;

  /** Policies that granted the copy (shared), or that were considered and refused (denied). */
  @Column({ name: 'policy_ids', type: 'uuid', array: true, default: () => "'{}'" })
  policyIds!: string[];

  @Column({ name: 'decided_at', type: 'timestamptz', default: () => 'now()' })
  decidedAt!: Date;
}
