import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  MaxLength,
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { Omittable } from '@liaison/http';
import { EVENT_TYPES, TLP_LEVELS, type Tlp } from '@liaison/contracts';

export const FEED_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES);

export class CreateFeedDto {
  /** What events name in their `feed` attribute; unique within the agency. */
  @ApiProperty({ minLength: 1, maxLength: 64, pattern: FEED_NAME.source, example: 'incidents' })
  @IsString()
  @Length(1, 64)
  @Matches(FEED_NAME, { message: 'name must be letters, digits, . _ - (starting with a letter or digit)' })
  name!: string;

  @ApiPropertyOptional({ maxLength: 500, example: 'CAD incidents, as dispatched' })
  @Omittable()
  @IsString()
  @Length(0, 500)
  description?: string;

  /** Registered event types (libs/contracts) the feed carries. */
  @ApiProperty({ type: [String], enum: EVENT_TYPE_NAMES, maxItems: EVENT_TYPE_NAMES.length, example: ['gov.liaison.incident.reported.v1'] })
  @IsArray()
  @ArrayMaxSize(EVENT_TYPE_NAMES.length)
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(EVENT_TYPE_NAMES, { each: true, message: 'each value in eventTypes must be a registered event type' })
  eventTypes!: string[];

  @ApiProperty({ enum: TLP_LEVELS, example: 'AMBER' })
  @IsIn(TLP_LEVELS)
  defaultTlp!: Tlp;

  /** How long events of this feed are kept; 28 CFR 23.54 caps criminal intelligence at five years without review. */
  @ApiProperty({ minimum: 1, maximum: 3650, example: 365 })
  @IsInt()
  @Min(1)
  @Max(3650)
  retentionDays!: number;
}

/** PATCH: only the members present change; `description: null` clears it. */
export class UpdateFeedDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 64, pattern: FEED_NAME.source, example: 'incidents' })
  @Omittable()
  @IsString()
  @Length(1, 64)
  @Matches(FEED_NAME, { message: 'name must be letters, digits, . _ - (starting with a letter or digit)' })
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500, example: 'CAD incidents, as dispatched' })
  @ValidateIf((o: UpdateFeedDto) => o.description !== null && o.description !== undefined)
  @IsString()
  @Length(0, 500)
  description?: string | null;

  @ApiPropertyOptional({
    type: [String],
    enum: EVENT_TYPE_NAMES,
    maxItems: EVENT_TYPE_NAMES.length,
    example: ['gov.liaison.incident.reported.v1'],
  })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(EVENT_TYPE_NAMES.length)
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(EVENT_TYPE_NAMES, { each: true, message: 'each value in eventTypes must be a registered event type' })
  eventTypes?: string[];

  @ApiPropertyOptional({ enum: TLP_LEVELS, example: 'AMBER' })
  @Omittable()
  @IsIn(TLP_LEVELS)
  defaultTlp?: Tlp;

  @ApiPropertyOptional({ minimum: 1, maximum: 3650, example: 365 })
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(3650)
  retentionDays?: number;
}

export class ListFeedsQuery {
  @ApiPropertyOptional({ default: '50', pattern: '^([1-9]|[1-9]\\d|1\\d\\d|200)$' })
  @IsString()
  @Matches(/^([1-9]|[1-9]\d|1\d\d|200)$/, { message: 'limit must be an integer from 1 to 200' })
  limit: string = '50';

  /** Cursor: the name of the last feed of the previous page. */
  @ApiPropertyOptional({ pattern: FEED_NAME.source, maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(FEED_NAME, { message: 'after must be a feed name' })
  after?: string;
}
