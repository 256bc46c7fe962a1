import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsISO8601,
  IsIn,
  IsInt,
  IsLatitude,
  IsLongitude,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { EVENT_TYPES, MAX_TIMESTAMP_LENGTH, TLP_LEVELS } from '@liaison/contracts';
import { SUBSCRIPTION_CHANNELS, type SubscriptionChannel } from '@liaison/persistence';

const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES);
const ZONED = /(Z|[+-]\d{2}:\d{2})$/;

/** A box (WGS84) the event's location must fall in; min must not exceed max. */
export class AreaDto {
  @ApiProperty({ minimum: -90, maximum: 90 })
  @IsLatitude()
  minLat!: number;

  @ApiProperty({ minimum: -180, maximum: 180 })
  @IsLongitude()
  minLon!: number;

  @ApiProperty({ minimum: -90, maximum: 90 })
  @IsLatitude()
  maxLat!: number;

  @ApiProperty({ minimum: -180, maximum: 180 })
  @IsLongitude()
  maxLon!: number;
}

/** Narrowing only: a filter can never widen what the grantors' policies allow. */
export class FiltersDto {
  @ApiPropertyOptional({ type: [String], enum: EVENT_TYPE_NAMES, maxItems: EVENT_TYPE_NAMES.length, description: 'only these event types' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(EVENT_TYPE_NAMES.length)
  @IsIn(Object.keys(EVENT_TYPES), { each: true, message: 'each type must be a registered Liaison event type' })
  types?: string[];

  /** Most urgent is 1: `minPriority: 2` passes priorities 1 and 2. */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 5 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  minPriority?: number;

  @ApiPropertyOptional({ enum: TLP_LEVELS, description: 'only events marked at most this TLP level' })
  @IsOptional()
  @IsIn(TLP_LEVELS)
  maxTlp?: string;

  @ApiPropertyOptional({ type: AreaDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AreaDto)
  area?: AreaDto;
}

export class CreateSubscriptionDto {
  @ApiProperty({ enum: SUBSCRIPTION_CHANNELS })
  @IsIn(SUBSCRIPTION_CHANNELS)
  channel!: SubscriptionChannel;

  @ApiProperty({ minLength: 1, maxLength: 100, example: 'CAD bridge' })
  @IsString()
  @Length(1, 100)
  label!: string;

  /** Webhook target; required for, and only for, the webhook channel. */
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 2048,
    example: 'https://cad.example.org/hooks/liaison',
    description: 'http(s) URL of the webhook; a target the SSRF guard refuses (non-public without the operator allow-list) is a 422',
  })
  @IsOptional()
  @IsString()
  @Length(1, 2048)
  url?: string;

  @ApiPropertyOptional({ type: FiltersDto, description: 'narrowing only: a filter never widens what policies allow' })
  @IsOptional()
  @ValidateNested()
  @Type(() => FiltersDto)
  filters?: FiltersDto;
}

export class ReplayDto {
  /** Start of the range of receipt times (inclusive), RFC 3339. */
  @ApiProperty({ type: String, format: 'date-time', maxLength: MAX_TIMESTAMP_LENGTH, description: 'inclusive' })
  @MaxLength(MAX_TIMESTAMP_LENGTH)
  @IsISO8601({ strict: true })
  @Matches(ZONED, { message: 'from must be an RFC 3339 time stamp with a zone' })
  from!: string;

  /** End of the range (exclusive), RFC 3339; at most 31 days after `from`. */
  @ApiProperty({ type: String, format: 'date-time', maxLength: MAX_TIMESTAMP_LENGTH, description: 'exclusive; at most 31 days after from' })
  @MaxLength(MAX_TIMESTAMP_LENGTH)
  @IsISO8601({ strict: true })
  @Matches(ZONED, { message: 'to must be an RFC 3339 time stamp with a zone' })
  to!: string;
}
