import { compileScope, type CompiledScope } from './geo';
import { TLP_ORDER, type AgencyFacts, type SharingGroupFacts, type SharingPolicy, type TlpLabel } from './model';

/** A policy with what the rules compare pre-computed once, when the index is built. */
export interface IndexedPolicy {
  policy: SharingPolicy;
  feeds: ReadonlySet<string> | null;
  eventTypes: ReadonlySet<string> | null;
  maxTlpRank: number;
  /** Epoch milliseconds; -Infinity / +Infinity when open-ended, NaN never (unparsable bounds close the window). */
  validFromMs: number;
  validUntilMs: number;
  scope: CompiledScope | null;
  hasPurpose: boolean;
}

export interface PolicyIndexInput {
  agencies: readonly AgencyFacts[];
  groups: readonly SharingGroupFacts[];
  policies: readonly SharingPolicy[];
}

const NONE: readonly IndexedPolicy[] = Object.freeze([]);

/** Rank of a TLP label: 0 for CLEAR up to 4 for RED. */
export function tlpRank(label: TlpLabel): number {
  return TLP_ORDER.indexOf(label);
}

/**
 * Agencies, groups and policies indexed for evaluation: policies by grantor, then by grantee agency
 * or grantee group, and each agency's groups. Evaluating an event for one candidate reads only the
 * owner's policies to that candidate and to the candidate's groups, never the whole set.
 */
export class PolicyIndex {
  private readonly agencies = new Map<string, AgencyFacts>();
  private readonly agenciesByOri = new Map<string, AgencyFacts>();
  private readonly groupsOfAgency = new Map<string, string[]>();
  private readonly toAgency = new Map<string, Map<string, IndexedPolicy[]>>();
  private readonly toGroup = new Map<string, Map<string, IndexedPolicy[]>>();
  readonly policyCount: number;

  constructor(input: PolicyIndexInput) {
    for (const agency of input.agencies) {
      this.agencies.set(agency.id, agency);
      this.agenciesByOri.set(agency.ori.toUpperCase(), agency);
    }
    for (const group of input.groups) {
      for (const member of new Set(group.memberAgencyIds)) {
        const groups = this.groupsOfAgency.get(member) ?? [];
        groups.push(group.id);
        this.groupsOfAgency.set(member, groups);
      }
    }
    for (const policy of input.policies) {
      const target = policy.grantee.kind === 'agency' ? this.toAgency : this.toGroup;
      const granteeId = policy.grantee.kind === 'agency' ? policy.grantee.agencyId : policy.grantee.groupId;
      const byGrantee = target.get(policy.grantorAgencyId) ?? new Map<string, IndexedPolicy[]>();
      target.set(policy.grantorAgencyId, byGrantee);
      const list = byGrantee.get(granteeId) ?? [];
      list.push(indexPolicy(policy));
      byGrantee.set(granteeId, list);
    }
    this.policyCount = input.policies.length;
  }

  agency(id: string): AgencyFacts | undefined {
    return this.agencies.get(id);
  }

  /** The agency with this ORI (compared case-insensitively). */
  agencyByOri(ori: string): AgencyFacts | undefined {
    return this.agenciesByOri.get(ori.toUpperCase());
  }

  /** Ids of the groups `agencyId` belongs to. */
  groupsOf(agencyId: string): readonly string[] {
    return this.groupsOfAgency.get(agencyId) ?? [];
  }

  /** The grantor's policies granted to the recipient agency itself. */
  agencyPolicies(grantorAgencyId: string, recipientAgencyId: string): readonly IndexedPolicy[] {
    return this.toAgency.get(grantorAgencyId)?.get(recipientAgencyId) ?? NONE;
  }

  /** The grantor's policies granted to a group the recipient belongs to. */
  groupPolicies(grantorAgencyId: string, recipientAgencyId: string): readonly IndexedPolicy[] {
    const byGroup = this.groupPoliciesOf(grantorAgencyId);
    if (byGroup === undefined) return NONE;
    const found: IndexedPolicy[] = [];
    for (const groupId of this.groupsOf(recipientAgencyId)) {
      const list = byGroup.get(groupId);
      if (list !== undefined) found.push(...list);
    }
    return found;
  }

  /** The grantor's group policies by group id (the hot path walks the recipient's groups against it). */
  groupPoliciesOf(grantorAgencyId: string): ReadonlyMap<string, readonly IndexedPolicy[]> | undefined {
    return this.toGroup.get(grantorAgencyId);
  }
}

function indexPolicy(policy: SharingPolicy): IndexedPolicy {
  return {
    policy,
    feeds: policy.feeds === null ? null : new Set(policy.feeds),
    eventTypes: policy.eventTypes === null ? null : new Set(policy.eventTypes),
    maxTlpRank: tlpRank(policy.maxTlp),
    validFromMs: instant(policy.validFrom, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY),
    validUntilMs: instant(policy.validUntil, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
    scope: policy.geoScope === null ? null : compileScope(policy.geoScope),
    hasPurpose: policy.purpose.trim() !== '',
  };
}

/** An ISO-8601 bound as epoch ms; null is open-ended; an unparsable bound fails closed. */
function instant(value: string | null, open: number, unparsable: number): number {
  if (value === null) return open;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? unparsable : ms;
}
