import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { SharingPolicyEntity } from '../entities';

export type PolicyContent = Pick<
  SharingPolicyEntity,
  | 'granteeAgencyId'
  | 'granteeGroupId'
  | 'feeds'
  | 'eventTypes'
  | 'maxTlp'
  | 'geoScope'
  | 'purpose'
  | 'validFrom'
  | 'validUntil'
  | 'fieldRules'
>;

export interface NewPolicyVersion extends PolicyContent {
  id?: string;
  version: number;
  grantorAgencyId: string;
  createdBy: string;
}

/**
 * Versioned sharing policies. Reads return the current version (not superseded) unless they say
 * otherwise; every read and write is scoped by the grantor agency.
 */
@Injectable()
export class SharingPolicyRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(m: EntityManager = this.dataSource.manager) {
    return m.getRepository(SharingPolicyEntity);
  }

  /** Inserts one version; a new policy (no `id`) gets a fresh id. */
  async insert(m: EntityManager, policy: NewPolicyVersion): Promise<SharingPolicyEntity> {
    const rows = await m.query<{ id: string }[]>(`SELECT coalesce($1::uuid, gen_random_uuid()) AS id`, [policy.id ?? null]);
    const id = rows[0]?.id as string;
    await this.repo(m).insert({ ...policy, id, revokedAt: null, supersededAt: null });
    return this.repo(m).findOneByOrFail({ id, version: policy.version });
  }

  findCurrent(grantorAgencyId: string, id: string, m?: EntityManager): Promise<SharingPolicyEntity | null> {
    return this.repo(m).findOneBy({ grantorAgencyId, id, supersededAt: IsNull() });
  }

  /** The current version locked until the transaction ends, so versions of one policy are made one at a time. */
  lockCurrent(m: EntityManager, grantorAgencyId: string, id: string): Promise<SharingPolicyEntity | null> {
    return this.repo(m)
      .createQueryBuilder('p')
      .setLock('pessimistic_write')
      .where('p.grantor_agency_id = :grantorAgencyId AND p.id = :id AND p.superseded_at IS NULL', { grantorAgencyId, id })
      .getOne();
  }

  async supersede(m: EntityManager, id: string, version: number): Promise<void> {
    await this.repo(m).update({ id, version }, { supersededAt: () => 'now()' });
  }

  async revoke(m: EntityManager, id: string, version: number): Promise<void> {
    await this.repo(m).update({ id, version, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
  }

  /** Keyset page of the grantor's current versions ordered by id; revoked ones only when asked. */
  listCurrent(grantorAgencyId: string, limit: number, options: { afterId?: string; includeRevoked?: boolean } = {}) {
    const qb = this.repo()
      .createQueryBuilder('p')
      .where('p.grantor_agency_id = :grantorAgencyId AND p.superseded_at IS NULL', { grantorAgencyId })
      .orderBy('p.id', 'ASC')
      .limit(limit);
    if (options.afterId !== undefined) qb.andWhere('p.id > :afterId', { afterId: options.afterId });
    if (options.includeRevoked !== true) qb.andWhere('p.revoked_at IS NULL');
    return qb.getMany();
  }

  /** Every version of one policy, oldest first. */
  versions(grantorAgencyId: string, id: string): Promise<SharingPolicyEntity[]> {
    return this.repo().find({ where: { grantorAgencyId, id }, order: { version: 'ASC' } });
  }

  /** Current, unrevoked versions that grant the whole of the grantor's events to one agency up to AMBER: what an agreement was. */
  activeAgreementLike(grantorAgencyId: string, granteeAgencyId?: string): Promise<SharingPolicyEntity[]> {
    const qb = this.repo()
      .createQueryBuilder('p')
      .where('p.grantor_agency_id = :grantorAgencyId AND p.superseded_at IS NULL AND p.revoked_at IS NULL', { grantorAgencyId })
      .andWhere('p.grantee_agency_id IS NOT NULL AND p.feeds IS NULL AND p.event_types IS NULL AND p.geo_scope IS NULL')
      .orderBy('p.created_at', 'ASC');
    if (granteeAgencyId !== undefined) qb.andWhere('p.grantee_agency_id = :granteeAgencyId', { granteeAgencyId });
    return qb.getMany();
  }

  /** Current versions of every policy (revoked included: they stay in the record), for a full snapshot. */
  allCurrent(m?: EntityManager): Promise<SharingPolicyEntity[]> {
    return this.repo(m).find({ where: { supersededAt: IsNull() }, order: { id: 'ASC' } });
  }
}
