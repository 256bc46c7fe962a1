import type { AgencyConfigV1, FeedConfigV1, SharingGroupConfigV1, SharingPolicyConfigV1 } from '@liaison/contracts';
import type { AgencyEntity, FeedEntity, SharingGroupEntity, SharingPolicyEntity } from '@liaison/persistence';

/** Rows → the configuration topic's state records (also the API's views of the same objects). */

export function agencyState(a: AgencyEntity): AgencyConfigV1 {
  return {
    id: a.id,
    ori: a.ori,
    name: a.name,
    kind: a.kind,
    status: a.status,
    jurisdiction: a.jurisdiction,
    lawEnforcement: a.lawEnforcement,
    acceptsStatuses: [...a.acceptsStatuses],
    suspendedAt: a.suspendedAt?.toISOString() ?? null,
    updatedAt: a.updatedAt.toISOString(),
  };
}

export function groupState(g: SharingGroupEntity, memberAgencyIds: readonly string[]): SharingGroupConfigV1 {
  return { id: g.id, name: g.name, memberAgencyIds: [...memberAgencyIds].sort(), updatedAt: g.updatedAt.toISOString() };
}

export function policyState(p: SharingPolicyEntity): SharingPolicyConfigV1 {
  return {
    id: p.id,
    version: p.version,
    grantorAgencyId: p.grantorAgencyId,
    grantee:
      p.granteeGroupId !== null ? { kind: 'group', groupId: p.granteeGroupId } : { kind: 'agency', agencyId: p.granteeAgencyId ?? '' },
    feeds: p.feeds,
    eventTypes: p.eventTypes,
    maxTlp: p.maxTlp,
    geoScope: p.geoScope === null ? null : (JSON.parse(JSON.stringify(p.geoScope)) as SharingPolicyConfigV1['geoScope']),
    purpose: p.purpose,
    validFrom: p.validFrom?.toISOString() ?? null,
    validUntil: p.validUntil?.toISOString() ?? null,
    fieldRules: {
      redact: [...p.fieldRules.redact],
      coarsenLocationDegrees: p.fieldRules.coarsenLocationDegrees,
      dropNarrative: p.fieldRules.dropNarrative,
    },
    createdBy: p.createdBy,
    createdAt: p.createdAt.toISOString(),
    revokedAt: p.revokedAt?.toISOString() ?? null,
  };
}

export function feedState(f: FeedEntity): FeedConfigV1 {
  return {
    id: f.id,
    agencyId: f.agencyId,
    name: f.name,
    eventTypes: [...f.eventTypes],
    defaultTlp: f.defaultTlp,
    retentionDays: f.retentionDays,
  };
}
