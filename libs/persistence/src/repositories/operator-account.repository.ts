import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { OperatorAccountEntity, type OperatorRole, type PasswordParams } from '../entities';
import { isUniqueViolation } from './postgres-errors';

export interface NewOperatorAccount {
  email: string;
  displayName: string;
  role: OperatorRole;
  agencyId: string | null;
  passwordHash: Buffer;
  passwordSalt: Buffer;
  passwordParams: PasswordParams;
}

@Injectable()
export class OperatorAccountRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(OperatorAccountEntity);
  }

  /** Inserts an account; undefined when the email (case-insensitively) is taken. */
  async create(account: NewOperatorAccount, manager?: EntityManager): Promise<OperatorAccountEntity | undefined> {
    const repo = this.repo(manager);
    try {
      return await repo.save(repo.create({ ...account, failedAttempts: 0, lockedUntil: null, disabledAt: null }));
    } catch (error: unknown) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  findByEmail(email: string): Promise<OperatorAccountEntity | null> {
    return this.repo().createQueryBuilder('a').where('lower(a.email) = lower(:email)', { email }).getOne();
  }

  findById(id: string, manager?: EntityManager): Promise<OperatorAccountEntity | null> {
    return this.repo(manager).findOneBy({ id });
  }

  /** Accounts, oldest first; only one agency's administrators when `agencyId` is given. */
  list(filter: { agencyId?: string | undefined }, limit: number, afterId?: string): Promise<OperatorAccountEntity[]> {
    const qb = this.repo().createQueryBuilder('a').orderBy('a.id', 'ASC').limit(limit);
    if (filter.agencyId !== undefined) qb.andWhere('a.agency_id = :agencyId', { agencyId: filter.agencyId });
    if (afterId !== undefined) qb.andWhere('a.id > :afterId', { afterId });
    return qb.getMany();
  }

  /** Disables an account (idempotent); returns the row as it now is, or null when there is none. */
  async disable(id: string, manager: EntityManager): Promise<OperatorAccountEntity | null> {
    await this.repo(manager)
      .createQueryBuilder()
      .update()
      .set({ disabledAt: () => 'coalesce(disabled_at, now())' })
      .where('id = :id', { id })
      .execute();
    return this.findById(id, manager);
  }

  /**
   * Counts one failed sign-in atomically. On reaching `threshold` consecutive failures the account
   * is locked for `lockMs` and the count starts again. A failure that lands while the account is
   * locked (a concurrent guess) is not counted, so it cannot extend the lock. Returns the lock end if
   * this failure locked it.
   */
  async recordFailure(id: string, threshold: number, lockMs: number, manager?: EntityManager): Promise<Date | null> {
    const rows: unknown = await this.repo(manager).query(
      `UPDATE operator_account
          SET failed_attempts = CASE WHEN failed_attempts + 1 >= $2 THEN 0 ELSE failed_attempts + 1 END,
              locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN now() + ($3 * interval '1 millisecond') ELSE locked_until END
        WHERE id = $1 AND (locked_until IS NULL OR locked_until <= now())
        RETURNING (failed_attempts = 0) AS locked_now, locked_until`,
      [id, threshold, lockMs],
    );
    const [updated] = rows as [{ locked_now: boolean; locked_until: Date | null }[], number];
    const row = updated[0];
    return row?.locked_now === true ? row.locked_until : null;
  }

  /** A successful sign-in clears the failure count and any expired lock. */
  async recordSuccess(id: string, manager?: EntityManager): Promise<void> {
    await this.repo(manager).update({ id }, { failedAttempts: 0, lockedUntil: null });
  }
}
