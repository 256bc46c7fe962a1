import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { FeedEntity } from '../entities';
import { isUniqueViolation } from './postgres-errors';

export type NewFeed = Pick<FeedEntity, 'agencyId' | 'name' | 'description' | 'eventTypes' | 'defaultTlp' | 'retentionDays'>;
export type FeedChanges = Partial<Pick<FeedEntity, 'name' | 'description' | 'eventTypes' | 'defaultTlp' | 'retentionDays'>>;

/** An agency's feeds. Every method is scoped by the owning agency, so one tenant never reaches another's. */
@Injectable()
export class FeedRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(m: EntityManager = this.dataSource.manager) {
    return m.getRepository(FeedEntity);
  }

  /** Inserts a feed; undefined when the agency already has a feed of that name. */
  async create(m: EntityManager, feed: NewFeed): Promise<FeedEntity | undefined> {
    try {
      return await this.repo(m).save(this.repo(m).create(feed));
    } catch (error: unknown) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  find(agencyId: string, id: string, m?: EntityManager): Promise<FeedEntity | null> {
    return this.repo(m).findOneBy({ agencyId, id });
  }

  lock(m: EntityManager, agencyId: string, id: string): Promise<FeedEntity | null> {
    return this.repo(m)
      .createQueryBuilder('f')
      .setLock('pessimistic_write')
      .where('f.agency_id = :agencyId AND f.id = :id', { agencyId, id })
      .getOne();
  }

  /** Applies changes; false when the new name is taken by another feed of the agency. */
  async update(m: EntityManager, agencyId: string, id: string, changes: FeedChanges): Promise<boolean> {
    try {
      await this.repo(m).update({ agencyId, id }, { ...changes, updatedAt: () => 'now()' });
      return true;
    } catch (error: unknown) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async delete(m: EntityManager, agencyId: string, id: string): Promise<boolean> {
    const result = await this.repo(m).delete({ agencyId, id });
    return (result.affected ?? 0) > 0;
  }

  /** Keyset page ordered by name. */
  list(agencyId: string, limit: number, afterName?: string): Promise<FeedEntity[]> {
    const qb = this.repo().createQueryBuilder('f').where('f.agency_id = :agencyId', { agencyId }).orderBy('f.name', 'ASC').limit(limit);
    if (afterName !== undefined) qb.andWhere('f.name > :afterName', { afterName });
    return qb.getMany();
  }

  /** Which of `names` are feeds of the agency. */
  async existingNames(agencyId: string, names: readonly string[]): Promise<Set<string>> {
    if (names.length === 0) return new Set();
    const rows = await this.repo().find({ select: { name: true }, where: { agencyId, name: In([...names]) } });
    return new Set(rows.map((r) => r.name));
  }

  all(m?: EntityManager): Promise<FeedEntity[]> {
    return this.repo(m).find({ order: { agencyId: 'ASC', name: 'ASC' } });
  }
}
