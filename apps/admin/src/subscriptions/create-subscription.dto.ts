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
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { Omittable } from '@liaison/http';
import { EVENT_TYPES, IsZonedTimestamp, TLP_LEVELS } from '@liaison/contracts';
import { SUBSCRIPTION_CHANNELS, type SubscriptionChannel } from '@liaison/persistence';

export class AreaDto {
  @IsLatitude()
  minLat!: number;

  @IsLongitude()
  minLon!: number;

  @IsLatitude()
  maxLat!: number;

  @IsLongitude()
  maxLon!: number;
}

/** Narrowing only: a filter can never widen what the grantors' policies allow. */
export class FiltersDto {
  @Omittable()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(50)
  @IsIn(Object.keys(EVENT_TYPES), { each: true, message: 'each type must be a registered Liaison event type' })
  types?: string[];

  /** Most urgent is 1: `minPriority: 2` passes priorities 1 and 2. */
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(5)
  minPriority?: number;

  @Omittable()
  @IsIn(TLP_LEVELS)
  maxTlp?: string;

  @Omittable()
  @IsObject({ message: ({ property }) => `${property} must be a JSON object` })
  @ValidateNested()
  @Type(() => AreaDto)
  area?: AreaDto;
}

export class CreateSubscriptionDto {
  @IsIn(SUBSCRIPTION_CHANNELS)
  channel!: SubscriptionChannel;

  @IsString()
  @Length(1, 100)
  label!: string;

  /** Webhook target; required for, and only for, the webhook channel. */
  @Omittable()
  @IsString()
  @Length(1, 2048)
  url?: string;

  @Omittable()
  @IsObject({ message: ({ property }) => `${property} must be a JSON object` })
  @ValidateNested()
  @Type(() => FiltersDto)
  filters?: FiltersDto;
}

export class ReplayDto {
  /** Start of the range of receipt times (inclusive), RFC 3339 with a zone. */
  @IsZonedTimestamp()
  from!: string;

  /** End of the range (exclusive), RFC 3339 with a zone. */
  @IsZonedTimestamp()
  to!: string;
}
