import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Omittable } from '@liaison/http';
import { EVENT_TYPES, MAX_TIMESTAMP_LENGTH, TLP_LEVELS, type Tlp } from '@liaison/contracts';
import { FEED_NAME } from '../feeds/feed.dto';

const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES);
const ZONED = /(Z|[+-]\d{2}:\d{2})$/;

/** Most positions in a policy's polygon: a county outline at street detail stays well below it. */
export const MAX_GEO_SCOPE_RING = 1_000;

const LON: SchemaObject = { type: 'number', minimum: -180, maximum: 180 };
const LAT: SchemaObject = { type: 'number', minimum: -90, maximum: 90 };

/** Where a policy applies; checked member by member by `geoScopeProblems` (policy-rules.ts). */
export const GEO_SCOPE_SCHEMA: SchemaObject = {
  oneOf: [
    {
      type: 'object',
      description: 'a box; east greater than west, north greater than south',
      required: ['kind', 'west', 'south', 'east', 'north'],
      additionalProperties: false,
      properties: { kind: { type: 'string', enum: ['bbox'] }, west: LON, south: LAT, east: LON, north: LAT },
    },
    {
      type: 'object',
      description: 'one closed outer ring of [longitude, latitude] positions',
      required: ['kind', 'ring'],
      additionalProperties: false,
      properties: {
        kind: { type: 'string', enum: ['polygon'] },
        ring: {
          type: 'array',
          minItems: 4,
          maxItems: MAX_GEO_SCOPE_RING,
          items: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'number', minimum: -180, maximum: 180 } },
        },
      },
    },
    {
      type: 'object',
      description: 'jurisdiction codes matched against the event location’s jurisdiction, county or state',
      required: ['kind', 'codes'],
      additionalProperties: false,
      properties: {
        kind: { type: 'string', enum: ['jurisdiction'] },
        codes: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 64 } },
      },
    },
  ],
};

/** How the grantee's copy is cut down; every member is optional (nothing removed, points exact). */
export class FieldRulesDto {
  /** JSON pointers into the event's `data`; `-` stands for every element of an array. */
  @ApiPropertyOptional({ type: 'array', items: { type: 'string', maxLength: 300 }, maxItems: 100, example: ['/caseNumber'] })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(300, { each: true })
  redact?: string[];

  /** Grid size in degrees WGS84 points are snapped to; null keeps them exact. */
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0.0001, maximum: 10, example: 0.01 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.0001)
  @Max(10)
  coarsenLocationDegrees?: number | null;

  @ApiPropertyOptional({ example: true })
  @Omittable()
  @IsBoolean()
  dropNarrative?: boolean;
}

/**
 * A sharing policy as the grantor states it (create, and update: an update is a whole new
 * version). Exactly one of `granteeAgencyId` and `granteeGroupId`.
 */
export class PolicyDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'exactly one of granteeAgencyId and granteeGroupId' })
  @Omittable()
  @IsUUID('all')
  granteeAgencyId?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    description: 'exactly one of granteeAgencyId and granteeGroupId (a sharing group id)',
  })
  @Omittable()
  @IsUUID('all')
  granteeGroupId?: string;

  /** Names of the grantor's feeds covered; omitted or null = every feed. */
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', maxLength: 64, pattern: FEED_NAME.source },
    maxItems: 100,
    nullable: true,
    example: ['incidents'],
  })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(100)
  @MaxLength(64, { each: true })
  @Matches(FEED_NAME, { each: true, message: 'each value in feeds must be a feed name' })
  feeds?: string[] | null;

  /** Registered event types covered; omitted or null = every type. */
  @ApiPropertyOptional({
    type: [String],
    nullable: true,
    enum: EVENT_TYPE_NAMES,
    maxItems: EVENT_TYPE_NAMES.length,
    example: ['gov.liaison.incident.reported.v1'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(EVENT_TYPE_NAMES.length)
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(EVENT_TYPE_NAMES, { each: true, message: 'each value in eventTypes must be a registered event type' })
  eventTypes?: string[] | null;

  /** Highest TLP 2.0 label shared. */
  @ApiProperty({ enum: TLP_LEVELS, example: 'AMBER' })
  @IsIn(TLP_LEVELS)
  maxTlp!: Tlp;

  /**
   * `{"kind":"bbox","west","south","east","north"}`, `{"kind":"polygon","ring":[[lon,lat],…]}` (closed)
   * or `{"kind":"jurisdiction","codes":[…]}`; omitted or null = anywhere. Checked member by member.
   */
  @ApiPropertyOptional({
    oneOf: GEO_SCOPE_SCHEMA.oneOf,
    nullable: true,
    example: { kind: 'jurisdiction', codes: ['48201'] },
  })
  @IsOptional()
  @IsObject()
  geoScope?: Record<string, unknown> | null;

  /** The need-to-know / right-to-know, as an auditor would read it. */
  @ApiProperty({ minLength: 1, maxLength: 500, example: 'Regional violent-crime analysis under the state MOU' })
  @IsString()
  @Length(1, 500)
  @Matches(/\S/, { message: 'purpose must not be blank' })
  purpose!: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', maxLength: MAX_TIMESTAMP_LENGTH, nullable: true })
  @IsOptional()
  @MaxLength(MAX_TIMESTAMP_LENGTH)
  @IsISO8601({ strict: true })
  @Matches(ZONED, { message: 'validFrom must be an ISO 8601 time stamp with a zone' })
  validFrom?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    maxLength: MAX_TIMESTAMP_LENGTH,
    nullable: true,
    example: '2099-01-01T00:00:00Z',
  })
  @IsOptional()
  @MaxLength(MAX_TIMESTAMP_LENGTH)
  @IsISO8601({ strict: true })
  @Matches(ZONED, { message: 'validUntil must be an ISO 8601 time stamp with a zone' })
  validUntil?: string | null;

  @ApiPropertyOptional({ type: FieldRulesDto })
  @Omittable()
  @IsObject({ message: ({ property }) => `${property} must be a JSON object` })
  @ValidateNested()
  @Type(() => FieldRulesDto)
  fieldRules?: FieldRulesDto;
}

export class ListPoliciesQuery {
  @ApiPropertyOptional({ default: '50', pattern: '^([1-9]|[1-9]\\d|1\\d\\d|200)$' })
  @IsString()
  @Matches(/^([1-9]|[1-9]\d|1\d\d|200)$/, { message: 'limit must be an integer from 1 to 200' })
  limit: string = '50';

  /** Cursor: the id of the last policy of the previous page. */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'after must be a policy id' })
  after?: string;

  /** Revoked policies are left out unless this is `true`. */
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeRevoked?: 'true' | 'false';
}
