import type { AgencyConfigV1, ConfigRecord, FeedConfigV1, SharingGroupConfigV1, SharingPolicyConfigV1 } from '@liaison/contracts';
import { policyModel, type PolicyModel } from '@liaison/policy';

export type { PolicyModel };

/**
 * The federation as the configuration topic describes it: the latest state of every agency,
 * group, policy and feed, folded record by record. Pure data, no I/O; the topic reader feeds it.
 */
export class FederationState {
  readonly agencies = new Map<string, AgencyConfigV1>();
  readonly groups = new Map<string, SharingGroupConfigV1>();
  readonly policies = new Map<string, SharingPolicyConfigV1>();
  readonly feeds = new Map<string, FeedConfigV1>();

  /** Applies one record; a policy version older than the one held is a stale repeat and is ignored. Returns false then. */
  apply(record: ConfigRecord): boolean {
    switch (record.kind) {
      case 'agency':
        return set(this.agencies, record.id, record.state);
      case 'group':
        return set(this.groups, record.id, record.state);
      case 'feed':
        return set(this.feeds, record.id, record.state);
      case 'policy': {
        const held = this.policies.get(record.id);
        if (record.state !== null && held !== undefined && record.state.version < held.version) return false;
        return set(this.policies, record.id, record.state);
      }
    }
  }

  /** Forgets an object whose record could not be read: an unknown policy grants nothing (fail closed). */
  forget(kind: ConfigRecord['kind'], id: string): void {
    const maps = { agency: this.agencies, group: this.groups, policy: this.policies, feed: this.feeds } as const;
    maps[kind].delete(id);
  }

  get size(): number {
    return this.agencies.size + this.groups.size + this.policies.size + this.feeds.size;
  }
}

function set<T>(map: Map<string, T>, id: string, state: T | null): boolean {
  if (state === null) map.delete(id);
  else map.set(id, state);
  return true;
}

/** The state → model mapping: what `PolicyIndex` is built from (shared with the admin API's explain and simulate). */
export function toPolicyModel(state: FederationState): PolicyModel {
  return policyModel({ agencies: state.agencies.values(), groups: state.groups.values(), policies: state.policies.values() });
}
