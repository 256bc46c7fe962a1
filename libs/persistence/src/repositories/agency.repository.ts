import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { AgencyEntity, type AgencyKind } from '../entities';
import { isUniqueViolation } from './postgres-errors';

export interface NewAgency {
  ori: string;
  name: string;
  kind: AgencyKind;
}

@Injectable()
export class AgencyRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(AgencyEntity);
  }

  /** Inserts an agency; undefined when the ORI is already taken. */
  async create(agency: NewAgency, manager: EntityManager = this.dataSource.manager): Promise<AgencyEntity | undefined> {
    const repo = manager.getRepository(AgencyEntity);
    try {
      return await repo.save(repo.create({ ...agency, status: 'active' }));
    } catch (error: unknown) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  findById(id: string): Promise<AgencyEntity | null> {
    return this.repo.findOneBy({ id });
  }

  list(limit: number, afterOri?: string): Promise<AgencyEntity[]> {
    const qb = this.repo.createQueryBuilder('a').orderBy('a.ori', 'ASC').limit(limit);
    if (afterOri !== undefined) qb.where('a.ori > :afterOri', { afterOri });
    return qb.getMany();
  }

  /** Ids of every active agency: the candidate recipients of any event. */
  async activeIds(): Promise<string[]> {
    const rows = await this.repo.find({ select: { id: true }, where: { status: 'active' } });
    return rows.map((r) => r.id);
  }

  findByIds(ids: readonly string[]): Promise<AgencyEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.repo.findBy({ id: In([...ids]) });
  }
}
