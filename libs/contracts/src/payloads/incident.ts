import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsRFC3339,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Location } from './common';

export const INCIDENT_STATUSES = ['open', 'in-progress', 'closed'] as const;

/** Payload of `gov.liaison.incident.reported.v1`: an incident as first reported (NIEM nc:Incident). */
export class IncidentReportedV1 {
  /** Agency incident-type code, e.g. a UCR/NIBRS offense code or a CAD call type. */
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, { message: 'incidentType must be a short code (letters, digits, . _ -)' })
  incidentType!: string;

  @IsIn(INCIDENT_STATUSES)
  status!: (typeof INCIDENT_STATUSES)[number];

  /** 1 (highest) to 5 (lowest), as CAD systems rank calls. */
  @IsInt()
  @Min(1)
  @Max(5)
  priority!: number;

  @IsRFC3339()
  @Matches(/(Z|[+-]\d{2}:\d{2})$/i, { message: 'occurredAt must carry a time zone' })
  occurredAt!: string;

  @IsRFC3339()
  @Matches(/(Z|[+-]\d{2}:\d{2})$/i, { message: 'reportedAt must carry a time zone' })
  reportedAt!: string;

  @ValidateNested()
  @Type(() => Location)
  location!: Location;

  @IsOptional()
  @IsString()
  @MaxLength(8000)
  narrative?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(32, { each: true })
  respondingUnits?: string[];

  /** The originating agency's case or CAD incident number. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  caseNumber?: string;
}
