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
  Min,
  ValidateNested,
} from 'class-validator';
import { EVENT_TYPES, TLP_LEVELS, type Tlp } from '@liaison/contracts';
import { FEED_NAME } from '../feeds/feed.dto';

const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES);
const ZONED = /(Z|[+-]\d{2}:\d{2})$/;

/** How the grantee's copy is cut down; every member is optional (nothing removed, points exact). */
export class FieldRulesDto {
  /** JSON pointers into the event's `data`; `-` stands for every element of an array. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  redact?: string[];

  /** Grid size in degrees WGS84 points are snapped to; null keeps them exact. */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.0001)
  @Max(10)
  coarsenLocationDegrees?: number | null;

  @IsOptional()
  @IsBoolean()
  dropNarrative?: boolean;
}

/**
 * A sharing policy as the grantor states it (create, and update: an update is a whole new
 * version). Exactly one of `granteeAgencyId` and `granteeGroupId`.
 */
export class PolicyDto {
  @IsOptional()
  @IsUUID('all')
  granteeAgencyId?: string;

  @IsOptional()
  @IsUUID('all')
  granteeGroupId?: string;

  /** Names of the grantor's feeds covered; omitted or null = every feed. */
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(100)
  @Matches(FEED_NAME, { each: true, message: 'each value in feeds must be a feed name' })
  feeds?: string[] | null;

  /** Registered event types covered; omitted or null = every type. */
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(EVENT_TYPE_NAMES, { each: true, message: 'each value in eventTypes must be a registered event type' })
  eventTypes?: string[] | null;

  /** Highest TLP 2.0 label shared. */
  @IsIn(TLP_LEVELS)
  maxTlp!: Tlp;

  /**
   * `{"kind":"bbox","west","south","east","north"}`, `{"kind":"polygon","ring":[[lon,lat],…]}` (closed)
   * or `{"kind":"jurisdiction","codes":[…]}`; omitted or null = anywhere. Checked member by member.
   */
  @IsOptional()
  @IsObject()
  geoScope?: Record<string, unknown> | null;

  /** The need-to-know / right-to-know, as an auditor would read it. */
  @IsString()
  @Length(1, 500)
  @Matches(/\S/, { message: 'purpose must not be blank' })
  purpose!: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(ZONED, { message: 'validFrom must be an ISO 8601 time stamp with a zone' })
  validFrom?: string | null;

  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(ZONED, { message: 'validUntil must be an ISO 8601 time stamp with a zone' })
  validUntil?: string | null;

  @IsOptional()
  @ValidateNested()
  @Type(() => FieldRulesDto)
  fieldRules?: FieldRulesDto;
}

export class ListPoliciesQuery {
  @IsString()
  @Matches(/^([1-9]|[1-9]\d|1\d\d|200)$/, { message: 'limit must be an integer from 1 to 200' })
  limit: string = '50';

  /** Cursor: the id of the last policy of the previous page. */
  @IsOptional()
  @IsUUID('all', { message: 'after must be a policy id' })
  after?: string;

  /** Revoked policies are left out unless this is `true`. */
  @IsOptional()
  @IsIn(['true', 'false'])
  includeRevoked?: 'true' | 'false';
}
