import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { ApiKeyEntity, type ApiKeyScope } from '../entities';

export interface NewApiKey {
  agencyId: string;
  prefix: string;
  secretSha256: Buffer;
  scopes: ApiKeyScope[];
  label: string;
}

@Injectable()
export class ApiKeyRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(ApiKeyEntity);
  }

  create(key: NewApiKey): Promise<ApiKeyEntity> {
    return this.repo.save(this.repo.create({ ...key, revokedAt: null }));
  }

  /** The unrevoked key with this prefix, if any. */
  findActiveByPrefix(prefix: string): Promise<ApiKeyEntity | null> {
    return this.repo.findOneBy({ prefix, revokedAt: IsNull() });
  }

  listForAgency(agencyId: string): Promise<ApiKeyEntity[]> {
    return this.repo.find({ where: { agencyId }, order: { createdAt: 'ASC' } });
  }

  /** Revokes a key of this agency; false when there is no such unrevoked key. */
  async revoke(agencyId: string, keyId: string): Promise<boolean> {
    const result = await this.repo.update({ id: keyId, agencyId, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
    return (result.affected ?? 0) > 0;
  }
}
