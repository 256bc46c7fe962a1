import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { AgencyEntity, type AgencyKind, type AgencyStatus, type NonActualStatus } from '../entities';
import { isUniqueViolation } from './postgres-errors';

export interface NewAgency {
  ori: string;
  name: string;
  kind: AgencyKind;
  jurisdiction?: string | null;
  lawEnforcement?: boolean;
  acceptsStatuses?: NonActualStatus[];
}

/** The facts an operator may change after onboarding. */
export type AgencyChanges = Partial<Pick<AgencyEntity, 'name' | 'kind' | 'jurisdiction' | 'lawEnforcement' | 'acceptsStatuses'>>;

@Injectable()
export class AgencyRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(m: EntityManager = this.dataSource.manager) {
    return m.getRepository(AgencyEntity);
  }

  /** Inserts an agency; undefined when the ORI is already taken. Pass `m` to take part in a transaction. */
  async create(agency: NewAgency, m?: EntityManager): Promise<AgencyEntity | undefined> {
    const repo = this.repo(m);
    try {
      return await repo.save(repo.create({ lawEnforcement: true, acceptsStatuses: [], jurisdiction: null, ...agency, status: 'active' }));
    } catch (error: unknown) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  findById(id: string, m?: EntityManager): Promise<AgencyEntity | null> {
    return this.repo(m).findOneBy({ id });
  }

  /** The agency row locked until the transaction ends, so concurrent changes (and their outbox rows) are serialised. */
  lockById(m: EntityManager, id: string): Promise<AgencyEntity | null> {
    return this.repo(m).createQueryBuilder('a').setLock('pessimistic_write').where('a.id = :id', { id }).getOne();
  }

  async update(m: EntityManager, id: string, changes: AgencyChanges): Promise<void> {
    await this.repo(m).update({ id }, { ...changes, updatedAt: () => 'now()' });
  }

  /** Suspends or reinstates; `suspended_at` follows the status (checked by the database). */
  async setStatus(m: EntityManager, id: string, status: AgencyStatus): Promise<void> {
    await this.repo(m).update({ id }, { status, suspendedAt: status === 'suspended' ? () => 'now()' : null, updatedAt: () => 'now()' });
  }

  list(limit: number, afterOri?: string): Promise<AgencyEntity[]> {
    const qb = this.repo().createQueryBuilder('a').orderBy('a.ori', 'ASC').limit(limit);
    if (afterOri !== undefined) qb.where('a.ori > :afterOri', { afterOri });
    return qb.getMany();
  }

  /** Every agency, for a full configuration snapshot. */
  all(m?: EntityManager): Promise<AgencyEntity[]> {
    return this.repo(m).find({ order: { ori: 'ASC' } });
  }

  /** Ids of every active agency: the candidate recipients of any event. */
  async activeIds(): Promise<string[]> {
    const rows = await this.repo().find({ select: { id: true }, where: { status: 'active' } });
    return rows.map((r) => r.id);
  }

  findByIds(ids: readonly string[], m?: EntityManager): Promise<AgencyEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.repo(m).findBy({ id: In([...ids]) });
  }
}
