import { Type } from 'class-transformer';
import {
  IsLatitude,
  IsLongitude,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';

/** A WGS84 point (EPSG:4326), degrees. */
export class GeoPoint {
  @IsLatitude()
  lat!: number;

  @IsLongitude()
  lon!: number;
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

/** Where something happened: an address, a point, or both. */
export class Location {
  @IsOptional()
  @ValidateNested()
  @Type(() => Address)
  address?: Address;

  @IsOptional()
  @ValidateNested()
  @Type(() => GeoPoint)
  point?: GeoPoint;
}
