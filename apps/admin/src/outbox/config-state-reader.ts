import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  configKey,
  topicNames,
  type AgencyConfigV1,
  type ConfigKind,
  type ConfigStateByKind,
  type FeedConfigV1,
  type SharingGroupConfigV1,
  type SharingPolicyConfigV1,
} from '@liaison/contracts';
import { policyModel, type PolicyModel } from '@liaison/policy';
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

  /** Every object's current state, in the topic's shape: the one read of the whole federation. */
  async current(m: EntityManager): Promise<FederationRecords> {
    return {
      agencies: (await this.agencies.all(m)).map(agencyState),
      groups: (await this.groups.all(m)).map((g) => groupState(g.group, g.memberAgencyIds)),
      feeds: (await this.feeds.all(m)).map(feedState),
      policies: (await this.policies.allCurrent(m)).map(policyState),
    };
  }

  /** The current agencies, groups and policies as the policy engine takes them (explain, simulate). */
  async policyModel(m: EntityManager): Promise<PolicyModel> {
    return policyModel(await this.current(m));
  }

  /** Every object's current state: what a reader starting from an empty topic needs. Groups before the policies naming them. */
  async everything(m: EntityManager): Promise<OutboxRecord[]> {
    const record = (kind: ConfigKind, id: string, value: unknown): OutboxRecord => ({ topic: this.topic, key: configKey(kind, id), value });
    const state = await this.current(m);
    return [
      ...state.agencies.map((a) => record('agency', a.id, a)),
      ...state.groups.map((g) => record('group', g.id, g)),
      ...state.feeds.map((f) => record('feed', f.id, f)),
      ...state.policies.map((p) => record('policy', p.id, p)),
    ];
  }
}

export interface FederationRecords {
  agencies: AgencyConfigV1[];
  groups: SharingGroupConfigV1[];
  feeds: FeedConfigV1[];
  policies: SharingPolicyConfigV1[];
}
