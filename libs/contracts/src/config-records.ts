/**
 * The records of the compacted configuration topic (`topicNames().config`): key `<kind>:<id>`,
 * value the object's whole current state as JSON, or no value (a tombstone) once it is deleted.
 * The admin API writes them through its outbox; routers fold them into their view of the federation.
 * Additive changes only; anything else is a new topic version.
 */

export const CONFIG_KINDS = ['agency', 'group', 'policy', 'feed'] as const;
export type ConfigKind = (typeof CONFIG_KINDS)[number];

/** Header naming the outbox row a record came from (a re-published row repeats it). */
export const CONFIG_OUTBOX_ID_HEADER = 'liaison-outbox-id';

export interface AgencyConfigV1 {
  id: string;
  ori: string;
  name: string;
  kind: 'local' | 'county' | 'state' | 'federal' | 'tribal' | 'rtcc';
  status: 'active' | 'suspended';
  jurisdiction: string | null;
  lawEnforcement: boolean;
  acceptsStatuses: ('Exercise' | 'Test')[];
  suspendedAt: string | null;
  updatedAt: string;
}

export interface SharingGroupConfigV1 {
  id: string;
  name: string;
  memberAgencyIds: string[];
  updatedAt: string;
}

export type GeoScopeV1 =
  | { kind: 'bbox'; west: number; south: number; east: number; north: number }
  | { kind: 'polygon'; ring: [number, number][] }
  | { kind: 'jurisdiction'; codes: string[] };

export interface FieldRulesV1 {
  redact: string[];
  coarsenLocationDegrees: number | null;
  dropNarrative: boolean;
}

export interface SharingPolicyConfigV1 {
  id: string;
  version: number;
  grantorAgencyId: string;
  grantee: { kind: 'agency'; agencyId: string } | { kind: 'group'; groupId: string };
  feeds: string[] | null;
  eventTypes: string[] | null;
  maxTlp: 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';
  geoScope: GeoScopeV1 | null;
  purpose: string;
  validFrom: string | null;
  validUntil: string | null;
  fieldRules: FieldRulesV1;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface FeedConfigV1 {
  id: string;
  agencyId: string;
  name: string;
  eventTypes: string[];
  defaultTlp: 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';
  retentionDays: number;
}

export interface ConfigStateByKind {
  agency: AgencyConfigV1;
  group: SharingGroupConfigV1;
  policy: SharingPolicyConfigV1;
  feed: FeedConfigV1;
}

/** One decoded record: the object's state, or null when it was deleted. */
export type ConfigRecord = { [K in ConfigKind]: { kind: K; id: string; state: ConfigStateByKind[K] | null } }[ConfigKind];

export function configKey(kind: ConfigKind, id: string): string {
  return `${kind}:${id}`;
}

export type ConfigDecodeResult = { ok: true; record: ConfigRecord } | { ok: false; kind?: ConfigKind; id?: string; reason: string };

/**
 * Decodes and checks one record of the configuration topic. A record that fails still names its
 * key when the key is readable, so a reader can fail closed (forget that object) rather than keep
 * an outdated grant.
 */
export function decodeConfigRecord(key: string | null, value: Buffer | null): ConfigDecodeResult {
  const match = key === null ? null : /^([a-z]+):([0-9a-f-]{36})$/.exec(key);
  const kind = match?.[1];
  const id = match?.[2];
  if (kind === undefined || id === undefined || !(CONFIG_KINDS as readonly string[]).includes(kind)) {
    return { ok: false, reason: `unreadable key ${JSON.stringify(key)}` };
  }
  const k = kind as ConfigKind;
  if (value === null || value.length === 0) return { ok: true, record: { kind: k, id, state: null } as ConfigRecord };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    return { ok: false, kind: k, id, reason: 'value is not JSON' };
  }
  const problem = CHECKS[k](parsed);
  if (problem !== undefined) return { ok: false, kind: k, id, reason: problem };
  if ((parsed as { id: string }).id !== id) return { ok: false, kind: k, id, reason: 'value id differs from key id' };
  return { ok: true, record: { kind: k, id, state: parsed } as ConfigRecord };
}

type Check = (value: unknown) => string | undefined;

const isString = (v: unknown): v is string => typeof v === 'string';
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isNullable =
  (check: (v: unknown) => boolean) =>
  (v: unknown): boolean =>
    v === null || check(v);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function shape(fields: Record<string, (v: unknown) => boolean>): Check {
  return (value) => {
    if (!isRecord(value)) return 'value is not an object';
    for (const [name, check] of Object.entries(fields)) if (!check(value[name])) return `field ${name} is missing or malformed`;
    return undefined;
  };
}

const TLP = (v: unknown): boolean => isString(v) && ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'].includes(v);
const isNumber = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);

const GEO = (v: unknown): boolean => {
  if (!isRecord(v)) return false;
  switch (v['kind']) {
    case 'bbox':
      return ['west', 'south', 'east', 'north'].every((f) => isNumber(v[f]));
    case 'polygon':
      return Array.isArray(v['ring']) && v['ring'].every((p) => Array.isArray(p) && p.length === 2 && p.every(isNumber));
    case 'jurisdiction':
      return isStringArray(v['codes']);
    default:
      return false;
  }
};

const CHECKS: Record<ConfigKind, Check> = {
  agency: shape({
    id: isString,
    ori: isString,
    name: isString,
    kind: isString,
    status: (v) => v === 'active' || v === 'suspended',
    jurisdiction: isNullable(isString),
    lawEnforcement: (v) => typeof v === 'boolean',
    acceptsStatuses: (v) => isStringArray(v) && v.every((s) => s === 'Exercise' || s === 'Test'),
  }),
  group: shape({ id: isString, name: isString, memberAgencyIds: isStringArray }),
  policy: shape({
    id: isString,
    version: (v) => Number.isInteger(v),
    grantorAgencyId: isString,
    grantee: (v) =>
      isRecord(v) && ((v['kind'] === 'agency' && isString(v['agencyId'])) || (v['kind'] === 'group' && isString(v['groupId']))),
    feeds: isNullable(isStringArray),
    eventTypes: isNullable(isStringArray),
    maxTlp: TLP,
    geoScope: isNullable(GEO),
    purpose: isString,
    validFrom: isNullable(isString),
    validUntil: isNullable(isString),
    fieldRules: (v) =>
      isRecord(v) &&
      isStringArray(v['redact']) &&
      isNullable(isNumber)(v['coarsenLocationDegrees']) &&
      typeof v['dropNarrative'] === 'boolean',
    revokedAt: isNullable(isString),
  }),
  feed: shape({ id: isString, agencyId: isString, name: isString, eventTypes: isStringArray, defaultTlp: TLP, retentionDays: isNumber }),
};
