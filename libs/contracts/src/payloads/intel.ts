import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  type ValidationOptions,
  IsObject,
} from 'class-validator';
import { IsConfidence, IsZonedTimestamp, Location } from './common';
import { Organization, Person, Vehicle } from './entities';

/** Admiralty (NATO 6x6) source reliability: A completely reliable … E unreliable, F cannot be judged. */
export const SOURCE_RELIABILITY = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export type SourceReliability = (typeof SOURCE_RELIABILITY)[number];

/**
 * UK 3x5x2 handling code: P = lawful sharing permitted; C = lawful sharing permitted subject to the
 * conditions stated in `handlingConditions`.
 */
export const HANDLING_CODES = ['P', 'C'] as const;
export type HandlingCode = (typeof HANDLING_CODES)[number];

/** How far the source and the information can be trusted, and how the report may be passed on. */
export class IntelGrading {
  @IsIn(SOURCE_RELIABILITY)
  sourceReliability!: SourceReliability;

  /** Admiralty information credibility: 1 confirmed, 2 probably true, 3 possibly true, 4 doubtful, 5 improbable, 6 cannot be judged. */
  @IsInt()
  @Min(1)
  @Max(6)
  informationCredibility!: number;

  @IsIn(HANDLING_CODES)
  handlingCode!: HandlingCode;

  /** The conditions on further sharing. Required when `handlingCode` is C. */
  @ValidateIf((o: IntelGrading, value: unknown) => value !== undefined || o.handlingCode === 'C')
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  handlingConditions?: string;

  /** The analyst's confidence in the assessment, STIX 2.1 scale 0–100. */
  @IsOptional()
  @IsConfidence()
  confidence?: number;
}

/** The criminal predicate 28 CFR Part 23 requires before criminal intelligence may be submitted. */
export class CriminalPredicate {
  /** The suspected criminal conduct, e.g. a statute citation or an offense description. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  offense!: string;

  /** Why there is reasonable suspicion that the subjects are involved in that conduct. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  basis!: string;
}

/** Whom and what the report is about. At least one list must be non-empty. */
export class IntelSubjects {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => Person)
  persons?: Person[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => Vehicle)
  vehicles?: Vehicle[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => Organization)
  organizations?: Organization[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => Location)
  locations?: Location[];
}

function HasAnySubject(options: ValidationOptions = {}): PropertyDecorator {
  return ValidateBy(
    {
      name: 'hasAnySubject',
      validator: {
        validate: (value: unknown): boolean =>
          typeof value === 'object' &&
          value !== null &&
          Object.values(value as Record<string, unknown>).some((list) => Array.isArray(list) && list.length > 0),
        defaultMessage: () => 'subjects must name at least one person, vehicle, organization or location',
      },
    },
    options,
  );
}

/** Payload of `gov.liaison.intel.published.v1`: a graded criminal intelligence report. */
export class IntelPublishedV1 {
  @IsString()
  @IsNotEmpty()
  @MaxLength(8000)
  summary!: string;

  @HasAnySubject()
  @IsObject()
  @ValidateNested()
  @Type(() => IntelSubjects)
  subjects!: IntelSubjects;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => IntelGrading)
  grading!: IntelGrading;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CriminalPredicate)
  criminalPredicate!: CriminalPredicate;

  /** When the report must be reviewed, and validated or purged (28 CFR 23.20(h): at most five years). */
  @IsZonedTimestamp()
  reviewBy!: string;
}

/** Payload of `gov.liaison.intel.updated.v1`: the report's full current state (not a patch). */
export class IntelUpdatedV1 extends IntelPublishedV1 {
  /** What changed since the previous event, for a human reader. */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  changeSummary?: string;
}

/** Payload of `gov.liaison.intel.retracted.v1`: the report is withdrawn; recipients must stop using and purge it. */
export class IntelRetractedV1 {
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;

  @IsZonedTimestamp()
  retractedAt!: string;
}
