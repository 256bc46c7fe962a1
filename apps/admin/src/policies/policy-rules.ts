import type { FieldProblem } from '@liaison/contracts';
import type { FieldRules, GeoScope } from '@liaison/policy/model';
import { MAX_GEO_SCOPE_RING, type PolicyDto } from './policy.dto';

/**
 * The checks of a policy a class-validator decorator cannot express: one grantee, a geographic
 * scope that describes a real place, field rules that are JSON pointers, a validity window that
 * ends after it starts. Pure: returns every problem, located by JSON pointer.
 */
export function policyProblems(dto: PolicyDto, grantorAgencyId: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const hasAgency = dto.granteeAgencyId !== undefined;
  const hasGroup = dto.granteeGroupId !== undefined;
  if (hasAgency === hasGroup) {
    problems.push({
      pointer: hasAgency ? '/granteeGroupId' : '/granteeAgencyId',
      detail: 'give exactly one of granteeAgencyId and granteeGroupId',
    });
  } else if (dto.granteeAgencyId?.toLowerCase() === grantorAgencyId) {
    problems.push({ pointer: '/granteeAgencyId', detail: 'must be another agency: an agency does not grant itself' });
  }
  if (dto.geoScope !== undefined && dto.geoScope !== null) problems.push(...geoScopeProblems(dto.geoScope));
  for (const [i, pointer] of (dto.fieldRules?.redact ?? []).entries()) {
    if (!isJsonPointer(pointer)) {
      problems.push({
        pointer: `/fieldRules/redact/${i}`,
        detail: 'must be a JSON pointer into data, such as /involvedPersons/-/identifiers',
      });
    }
  }
  if (typeof dto.validFrom === 'string' && typeof dto.validUntil === 'string' && Date.parse(dto.validFrom) >= Date.parse(dto.validUntil)) {
    problems.push({ pointer: '/validUntil', detail: 'must be later than validFrom' });
  }
  return problems;
}

/** RFC 6901 pointer with at least one reference token (`""`, the whole document, is not a field). */
export function isJsonPointer(value: string): boolean {
  return /^(\/([^~/]|~[01])*)+$/.test(value) && value.length <= 300;
}

const lon = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= -180 && v <= 180;
const lat = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= -90 && v <= 90;

function unexpected(scope: Record<string, unknown>, allowed: readonly string[]): FieldProblem[] {
  return Object.keys(scope)
    .filter((k) => !allowed.includes(k))
    .map((k) => ({ pointer: `/geoScope/${k}`, detail: `property ${k} should not exist` }));
}

export function geoScopeProblems(scope: Record<string, unknown>): FieldProblem[] {
  switch (scope['kind']) {
    case 'bbox': {
      const problems = unexpected(scope, ['kind', 'west', 'south', 'east', 'north']);
      for (const side of ['west', 'east'] as const) {
        if (!lon(scope[side])) problems.push({ pointer: `/geoScope/${side}`, detail: `${side} must be a longitude from -180 to 180` });
      }
      for (const side of ['south', 'north'] as const) {
        if (!lat(scope[side])) problems.push({ pointer: `/geoScope/${side}`, detail: `${side} must be a latitude from -90 to 90` });
      }
      if (problems.length > 0) return problems;
      if ((scope['south'] as number) >= (scope['north'] as number))
        problems.push({ pointer: '/geoScope/north', detail: 'north must be greater than south' });
      if ((scope['west'] as number) >= (scope['east'] as number)) {
        problems.push({
          pointer: '/geoScope/east',
          detail: 'east must be greater than west (a box across the antimeridian is two policies)',
        });
      }
      return problems;
    }
    case 'polygon': {
      const problems = unexpected(scope, ['kind', 'ring']);
      const ring = scope['ring'];
      if (!Array.isArray(ring) || ring.length < 4 || ring.length > MAX_GEO_SCOPE_RING) {
        return [
          ...problems,
          { pointer: '/geoScope/ring', detail: `ring must be an array of 4 to ${MAX_GEO_SCOPE_RING} [longitude, latitude] positions` },
        ];
      }
      ring.forEach((p: unknown, i) => {
        if (!Array.isArray(p) || p.length !== 2 || !lon(p[0]) || !lat(p[1])) {
          problems.push({ pointer: `/geoScope/ring/${i}`, detail: 'must be [longitude from -180 to 180, latitude from -90 to 90]' });
        }
      });
      if (problems.length > 0) return problems;
      const first = ring[0] as [number, number];
      const last = ring[ring.length - 1] as [number, number];
      if (first[0] !== last[0] || first[1] !== last[1]) {
        problems.push({
          pointer: `/geoScope/ring/${ring.length - 1}`,
          detail: 'the ring must be closed: its last position must equal its first',
        });
      }
      return problems;
    }
    case 'jurisdiction': {
      const problems = unexpected(scope, ['kind', 'codes']);
      const codes = scope['codes'];
      if (!Array.isArray(codes) || codes.length === 0 || codes.length > 100) {
        return [...problems, { pointer: '/geoScope/codes', detail: 'codes must be an array of 1 to 100 jurisdiction codes' }];
      }
      codes.forEach((c: unknown, i) => {
        if (typeof c !== 'string' || c.length === 0 || c.length > 64)
          problems.push({ pointer: `/geoScope/codes/${i}`, detail: 'must be a code of 1 to 64 characters' });
      });
      return problems;
    }
    default:
      return [{ pointer: '/geoScope/kind', detail: 'kind must be one of bbox, polygon, jurisdiction' }];
  }
}

/** The checked scope in the model's shape (only call after `geoScopeProblems` found nothing). */
export function toGeoScope(scope: Record<string, unknown>): GeoScope {
  switch (scope['kind']) {
    case 'bbox':
      return {
        kind: 'bbox',
        west: scope['west'] as number,
        south: scope['south'] as number,
        east: scope['east'] as number,
        north: scope['north'] as number,
      };
    case 'polygon':
      return { kind: 'polygon', ring: (scope['ring'] as [number, number][]).map(([x, y]) => [x, y] as const) };
    default:
      return { kind: 'jurisdiction', codes: [...(scope['codes'] as string[])] };
  }
}

export function toFieldRules(dto: PolicyDto['fieldRules']): FieldRules {
  return {
    redact: [...(dto?.redact ?? [])],
    coarsenLocationDegrees: dto?.coarsenLocationDegrees ?? null,
    dropNarrative: dto?.dropNarrative ?? false,
  };
}
