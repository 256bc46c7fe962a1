import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { AGENCY_KINDS, type AgencyKind } from '@liaison/persistence';

export class CreateAgencyDto {
  /** FBI ORI: two-letter state code and seven letters or digits, e.g. `TX2270100`. */
  @ApiProperty({ pattern: '^[A-Z]{2}[A-Z0-9]{7}$', example: 'TX2270100' })
  @IsString()
  @Matches(/^[A-Z]{2}[A-Z0-9]{7}$/, { message: 'ori must be a 9-character ORI such as TX2270100' })
  ori!: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Example Police Department' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: AGENCY_KINDS, example: 'local' })
  @IsIn(AGENCY_KINDS)
  kind!: AgencyKind;
}

export class ListAgenciesQuery {
  @ApiPropertyOptional({ default: '50', pattern: '^([1-9]|[1-9]\\d|1\\d\\d|200)$' })
  @IsString()
  @Matches(/^([1-9]|[1-9]\d|1\d\d|200)$/, { message: 'limit must be an integer from 1 to 200' })
  limit: string = '50';

  /** Cursor: the ORI of the last agency of the previous page. */
  @ApiPropertyOptional({ pattern: '^[A-Z]{2}[A-Z0-9]{7}$' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z]{2}[A-Z0-9]{7}$/, { message: 'after must be an ORI' })
  after?: string;
}
