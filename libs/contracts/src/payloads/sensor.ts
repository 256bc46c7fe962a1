import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  type ValidationOptions,
  IsObject,
} from 'class-validator';
import { composeDecorators, GeoPoint, IsConfidence, IsZonedTimestamp } from './common';

export const CAMERA_ANALYTIC_KINDS = ['loitering', 'crowd', 'vehicle-of-interest', 'person-down', 'object-left'] as const;
export type CameraAnalyticKind = (typeof CAMERA_ANALYTIC_KINDS)[number];

/** A link to evidence media (image, clip) held by the publishing agency: https only. */
function IsEvidenceUrl(options: ValidationOptions = {}): PropertyDecorator {
  return composeDecorators(IsUrl({ protocols: ['https'], require_protocol: true }, options), MaxLength(2048, options));
}

/** A sensor or camera id in the publishing agency's system. */
function IsDeviceId(options: ValidationOptions = {}): PropertyDecorator {
  return composeDecorators(IsString(options), IsNotEmpty(options), MaxLength(64, options));
}

/** Where the sensor or the detection is: a required WGS84 point. */
function IsSensorPoint(): PropertyDecorator {
  return composeDecorators(
    IsDefined(),
    IsObject(),
    ValidateNested(),
    Type(() => GeoPoint),
  );
}

/** Payload of `gov.liaison.sensor.alpr-hit.v1`: a licence plate reader read matched a hotlist entry. */
export class AlprHitV1 {
  @IsDeviceId()
  cameraId!: string;

  /** The plate as read, letters and digits only. */
  @IsString()
  @Matches(/^[A-Z0-9]{1,10}$/, { message: 'plate must be 1 to 10 upper-case letters or digits' })
  plate!: string;

  @IsString()
  @Matches(/^[A-Z]{2}$/, { message: 'plateState must be a 2-letter code' })
  plateState!: string;

  @IsZonedTimestamp()
  readAt!: string;

  /** The reader's confidence in the read, 0–100. */
  @IsConfidence()
  confidence!: number;

  @IsSensorPoint()
  point!: GeoPoint;

  /** The hotlist the plate matched, e.g. `NCIC Stolen Vehicles`. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  hotlistName!: string;

  /** Why the plate is on the hotlist, as the hotlist entry states it. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  hotlistReason!: string;

  @IsOptional()
  @IsEvidenceUrl()
  imageUrl?: string;
}

/** Payload of `gov.liaison.sensor.gunshot-detected.v1`: an acoustic gunshot detection system located gunfire. */
export class GunshotDetectedV1 {
  /** The detection system, e.g. vendor and deployment name. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  sensorSystem!: string;

  @IsZonedTimestamp()
  detectedAt!: string;

  @IsInt()
  @Min(1)
  @Max(1000)
  roundsCount!: number;

  /** The located origin of the shots. */
  @IsSensorPoint()
  point!: GeoPoint;

  /** The system's confidence that this was gunfire, 0–100. */
  @IsConfidence()
  confidence!: number;

  /** The CloudEvents subject of the incident this detection was linked to. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  incidentId?: string;
}

/** Payload of `gov.liaison.sensor.camera-analytic.v1`: a video analytic fired on a camera. */
export class CameraAnalyticV1 {
  @IsDeviceId()
  cameraId!: string;

  @IsIn(CAMERA_ANALYTIC_KINDS)
  analyticKind!: CameraAnalyticKind;

  @IsZonedTimestamp()
  detectedAt!: string;

  /** Where the camera (or, if known, the detection) is. */
  @IsSensorPoint()
  point!: GeoPoint;

  /** The analytic's confidence, 0–100. */
  @IsConfidence()
  confidence!: number;

  @IsOptional()
  @IsEvidenceUrl()
  clipUrl?: string;
}
