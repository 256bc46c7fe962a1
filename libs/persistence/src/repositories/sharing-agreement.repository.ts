import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, type EntityManager } from 'typeorm';
import { SharingAgreementEntity } from '../entities';

export interface NewSharingAgreement {
  grantorAgencyId: string;
  granteeAgencyId: string;
  purpose: string;
}

@Injectable()
export class SharingAgreementRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(SharingAgreementEntity);
  }

  create(agreement: NewSharingAgreement, manager: EntityManager = this.dataSource.manager): Promise<SharingAgreementEntity> {
    const repo = manager.getRepository(SharingAgreementEntity);
    return repo.save(repo.create({ ...agreement, revokedAt: null }));
  }

  /** The grantor's active agreement with this id; null when there is none. */
  findActiveForGrantor(
    grantorAgencyId: string,
    agreementId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<SharingAgreementEntity | null> {
    return manager.getRepository(SharingAgreementEntity).findOneBy({ id: agreementId, grantorAgencyId, revokedAt: IsNull() });
  }

  listForGrantor(grantorAgencyId: string): Promise<SharingAgreementEntity[]> {
    return this.repo.find({ where: { grantorAgencyId, revokedAt: IsNull() }, order: { createdAt: 'ASC' } });
  }

  /** Active agreements of all the given grantors, in one query. */
  listActiveForGrantors(grantorAgencyIds: readonly string[]): Promise<SharingAgreementEntity[]> {
    if (grantorAgencyIds.length === 0) return Promise.resolve([]);
    return this.repo.find({ where: { grantorAgencyId: In([...grantorAgencyIds]), revokedAt: IsNull() } });
  }

  async revoke(grantorAgencyId: string, agreementId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const result = await manager
      .getRepository(SharingAgreementEntity)
      .update({ id: agreementId, grantorAgencyId, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
    return (result.affected ?? 0) > 0;
  }
}
