import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  Equals,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
  type ValidationOptions,
  IsObject,
} from 'class-validator';
import { composeDecorators, IsLaterThan, IsZonedTimestamp, Location } from './common';
import { Person, Vehicle } from './entities';

export const ALERT_KINDS = ['bolo', 'officer-safety', 'missing-person', 'amber'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** CAP 1.2 `status`, without System and Draft: those are never shared between agencies. */
export const ALERT_STATUSES = ['Actual', 'Exercise', 'Test'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** CAP 1.2 `msgType` values Liaison uses; each alert event type fixes one of them. */
export const ALERT_MSG_TYPES = ['Alert', 'Update', 'Cancel'] as const;
export type AlertMsgType = (typeof ALERT_MSG_TYPES)[number];

/** CAP 1.2 `urgency`. */
export const CAP_URGENCIES = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'] as const;
export type CapUrgency = (typeof CAP_URGENCIES)[number];

/** CAP 1.2 `severity`. */
export const CAP_SEVERITIES = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const;
export type CapSeverity = (typeof CAP_SEVERITIES)[number];

/** CAP 1.2 `certainty` (without the deprecated `Very Likely`). */
export const CAP_CERTAINTIES = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'] as const;
export type CapCertainty = (typeof CAP_CERTAINTIES)[number];

export const ALERT_PERSON_ROLES = ['suspect', 'wanted', 'missing', 'abductor', 'companion', 'other'] as const;
export type AlertPersonRole = (typeof ALERT_PERSON_ROLES)[number];

export const ALERT_VEHICLE_ROLES = ['suspect', 'stolen', 'associated', 'other'] as const;
export type AlertVehicleRole = (typeof ALERT_VEHICLE_ROLES)[number];

/** CAP `references`: the ids of the earlier alert events (CloudEvents `id`) this one updates or cancels. */
function IsAlertReferences(options: ValidationOptions = {}): PropertyDecorator {
  const each = { ...options, each: true };
  return composeDecorators(
    IsArray(options),
    ArrayMinSize(1, options),
    ArrayMaxSize(100, options),
    ArrayUnique(undefined, options),
    IsString(each),
    IsNotEmpty(each),
    MaxLength(128, each),
    Matches(/^\S+$/, { ...each, message: 'each reference must be an event id without whitespace' }),
  );
}

/** A person an alert is about, with their role in it. */
export class AlertPerson extends Person {
  @IsIn(ALERT_PERSON_ROLES)
  role!: AlertPersonRole;
}

/** A vehicle an alert is about, with its role in it. */
export class AlertVehicle extends Vehicle {
  @IsIn(ALERT_VEHICLE_ROLES)
  role!: AlertVehicleRole;
}

/** Whom and what to look out for. */
export class AlertSubjects {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => AlertPerson)
  persons?: AlertPerson[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => AlertVehicle)
  vehicles?: AlertVehicle[];
}

/** The content an issued or updated alert carries: CAP 1.2 `alert` and `info`, flattened. */
export abstract class AlertContent {
  @IsIn(ALERT_KINDS)
  alertKind!: AlertKind;

  @IsIn(ALERT_STATUSES)
  status!: AlertStatus;

  @IsIn(CAP_URGENCIES)
  urgency!: CapUrgency;

  @IsIn(CAP_SEVERITIES)
  severity!: CapSeverity;

  @IsIn(CAP_CERTAINTIES)
  certainty!: CapCertainty;

  /** Short, as CAP recommends (under 160 characters). */
  @IsString()
  @IsNotEmpty()
  @MaxLength(160)
  headline!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(8000)
  description!: string;

  /** What recipients should do. */
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  instruction?: string;

  /** Whom to call about the alert. */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  contact?: string;

  /** When the alert takes effect. */
  @IsZonedTimestamp()
  effective!: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AlertSubjects)
  subjects?: AlertSubjects;

  /** The area the alert covers (CAP `area`); `area.area` for a polygon. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => Location)
  area?: Location;
}

/** Payload of `gov.liaison.alert.issued.v1`: a new alert (CAP msgType Alert). */
export class AlertIssuedV1 extends AlertContent {
  @Equals('Alert')
  msgType!: 'Alert';

  /** When the alert stops being in force. */
  @IsZonedTimestamp()
  @IsLaterThan('effective')
  expires!: string;
}

/** Payload of `gov.liaison.alert.updated.v1`: replaces the content of the referenced alert events (CAP msgType Update). */
export class AlertUpdatedV1 extends AlertContent {
  @Equals('Update')
  msgType!: 'Update';

  @IsAlertReferences()
  references!: string[];

  /** A new expiry; absent, the referenced alert's expiry stands. */
  @IsOptional()
  @IsZonedTimestamp()
  @IsLaterThan('effective')
  expires?: string;

  /** What changed since the previous event, for a human reader. */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  changeSummary?: string;
}

/** Payload of `gov.liaison.alert.cancelled.v1`: the referenced alert events are no longer in force (CAP msgType Cancel). */
export class AlertCancelledV1 {
  @IsIn(ALERT_KINDS)
  alertKind!: AlertKind;

  @IsIn(ALERT_STATUSES)
  status!: AlertStatus;

  @Equals('Cancel')
  msgType!: 'Cancel';

  @IsAlertReferences()
  references!: string[];

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(160)
  headline?: string;

  /** Why the alert is cancelled, e.g. the child was found (CAP `note`). */
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  note!: string;
}
