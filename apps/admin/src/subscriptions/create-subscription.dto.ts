import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsLatitude,
  IsLongitude,
  IsObject,
  IsString,
  Length,
  MaxLength,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { Omittable } from '@liaison/http';
import { EVENT_TYPES, IsZonedTimestamp, MAX_TIMESTAMP_LENGTH, TLP_LEVELS } from '@liaison/contracts';
import { SUBSCRIPTION_CHANNELS, type SubscriptionChannel } from '@liaison/persistence';

const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES);

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
  @Omittable()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(EVENT_TYPE_NAMES.length)
  @IsIn(Object.keys(EVENT_TYPES), { each: true, message: 'each type must be a registered Liaison event type' })
  types?: string[];

  /** Most urgent is 1: `minPriority: 2` passes priorities 1 and 2. */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 5 })
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(5)
  minPriority?: number;

  @ApiPropertyOptional({ enum: TLP_LEVELS, description: 'only events marked at most this TLP level' })
  @Omittable()
  @IsIn(TLP_LEVELS)
  maxTlp?: string;

  @ApiPropertyOptional({ type: AreaDto })
  @Omittable()
  @IsObject({ message: ({ property }) => `${property} must be a JSON object` })
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
  @Omittable()
  @IsString()
  @Length(1, 2048)
  url?: string;

  @ApiPropertyOptional({ type: FiltersDto, description: 'narrowing only: a filter never widens what policies allow' })
  @Omittable()
  @IsObject({ message: ({ property }) => `${property} must be a JSON object` })
  @ValidateNested()
  @Type(() => FiltersDto)
  filters?: FiltersDto;
}

export class ReplayDto {
  /** Start of the range of receipt times (inclusive), RFC 3339 with a zone. */
  @ApiProperty({ type: String, format: 'date-time', maxLength: MAX_TIMESTAMP_LENGTH, description: 'inclusive' })
  @MaxLength(MAX_TIMESTAMP_LENGTH)
  @IsZonedTimestamp()
  from!: string;

  /** End of the range (exclusive), RFC 3339 with a zone; at most 31 days after `from`. */
  @ApiProperty({ type: String, format: 'date-time', maxLength: MAX_TIMESTAMP_LENGTH, description: 'exclusive; at most 31 days after from' })
  @MaxLength(MAX_TIMESTAMP_LENGTH)
  @IsZonedTimestamp()
  to!: string;
}
