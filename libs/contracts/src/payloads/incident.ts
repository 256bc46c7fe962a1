import { Type } from 'class-transformer';
import {
  IsDefined,
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  IsObject,
} from 'class-validator';
import { IsZonedTimestamp, Location } from './common';
import { Person, Vehicle } from './entities';

export const INCIDENT_STATUSES = ['open', 'in-progress', 'closed'] as const;

/** How a person is involved in an incident (after NIBRS victim/offender/arrestee segments). */
export const INCIDENT_PERSON_ROLES = ['victim', 'suspect', 'witness', 'complainant', 'arrestee', 'other'] as const;
export type IncidentPersonRole = (typeof INCIDENT_PERSON_ROLES)[number];

export const INCIDENT_VEHICLE_ROLES = ['suspect', 'victim', 'involved', 'stolen', 'towed'] as const;
export type IncidentVehicleRole = (typeof INCIDENT_VEHICLE_ROLES)[number];

/** How a closed incident was disposed of; the first three follow UCR clearance categories. */
export const INCIDENT_DISPOSITIONS = ['cleared-by-arrest', 'exceptionally-cleared', 'unfounded', 'closed-no-action', 'referred'] as const;
export type IncidentDisposition = (typeof INCIDENT_DISPOSITIONS)[number];

/** A person involved in an incident, with their role. */
export class IncidentPerson extends Person {
  @IsIn(INCIDENT_PERSON_ROLES)
  role!: IncidentPersonRole;
}

/** A vehicle involved in an incident, with its role. */
export class IncidentVehicle extends Vehicle {
  @IsIn(INCIDENT_VEHICLE_ROLES)
  role!: IncidentVehicleRole;
}

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

  @IsZonedTimestamp()
  occurredAt!: string;

  @IsZonedTimestamp()
  reportedAt!: string;

  @IsDefined()
  @IsObject()
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

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => IncidentPerson)
  involvedPersons?: IncidentPerson[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => IncidentVehicle)
  involvedVehicles?: IncidentVehicle[];
}

/**
 * Payload of `gov.liaison.incident.updated.v1`: the incident's full current state (not a patch),
 * same fields as when reported.
 */
export class IncidentUpdatedV1 extends IncidentReportedV1 {
  /** What changed since the previous event, for a human reader. */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  changeSummary?: string;
}

/** Payload of `gov.liaison.incident.closed.v1`: the incident is closed with a disposition. */
export class IncidentClosedV1 {
  @IsZonedTimestamp()
  closedAt!: string;

  @IsIn(INCIDENT_DISPOSITIONS)
  disposition!: IncidentDisposition;

  @IsOptional()
  @IsString()
  @MaxLength(8000)
  narrative?: string;

  /** The originating agency's case or CAD incident number. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  caseNumber!: string;
}
