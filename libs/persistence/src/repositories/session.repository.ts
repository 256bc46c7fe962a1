import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { OperatorAccountEntity, SessionEntity } from '../entities';

export interface ActiveSession {
  session: SessionEntity;
  account: OperatorAccountEntity;
}

@Injectable()
export class SessionRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(SessionEntity);
  }

  create(session: { tokenSha256: Buffer; accountId: string; expiresAt: Date }, manager?: EntityManager): Promise<SessionEntity> {
    const repo = this.repo(manager);
    return repo.save(repo.create({ ...session, revokedAt: null }));
  }

  /** The unexpired, unrevoked session with this token digest, and its enabled account; else null. */
  async findActive(tokenSha256: Buffer): Promise<ActiveSession | null> {
    const session = await this.repo()
      .createQueryBuilder('s')
      .where('s.token_sha256 = :digest AND s.revoked_at IS NULL AND s.expires_at > now()', { digest: tokenSha256 })
      .getOne();
    if (session === null) return null;
    const account = await this.dataSource.getRepository(OperatorAccountEntity).findOneBy({ id: session.accountId, disabledAt: IsNull() });
    return account === null ? null : { session, account };
  }

  /** Revokes one session; false when it was already revoked. */
  async revoke(id: string, manager?: EntityManager): Promise<boolean> {
    const result = await this.repo(manager).update({ id, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
    return (result.affected ?? 0) > 0;
  }

  /** Revokes every open session of an account (on disable); returns how many. */
  async revokeAllForAccount(accountId: string, manager?: EntityManager): Promise<number> {
    const result = await this.repo(manager).update({ accountId, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
    return result.affected ?? 0;
  }
}
