import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { SharingGroupEntity, SharingGroupMemberEntity } from '../entities';
import { isForeignKeyViolation, isUniqueViolation } from './postgres-errors';

export type NewSharingGroup = Pick<SharingGroupEntity, 'name' | 'description'>;

/** A group with its members' agency ids. */
export interface SharingGroupWithMembers {
  group: SharingGroupEntity;
  memberAgencyIds: string[];
}

@Injectable()
export class SharingGroupRepository {
  constructor(private readonly dataSource: DataSource) {}

  private groups(m: EntityManager = this.dataSource.manager) {
    return m.getRepository(SharingGroupEntity);
  }

  private members(m: EntityManager = this.dataSource.manager) {
    return m.getRepository(SharingGroupMemberEntity);
  }

  /** Inserts a group; undefined when the name is taken. */
  async create(m: EntityManager, group: NewSharingGroup): Promise<SharingGroupEntity | undefined> {
    try {
      return await this.groups(m).save(this.groups(m).create(group));
    } catch (error: unknown) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  findById(id: string, m?: EntityManager): Promise<SharingGroupEntity | null> {
    return this.groups(m).findOneBy({ id });
  }

  /** The group row locked until the transaction ends: membership changes of one group are serialised. */
  lock(m: EntityManager, id: string): Promise<SharingGroupEntity | null> {
    return this.groups(m).createQueryBuilder('g').setLock('pessimistic_write').where('g.id = :id', { id }).getOne();
  }

  /** Applies changes; false when the new name is taken. */
  async update(m: EntityManager, id: string, changes: Partial<NewSharingGroup>): Promise<boolean> {
    try {
      await this.groups(m).update({ id }, { ...changes, updatedAt: () => 'now()' });
      return true;
    } catch (error: unknown) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** Deletes a group and its memberships; 'referenced' when a policy (current or past) names it. */
  async delete(m: EntityManager, id: string): Promise<'deleted' | 'not-found' | 'referenced'> {
    try {
      const result = await this.groups(m).delete({ id });
      return (result.affected ?? 0) > 0 ? 'deleted' : 'not-found';
    } catch (error: unknown) {
      if (isForeignKeyViolation(error)) return 'referenced';
      throw error;
    }
  }

  /** Keyset page ordered by id; with `memberAgencyId`, only the groups that agency belongs to. */
  list(limit: number, afterId?: string, memberAgencyId?: string): Promise<SharingGroupEntity[]> {
    const qb = this.groups().createQueryBuilder('g').orderBy('g.id', 'ASC').limit(limit);
    if (afterId !== undefined) qb.andWhere('g.id > :afterId', { afterId });
    if (memberAgencyId !== undefined) {
      qb.andWhere('EXISTS (SELECT 1 FROM sharing_group_member m WHERE m.group_id = g.id AND m.agency_id = :memberAgencyId)', {
        memberAgencyId,
      });
    }
    return qb.getMany();
  }

  /** Member agency ids of each group, in one query. */
  async memberIds(groupIds: readonly string[], m?: EntityManager): Promise<Map<string, string[]>> {
    const byGroup = new Map<string, string[]>(groupIds.map((id) => [id, []]));
    if (groupIds.length === 0) return byGroup;
    const rows = await this.members(m).find({ where: { groupId: In([...groupIds]) }, order: { agencyId: 'ASC' } });
    for (const r of rows) byGroup.get(r.groupId)?.push(r.agencyId);
    return byGroup;
  }

  /** Adds a member (idempotent); false when the agency does not exist. */
  async addMember(m: EntityManager, groupId: string, agencyId: string): Promise<boolean> {
    try {
      await this.members(m).createQueryBuilder().insert().values({ groupId, agencyId }).orIgnore().updateEntity(false).execute();
      return true;
    } catch (error: unknown) {
      if (isForeignKeyViolation(error)) return false;
      throw error;
    }
  }

  async removeMember(m: EntityManager, groupId: string, agencyId: string): Promise<boolean> {
    const result = await this.members(m).delete({ groupId, agencyId });
    return (result.affected ?? 0) > 0;
  }

  /** Every group with its members, for a full configuration snapshot. */
  async all(m?: EntityManager): Promise<SharingGroupWithMembers[]> {
    const groups = await this.groups(m).find({ order: { id: 'ASC' } });
    const members = await this.memberIds(
      groups.map((g) => g.id),
      m,
    );
    return groups.map((group) => ({ group, memberAgencyIds: members.get(group.id) ?? [] }));
  }
}
