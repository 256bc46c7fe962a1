import type { GeoScope } from './model';
import { isRecord } from './pointer';

/** Where an event is, as the geographic scope of a policy sees it. */
export interface EventPlaces {
  /** [lon, lat] of every point: `{lat, lon}` objects and the positions of GeoJSON Polygon areas. */
  points: (readonly [number, number])[];
  /** Upper-cased address codes: `state`, `postalCode`, and `county` / `jurisdiction` when present. */
  codes: Set<string>;
}

const ADDRESS_CODE_FIELDS = ['state', 'postalCode', 'county', 'jurisdiction'] as const;

/**
 * The places of a payload: its `location` (incident), `area` (alert), `subjects.locations[]`
 * (intel), and a top-level `point` (sensor). Other members are not read, so a person's home address
 * never puts an event into a scope.
 */
export function eventPlaces(data: Readonly<Record<string, unknown>>): EventPlaces {
  const places: EventPlaces = { points: [], codes: new Set() };
  addLocation(places, data['location']);
  addLocation(places, data['area']);
  const subjects = data['subjects'];
  if (isRecord(subjects) && Array.isArray(subjects['locations'])) {
    for (const location of subjects['locations'] as unknown[]) addLocation(places, location);
  }
  addPoint(places, data['point']);
  return places;
}

function addLocation(places: EventPlaces, location: unknown): void {
  if (!isRecord(location)) return;
  addPoint(places, location['point']);
  const area = location['area'];
  if (isRecord(area) && Array.isArray(area['coordinates'])) {
    for (const ring of area['coordinates'] as unknown[]) {
      if (!Array.isArray(ring)) continue;
      for (const position of ring as unknown[]) {
        if (Array.isArray(position) && isFiniteNumber(position[0]) && isFiniteNumber(position[1])) {
          places.points.push([position[0], position[1]]);
        }
      }
    }
  }
  const address = location['address'];
  if (isRecord(address)) {
    for (const field of ADDRESS_CODE_FIELDS) {
      const code = address[field];
      if (typeof code === 'string' && code.trim() !== '') places.codes.add(code.trim().toUpperCase());
    }
  }
}

function addPoint(places: EventPlaces, point: unknown): void {
  if (isRecord(point) && isFiniteNumber(point['lat']) && isFiniteNumber(point['lon'])) places.points.push([point['lon'], point['lat']]);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A geographic scope prepared once per policy (codes upper-cased) so each check is cheap. */
export type CompiledScope =
  | { kind: 'bbox'; west: number; south: number; east: number; north: number }
  | { kind: 'polygon'; ring: readonly (readonly [number, number])[] }
  | { kind: 'jurisdiction'; codes: ReadonlySet<string> };

export function compileScope(scope: GeoScope): CompiledScope {
  switch (scope.kind) {
    case 'bbox':
    case 'polygon':
      return scope;
    case 'jurisdiction':
      return { kind: 'jurisdiction', codes: new Set(scope.codes.map((c) => c.trim().toUpperCase())) };
  }
}

/** True when any place of the event lies in the scope; an event without places is in no scope. */
export function inScope(scope: CompiledScope, places: EventPlaces): boolean {
  switch (scope.kind) {
    case 'bbox':
      return places.points.some(([lon, lat]) => lat >= scope.south && lat <= scope.north && inLongitudeRange(lon, scope.west, scope.east));
    case 'polygon':
      return places.points.some((p) => inRing(p, scope.ring));
    case 'jurisdiction':
      for (const code of places.codes) if (scope.codes.has(code)) return true;
      return false;
  }
}

/** West greater than east means the box crosses the antimeridian (RFC 7946 §5.2). */
function inLongitudeRange(lon: number, west: number, east: number): boolean {
  return west <= east ? lon >= west && lon <= east : lon >= west || lon <= east;
}

/** Even-odd ray casting on [lon, lat] vertices; the ring may be closed or not. */
export function inRing([x, y]: readonly [number, number], ring: readonly (readonly [number, number])[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as readonly [number, number];
    const [xj, yj] = ring[j] as readonly [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
