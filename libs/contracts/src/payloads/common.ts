import { Type } from 'class-transformer';
import {
  IsNumber,
  ArrayMaxSize,
  ArrayMinSize,
  buildMessage,
  Equals,
  IsArray,
  IsInt,
  IsISO8601,
  IsLatitude,
  IsLongitude,
  IsNotEmpty,
  IsOptional,
  IsRFC3339,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  type ValidationArguments,
  type ValidationOptions,
  IsObject,
} from 'class-validator';
import { MAX_TIMESTAMP_LENGTH } from '../markings';

// No regex flags: the JSON Schemas carry patterns, and JSON Schema patterns have none.
const ZONED = /([Zz]|[+-]\d{2}:\d{2})$/;
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Applies several property decorators as one (class-validator has no `applyDecorators`). */
export function composeDecorators(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, propertyKey) => {
    for (const decorator of decorators) decorator(target, propertyKey);
  };
}

const RFC3339_PARTS = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;

/**
 * True when an RFC 3339 date-time names an instant that exists: a real calendar day (no 2026-02-30,
 * 29 February only in leap years), hours to 23, minutes and seconds to 59, offsets to ±23:59.
 * validator.js's isRFC3339 checks only the shape, and Date.parse rolls 2026-02-30 over to 2 March.
 */
export function isExistingTimestamp(value: string): boolean {
  const parts = RFC3339_PARTS.exec(value);
  if (parts === null) return false;
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const offsetHours = parts[9] === undefined ? 0 : Number(parts[9]);
  const offsetMinutes = parts[10] === undefined ? 0 : Number(parts[10]);
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= lastDay &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59
  );
}

/** The RFC 3339 date-time names a day and time that exist (see `isExistingTimestamp`). */
export function IsExistingTimestamp(options: ValidationOptions = {}): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isExistingTimestamp',
      validator: {
        // Only strings of the RFC 3339 shape are judged here; the shape is IsRFC3339's to report.
        validate: (value: unknown): boolean => typeof value !== 'string' || !RFC3339_PARTS.test(value) || isExistingTimestamp(value),
        defaultMessage: buildMessage(
          (eachPrefix) => `${eachPrefix}$property must be a date and time that exist (e.g. no February 30)`,
          options,
        ),
      },
    },
    options,
  );
}

/** An RFC 3339 date-time that carries a zone (`Z` or `±hh:mm`) and exists, e.g. `2026-11-25T02:09:00-06:00`. */
export function IsZonedTimestamp(options: ValidationOptions = {}): PropertyDecorator {
  return composeDecorators(
    MaxLength(MAX_TIMESTAMP_LENGTH, options),
    IsRFC3339(options),
    Matches(ZONED, { message: ({ property }: ValidationArguments) => `${property} must carry a time zone`, ...options }),
    IsExistingTimestamp(options),
  );
}

/** A calendar date without a time, `YYYY-MM-DD`, that exists (no 2026-02-30). */
export function IsCalendarDate(options: ValidationOptions = {}): PropertyDecorator {
  return composeDecorators(
    Matches(CALENDAR_DATE, { message: ({ property }: ValidationArguments) => `${property} must be a date as YYYY-MM-DD`, ...options }),
    IsISO8601({ strict: true }, options),
  );
}

/** A STIX 2.1 confidence: an integer from 0 (none) to 100 (certain). */
export function IsConfidence(options: ValidationOptions = {}): PropertyDecorator {
  return composeDecorators(IsInt(options), Min(0, options), Max(100, options));
}

/**
 * A time stamp strictly later than the sibling time stamp `property`. Passes when either is absent or
 * unparsable, which the fields' own validators report.
 */
export function IsLaterThan(property: string, options: ValidationOptions = {}): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isLaterThan',
      constraints: [property],
      validator: {
        validate: (value: unknown, args?: ValidationArguments): boolean => {
          const other = (args?.object as Record<string, unknown> | undefined)?.[property];
          if (typeof value !== 'string' || typeof other !== 'string') return true;
          const [later, earlier] = [Date.parse(value), Date.parse(other)];
          return Number.isNaN(later) || Number.isNaN(earlier) || later > earlier;
        },
        defaultMessage: buildMessage((eachPrefix) => `${eachPrefix}$property must be later than ${property}`, options),
      },
    },
    options,
  );
}

/** A WGS84 point (EPSG:4326), degrees. */
export class GeoPoint {
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsLatitude()
  lat!: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsLongitude()
  lon!: number;
}

export const MAX_POLYGON_RINGS = 10;
export const MAX_RING_POSITIONS = 1000;

/** Why `value` is not a list of GeoJSON Polygon rings of [lon, lat] positions, or undefined if it is. */
export function polygonRingsProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'coordinates must be an array of linear rings';
  for (const [r, ring] of value.entries()) {
    if (!Array.isArray(ring) || ring.length < 4 || ring.length > MAX_RING_POSITIONS) {
      return `ring ${r} must be an array of 4 to ${MAX_RING_POSITIONS} positions`;
    }
    for (const [p, position] of ring.entries()) {
      if (!Array.isArray(position) || position.length !== 2 || !position.every((n) => typeof n === 'number' && Number.isFinite(n))) {
        return `ring ${r} position ${p} must be [lon, lat] (two numbers)`;
      }
      const [lon, lat] = position as [number, number];
      if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
        return `ring ${r} position ${p} is outside [-180..180, -90..90]`;
      }
    }
    const first = ring[0] as [number, number];
    const last = ring[ring.length - 1] as [number, number];
    if (first[0] !== last[0] || first[1] !== last[1]) return `ring ${r} must be closed (last position equal to the first)`;
  }
  return undefined;
}

function IsPolygonRings(options: ValidationOptions = {}): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPolygonRings',
      validator: {
        validate: (value: unknown): boolean => polygonRingsProblem(value) === undefined,
        defaultMessage: (args?: ValidationArguments): string =>
          `${args?.property ?? 'coordinates'}: ${polygonRingsProblem(args?.value) ?? 'invalid polygon'}`,
      },
    },
    options,
  );
}

/**
 * A GeoJSON (RFC 7946 §3.1.6) Polygon in WGS84: the exterior ring, then any holes. Ring winding
 * order is not enforced (RFC 7946 asks parsers not to reject on it).
 */
export class GeoPolygon {
  @Equals('Polygon')
  type!: 'Polygon';

  /** Linear rings of [lon, lat] positions; each has at least 4 positions and ends where it starts. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_POLYGON_RINGS)
  @IsPolygonRings()
  coordinates!: number[][][];
}

/** A street address, loosely after NIEM nc:StructuredAddress. */
export class Address {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  street!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  city!: string;

  @IsOptional()
  @IsString()
  @MaxLength(50)
  state?: string;

  @IsOptional()
  @IsString()
  @MaxLength(20)
  postalCode?: string;
}

/** Where something happened: an address, a point, an area, or any mix (NIEM nc:Location). */
export class Location {
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => Address)
  address?: Address;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => GeoPoint)
  point?: GeoPoint;

  /** An area rather than a spot, e.g. a search or alert area. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => GeoPolygon)
  area?: GeoPolygon;

  /** Free text, e.g. `Parking lot, QuikStop #112` (NIEM nc:LocationDescriptionText). */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}
