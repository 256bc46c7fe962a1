import type { AgencyConfigV1, SharingGroupConfigV1, SharingPolicyConfigV1 } from '@liaison/contracts';
import type { AgencyFacts, SharingGroupFacts, SharingPolicy } from './model';

/** The inputs of the policy rules, as ./model.ts shapes them: what `PolicyIndex` is built from. */
export interface PolicyModel {
  agencies: AgencyFacts[];
  groups: SharingGroupFacts[];
  policies: SharingPolicy[];
}

/** Current objects in the configuration topic's shape (the router folds them from the topic, the admin API reads them from Postgres). */
export interface PolicyModelState {
  agencies: Iterable<AgencyConfigV1>;
  groups: Iterable<SharingGroupConfigV1>;
  policies: Iterable<SharingPolicyConfigV1>;
}

/** Configuration state → policy model: one mapping, so the router and explain/simulate decide over the same data. */
export function policyModel(state: PolicyModelState): PolicyModel {
  return {
    agencies: [...state.agencies].map((a) => ({
      id: a.id,
      ori: a.ori,
      kind: a.kind,
      status: a.status,
      lawEnforcement: a.lawEnforcement,
      acceptsStatuses: [...a.acceptsStatuses],
    })),
    groups: [...state.groups].map((g) => ({ id: g.id, name: g.name, memberAgencyIds: [...g.memberAgencyIds] })),
    policies: [...state.policies].map(policyFacts),
  };
}

/** One policy's current version as the rules see it. */
export function policyFacts(p: SharingPolicyConfigV1): SharingPolicy {
  return {
    id: p.id,
    grantorAgencyId: p.grantorAgencyId,
    grantee: p.grantee.kind === 'agency' ? { kind: 'agency', agencyId: p.grantee.agencyId } : { kind: 'group', groupId: p.grantee.groupId },
    feeds: p.feeds,
    eventTypes: p.eventTypes,
    maxTlp: p.maxTlp,
    geoScope: p.geoScope,
    purpose: p.purpose,
    validFrom: p.validFrom,
    validUntil: p.validUntil,
    fieldRules: {
      redact: [...p.fieldRules.redact],
      coarsenLocationDegrees: p.fieldRules.coarsenLocationDegrees,
      dropNarrative: p.fieldRules.dropNarrative,
    },
    revoked: p.revokedAt !== null,
  };
}
