import { TLP_LEVELS } from '@liaison/contracts';

/** What a subscriber narrows its entitled events to. Every member is optional; absent = no narrowing. */
export interface EventFilters {
  types?: readonly string[];
  minPriority?: number;
  maxTlp?: string;
  area?: { minLat: number; minLon: number; maxLat: number; maxLon: number };
}

/**
 * True when a copy (structured CloudEvent the recipient is already entitled to) passes the
 * subscription's filters. Filters only ever narrow: they run after policy, never instead of it.
 */
export function passesFilters(event: Record<string, unknown>, filters: EventFilters): boolean {
  if (filters.types !== undefined && filters.types.length > 0 && !filters.types.includes(String(event['type']))) return false;
  if (filters.maxTlp !== undefined) {
    const max = TLP_LEVELS.indexOf(filters.maxTlp as (typeof TLP_LEVELS)[number]);
    const level = TLP_LEVELS.indexOf(event['tlp'] as (typeof TLP_LEVELS)[number]);
    if (max < 0 || level < 0 || level > max) return false;
  }
  const data = isRecord(event['data']) ? event['data'] : {};
  if (filters.minPriority !== undefined) {
    // Priority 1 is the most urgent; an event without a priority does not pass a priority filter.
    const priority = data['priority'];
    if (typeof priority !== 'number' || priority > filters.minPriority) return false;
  }
  if (filters.area !== undefined) {
    const point = pointOf(data);
    if (point === undefined) return false;
    const { minLat, minLon, maxLat, maxLon } = filters.area;
    if (point.lat < minLat || point.lat > maxLat || point.lon < minLon || point.lon > maxLon) return false;
  }
  return true;
}

function pointOf(data: Record<string, unknown>): { lat: number; lon: number } | undefined {
  const candidates = [data['point'], isRecord(data['location']) ? data['location']['point'] : undefined];
  for (const c of candidates) {
    if (isRecord(c) && typeof c['lat'] === 'number' && typeof c['lon'] === 'number') return { lat: c['lat'], lon: c['lon'] };
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
