import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { configKey, topicNames, type ConfigKind, type ConfigStateByKind } from '@liaison/contracts';
import { AgencyRepository, FeedRepository, SharingGroupRepository, SharingPolicyRepository, type OutboxRecord } from '@liaison/persistence';
import { AdminConfig } from '../admin.config';
import { agencyState, feedState, groupState, policyState } from './config-state';

/** Reads objects' current state, as the given transaction sees it, in the configuration topic's shape. */
@Injectable()
export class ConfigStateReader {
  private readonly topic: string;

  constructor(
    private readonly agencies: AgencyRepository,
    private readonly groups: SharingGroupRepository,
    private readonly policies: SharingPolicyRepository,
    private readonly feeds: FeedRepository,
    @Inject(AdminConfig) config: AdminConfig,
  ) {
    this.topic = topicNames(config.LIAISON_TOPIC_NAMESPACE).config;
  }

  async agency(m: EntityManager, id: string): Promise<ConfigStateByKind['agency'] | null> {
    const row = await this.agencies.findById(id, m);
    return row === null ? null : agencyState(row);
  }

  async group(m: EntityManager, id: string): Promise<ConfigStateByKind['group'] | null> {
    const row = await this.groups.findById(id, m);
    if (row === null) return null;
    return groupState(row, (await this.groups.memberIds([id], m)).get(id) ?? []);
  }

  /** Every object's current state: what a reader starting from an empty topic needs. Groups before the policies naming them. */
  async everything(m: EntityManager): Promise<OutboxRecord[]> {
    const record = (kind: ConfigKind, id: string, value: unknown): OutboxRecord => ({ topic: this.topic, key: configKey(kind, id), value });
    return [
      ...(await this.agencies.all(m)).map((a) => record('agency', a.id, agencyState(a))),
      ...(await this.groups.all(m)).map((g) => record('group', g.group.id, groupState(g.group, g.memberAgencyIds))),
      ...(await this.feeds.all(m)).map((f) => record('feed', f.id, feedState(f))),
      ...(await this.policies.allCurrent(m)).map((p) => record('policy', p.id, policyState(p))),
    ];
  }
}
