import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional, IsString, Length, Matches, ValidateIf } from 'class-validator';
import { Omittable } from '@liaison/http';
import { AGENCY_KINDS, NON_ACTUAL_STATUSES, type AgencyKind, type NonActualStatus } from '@liaison/persistence';

const JURISDICTION = /^[A-Za-z0-9][A-Za-z0-9 ._:-]*$/;

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

  /** Jurisdiction code geographic scopes can match, e.g. a county FIPS code `48201`. */
  @ApiPropertyOptional({ minLength: 1, maxLength: 64, example: '48201' })
  @Omittable()
  @IsString()
  @Length(1, 64)
  @Matches(JURISDICTION, { message: 'jurisdiction must be letters, digits, space . _ : -' })
  jurisdiction?: string;

  /** Whether the agency is a law-enforcement agency (28 CFR 23.20(e)); default true. */
  @ApiPropertyOptional({ default: true, example: true })
  @Omittable()
  @IsBoolean()
  lawEnforcement?: boolean;

  /** CAP statuses besides Actual the agency receives (exercises, tests); default none. */
  @ApiPropertyOptional({ enum: NON_ACTUAL_STATUSES, isArray: true, maxItems: NON_ACTUAL_STATUSES.length, example: ['Exercise'] })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(NON_ACTUAL_STATUSES.length)
  @ArrayUnique()
  @IsIn(NON_ACTUAL_STATUSES, { each: true })
  acceptsStatuses?: NonActualStatus[];
}

/** PATCH: only the members present change; `jurisdiction: null` clears it. The ORI never changes. */
export class UpdateAgencyDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200, example: 'Example Police Department' })
  @Omittable()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ enum: AGENCY_KINDS, example: 'local' })
  @Omittable()
  @IsIn(AGENCY_KINDS)
  kind?: AgencyKind;

  @ApiPropertyOptional({ type: String, nullable: true, minLength: 1, maxLength: 64, example: '48201' })
  @ValidateIf((o: UpdateAgencyDto) => o.jurisdiction !== null && o.jurisdiction !== undefined)
  @IsString()
  @Length(1, 64)
  @Matches(JURISDICTION, { message: 'jurisdiction must be letters, digits, space . _ : -' })
  jurisdiction?: string | null;

  @ApiPropertyOptional({ example: true })
  @Omittable()
  @IsBoolean()
  lawEnforcement?: boolean;

  @ApiPropertyOptional({ enum: NON_ACTUAL_STATUSES, isArray: true, maxItems: NON_ACTUAL_STATUSES.length, example: ['Exercise'] })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(NON_ACTUAL_STATUSES.length)
  @ArrayUnique()
  @IsIn(NON_ACTUAL_STATUSES, { each: true })
  acceptsStatuses?: NonActualStatus[];
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
