import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
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

  create(key: NewApiKey, manager: EntityManager = this.dataSource.manager): Promise<ApiKeyEntity> {
    const repo = manager.getRepository(ApiKeyEntity);
    return repo.save(repo.create({ ...key, revokedAt: null }));
  }

  /** This agency's key with this id, revoked or not; null when the agency has no such key. */
  findForAgency(agencyId: string, keyId: string, manager: EntityManager = this.dataSource.manager): Promise<ApiKeyEntity | null> {
    return manager.getRepository(ApiKeyEntity).findOneBy({ id: keyId, agencyId });
  }

  /** The unrevoked key with this prefix, if any. */
  findActiveByPrefix(prefix: string): Promise<ApiKeyEntity | null> {
    return this.repo.findOneBy({ prefix, revokedAt: IsNull() });
  }

  listForAgency(agencyId: string): Promise<ApiKeyEntity[]> {
    return this.repo.find({ where: { agencyId }, order: { createdAt: 'ASC' } });
  }

  /** Revokes a key of this agency; false when there is no such unrevoked key. */
  async revoke(agencyId: string, keyId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const result = await manager
      .getRepository(ApiKeyEntity)
      .update({ id: keyId, agencyId, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
    return (result.affected ?? 0) > 0;
  }
}
