/**
 * The plain data the policy library decides over. Persistence maps its rows to these shapes; the
 * router and the admin API (explain, simulate) hand them to the same pure functions. No framework,
 * no I/O, no clock: the caller passes `now`.
 */

/** TLP 2.0 labels, least to most restrictive (the same list as the contracts'; policy stays free of other libs). */
export const TLP_ORDER = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type TlpLabel = (typeof TLP_ORDER)[number];

export type AgencyKind = 'local' | 'county' | 'state' | 'federal' | 'tribal' | 'rtcc';
export type AgencyStatus = 'active' | 'suspended';
/** CAP 1.2 status values that are not real-world: delivered only to recipients that opted in. */
export type NonActualStatus = 'Exercise' | 'Test';

/** A tenant as the rules see it. */
export interface AgencyFacts {
  id: string;
  ori: string;
  kind: AgencyKind;
  status: AgencyStatus;
  /** 28 CFR 23.20(e): criminal intelligence goes only to law-enforcement recipients. */
  lawEnforcement: boolean;
  /** CAP statuses besides Actual this agency has opted in to receive (exercises, tests). */
  acceptsStatuses: readonly NonActualStatus[];
}

/** A named community of agencies, e.g. a regional gun-violence task force. */
export interface SharingGroupFacts {
  id: string;
  name: string;
  memberAgencyIds: readonly string[];
}

export type GeoScope =
  | { kind: 'bbox'; west: number; south: number; east: number; north: number }
  /** One outer ring of [longitude, latitude] pairs, closed or not. */
  | { kind: 'polygon'; ring: readonly (readonly [number, number])[] }
  /** Matches the event's location address `jurisdiction`/county/state code, compared case-insensitively. */
  | { kind: 'jurisdiction'; codes: readonly string[] };

/** How the grantee's copy is cut down. Rules only ever remove or blur, never add. */
export interface FieldRules {
  /** JSON pointers into `data` whose members are removed (arrays: `/involvedPersons/-/identifiers` applies to every element). */
  redact: readonly string[];
  /** Snap every WGS84 point (`{lat, lon}` objects) in `data` to the south-west corner of a grid cell of this many degrees; null keeps points exact. */
  coarsenLocationDegrees: number | null;
  /** Remove free-text narratives (`/narrative`, `/summary` of intel is kept: it is the report). */
  dropNarrative: boolean;
}

export type PolicyGrantee = { kind: 'agency'; agencyId: string } | { kind: 'group'; groupId: string };

/**
 * A sharing policy, owned by the grantor. It grants the grantee access to some feeds and/or event
 * types, up to a maximum TLP, optionally within a geographic scope, for a stated purpose, in a
 * validity window, with field rules. Absent = deny.
 */
export interface SharingPolicy {
  id: string;
  grantorAgencyId: string;
  grantee: PolicyGrantee;
  /** Feed names covered; null = every feed of the grantor. */
  feeds: readonly string[] | null;
  /** Event types covered; null = every type. */
  eventTypes: readonly string[] | null;
  /** Highest TLP label this policy shares. A policy can never widen what the marking allows. */
  maxTlp: TlpLabel;
  geoScope: GeoScope | null;
  /** Stated purpose (need-to-know / right-to-know), required to disseminate criminal intelligence. */
  purpose: string;
  /** ISO-8601 instants; null = open-ended. */
  validFrom: string | null;
  validUntil: string | null;
  fieldRules: FieldRules;
  /** Revoked policies share nothing but stay in the record. */
  revoked: boolean;
}

/** What the rules need to know about one event, taken from its envelope and payload. */
export interface EventFacts {
  id: string;
  ownerAgencyId: string;
  type: string;
  feed: string | null;
  tlp: TlpLabel;
  /** Agency ids the event names as its recipients (envelope `recipients`): the only ones RED may reach. */
  namedRecipientIds: readonly string[];
  /** ISO-8601; past it the event is shared with no one. */
  expires: string | null;
  /** The payload, for the geographic scope, CAP status, 28 CFR 23 predicate and field rules. */
  data: Readonly<Record<string, unknown>>;
}

/** Rule names that can appear in a decision's reasons, so a person can be shown why. */
export type DecisionReason =
  | 'shared-under-policy'
  | 'no-policy'
  /** The owner or the recipient is not a known agency (e.g. deleted since the event was published). */
  | 'unknown-agency'
  | 'recipient-suspended'
  | 'owner-suspended'
  | 'event-expired'
  | 'tlp-red-not-named'
  | 'tlp-amber-strict'
  | 'tlp-amber-needs-agency-policy'
  /** RED, even to a named recipient, needs a policy granted to that agency itself, as AMBER does. */
  | 'tlp-red-needs-agency-policy'
  | 'tlp-above-policy-max'
  | 'policy-not-yet-valid'
  | 'policy-expired'
  | 'policy-revoked'
  | 'feed-not-covered'
  | 'type-not-covered'
  | 'outside-geo-scope'
  | 'cfr23-no-criminal-predicate'
  | 'cfr23-recipient-not-law-enforcement'
  | 'cfr23-policy-without-purpose'
  | 'cap-status-not-accepted';

export interface Decision {
  recipientAgencyId: string;
  share: boolean;
  /** Every rule that decided, in evaluation order; for a share, the granting policies' reason. */
  reasons: readonly DecisionReason[];
  /** Policies that granted (share) or were considered and refused (deny), for the ledger and explain. */
  policyIds: readonly string[];
  /** The field rules applied to the recipient's copy (combined over the granting policies); null when denied. */
  fieldRules: FieldRules | null;
}
