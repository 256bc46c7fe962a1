import type { FieldRules } from './model';
import { anyPointerCovers, isRecord, pointerCovers, removeAtPointer } from './pointer';

/** Field rules that change nothing. */
export const NO_FIELD_RULES: FieldRules = Object.freeze({ redact: Object.freeze([]), coarsenLocationDegrees: null, dropNarrative: false });

/** True when the rules leave a copy exactly as published. */
export function isNoOp(rules: FieldRules): boolean {
  return rules.redact.length === 0 && rules.coarsenLocationDegrees === null && !rules.dropNarrative;
}

/**
 * The least restrictive combination of several granting policies' rules, so a narrower policy
 * never yields a wider copy: a member is removed only if every policy removes it (a pointer is kept
 * when each policy's list covers it, which also catches `/a` in one list and `/a/b` in another);
 * points stay exact if any policy keeps them exact, else the finest grid wins; the narrative is
 * dropped only if every policy drops it.
 */
export function combineFieldRules(all: readonly FieldRules[]): FieldRules {
  const [first, ...others] = all;
  if (first === undefined) return NO_FIELD_RULES;
  if (others.length === 0) return first;
  const candidates = [...new Set(all.flatMap((r) => r.redact))];
  const redact = candidates.filter((p) => all.every((r) => anyPointerCovers(r.redact, p)));
  // Keep only the most general of the surviving pointers: removing /a already removes /a/b.
  const minimal = redact.filter((p) => !redact.some((q) => q !== p && pointerCovers(q, p)));
  let coarsen: number | null = first.coarsenLocationDegrees;
  for (const r of others) {
    coarsen = coarsen === null || r.coarsenLocationDegrees === null ? null : Math.min(coarsen, r.coarsenLocationDegrees);
  }
  return { redact: minimal, coarsenLocationDegrees: coarsen, dropNarrative: all.every((r) => r.dropNarrative) };
}

/**
 * A recipient's copy of `data` under `rules`, as a new object (the input is never changed):
 * redacted members removed, every `{lat, lon}` point and every GeoJSON Polygon position snapped to
 * the south-west corner of its grid cell, and every `narrative` member removed when asked.
 */
export function applyFieldRules(data: Readonly<Record<string, unknown>>, rules: FieldRules): Record<string, unknown> {
  const copy = structuredClone(data) as Record<string, unknown>;
  for (const pointer of rules.redact) removeAtPointer(copy, pointer);
  if (rules.coarsenLocationDegrees !== null) coarsen(copy, rules.coarsenLocationDegrees);
  if (rules.dropNarrative) dropNarratives(copy);
  return copy;
}

/**
 * The `personaldata` pointers still true of a copy made under `rules`: pointers to removed members
 * are dropped. Undefined when none remain (the attribute is then left out).
 */
export function remainingPersonalData(personaldata: string | undefined, rules: FieldRules): string | undefined {
  if (personaldata === undefined) return undefined;
  const kept = personaldata
    .split(' ')
    .filter((p) => p !== '')
    .filter((p) => !anyPointerCovers(rules.redact, p))
    .filter((p) => !(rules.dropNarrative && p.split('/').includes('narrative')));
  return kept.length === 0 ? undefined : kept.join(' ');
}

/** South-west corner of the cell containing `value`, rounded so 0.1-degree cells print as 32.7, not 32.699999. */
export function snapToGrid(value: number, degrees: number): number {
  const snapped = Math.floor(value / degrees + 1e-9) * degrees;
  return Math.round(snapped * 1e9) / 1e9;
}

function coarsen(node: unknown, degrees: number): void {
  if (Array.isArray(node)) {
    for (const item of node) coarsen(item, degrees);
    return;
  }
  if (!isRecord(node)) return;
  if (typeof node['lat'] === 'number' && typeof node['lon'] === 'number') {
    node['lat'] = snapToGrid(node['lat'], degrees);
    node['lon'] = snapToGrid(node['lon'], degrees);
  }
  if (node['type'] === 'Polygon' && Array.isArray(node['coordinates'])) {
    for (const ring of node['coordinates'] as unknown[]) {
      if (!Array.isArray(ring)) continue;
      for (const position of ring as unknown[]) {
        if (Array.isArray(position) && typeof position[0] === 'number' && typeof position[1] === 'number') {
          position[0] = snapToGrid(position[0], degrees);
          position[1] = snapToGrid(position[1], degrees);
        }
      }
    }
  }
  for (const value of Object.values(node)) coarsen(value, degrees);
}

function dropNarratives(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) dropNarratives(item);
    return;
  }
  if (!isRecord(node)) return;
  delete node['narrative'];
  for (const value of Object.values(node)) dropNarratives(value);
}
