import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull } from 'typeorm';
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

  create(agreement: NewSharingAgreement): Promise<SharingAgreementEntity> {
    return this.repo.save(this.repo.create({ ...agreement, revokedAt: null }));
  }

  listForGrantor(grantorAgencyId: string): Promise<SharingAgreementEntity[]> {
    return this.repo.find({ where: { grantorAgencyId, revokedAt: IsNull() }, order: { createdAt: 'ASC' } });
  }

  /** Active agreements of all the given grantors, in one query. */
  listActiveForGrantors(grantorAgencyIds: readonly string[]): Promise<SharingAgreementEntity[]> {
    if (grantorAgencyIds.length === 0) return Promise.resolve([]);
    return this.repo.find({ where: { grantorAgencyId: In([...grantorAgencyIds]), revokedAt: IsNull() } });
  }

  async revoke(grantorAgencyId: string, agreementId: string): Promise<boolean> {
    const result = await this.repo.update({ id: agreementId, grantorAgencyId, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
    return (result.affected ?? 0) > 0;
  }
}
