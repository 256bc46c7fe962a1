import { Type } from 'class-transformer';
import {
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
  ValidateIf,
  ValidateNested,
  IsObject,
} from 'class-validator';
import { IsCalendarDate } from './common';

/** Sex codes as NCIC/NIBRS use them, plus X for a non-binary marker on a state id. */
export const SEX_CODES = ['F', 'M', 'X', 'U'] as const;
export type SexCode = (typeof SEX_CODES)[number];

/** NCIC/NIBRS race codes: White, Black, American Indian/Alaska Native, Asian, Native Hawaiian/Pacific Islander, Unknown. */
export const RACE_CODES = ['W', 'B', 'I', 'A', 'P', 'U'] as const;
export type RaceCode = (typeof RACE_CODES)[number];

/** NIBRS ethnicity codes: Hispanic or Latino, Not Hispanic or Latino, Unknown. */
export const ETHNICITY_CODES = ['H', 'N', 'U'] as const;
export type EthnicityCode = (typeof ETHNICITY_CODES)[number];

/** Kinds of person identifier. No SSN: it is not needed to share a lead, and is the costliest to leak. */
export const PERSON_IDENTIFIER_TYPES = [
  'drivers-license',
  'state-id',
  'passport',
  'fbi-number',
  'state-sid',
  'agency-id',
  'other',
] as const;
export type PersonIdentifierType = (typeof PERSON_IDENTIFIER_TYPES)[number];

/** Identifier kinds that mean nothing without the state or country that issued them. */
export const NEEDS_JURISDICTION: readonly PersonIdentifierType[] = ['drivers-license', 'state-id', 'passport', 'state-sid'];

export const ORGANIZATION_TYPES = ['gang', 'ocg', 'business', 'other'] as const;
export type OrganizationType = (typeof ORGANIZATION_TYPES)[number];

export const ORGANIZATION_IDENTIFIER_TYPES = ['ein', 'business-registration', 'agency-id', 'other'] as const;
export type OrganizationIdentifierType = (typeof ORGANIZATION_IDENTIFIER_TYPES)[number];

/** A person's name in parts (NIEM nc:PersonName); every part is optional, e.g. for a street name only. */
export class PersonName {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  givenName?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  middleName?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  surname?: string;

  /** e.g. `Jr`, `III`. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(20)
  suffix?: string;
}

/** An identity document or record number for a person (NIEM nc:IdentificationType). */
export class PersonIdentifier {
  @IsIn(PERSON_IDENTIFIER_TYPES)
  type!: PersonIdentifierType;

  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  value!: string;

  /** Issuing state (USPS code, e.g. `TX`) or country (ISO 3166-1 alpha-3). Required for licences, state ids, passports and SIDs. */
  @ValidateIf((o: PersonIdentifier, value: unknown) => value !== undefined || NEEDS_JURISDICTION.includes(o.type))
  @IsString()
  @Matches(/^[A-Z]{2,3}$/, { message: 'jurisdiction must be a 2-letter state or 3-letter country code' })
  jurisdiction?: string;
}

/** A person as the sharing agencies know them (NIEM nc:Person). Every field is optional: suspects are often unnamed. */
export class Person {
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PersonName)
  name?: PersonName;

  /** Other names and street monikers. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(100, { each: true })
  aliases?: string[];

  @IsOptional()
  @IsCalendarDate()
  dateOfBirth?: string;

  @IsOptional()
  @IsIn(SEX_CODES)
  sex?: SexCode;

  @IsOptional()
  @IsIn(RACE_CODES)
  race?: RaceCode;

  @IsOptional()
  @IsIn(ETHNICITY_CODES)
  ethnicity?: EthnicityCode;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => PersonIdentifier)
  identifiers?: PersonIdentifier[];

  /** Physical description, clothing, distinguishing marks. */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}

/** A vehicle (NIEM nc:Vehicle; plate and VIN as NCIC writes them). */
export class Vehicle {
  /** Registration plate, letters and digits only (no spaces or dashes), as NCIC's LIC field. */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z0-9]{1,10}$/, { message: 'plate must be 1 to 10 upper-case letters or digits' })
  plate?: string;

  /** Issuing state or province of the plate, 2-letter code. */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z]{2}$/, { message: 'plateState must be a 2-letter code' })
  plateState?: string;

  /** Full (17 characters) or partial VIN; I, O and Q never occur in a VIN. */
  @IsOptional()
  @IsString()
  @Matches(/^[A-HJ-NPR-Z0-9]{1,17}$/, { message: 'vin must be up to 17 VIN characters (A-Z without I, O, Q; 0-9)' })
  vin?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  make?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  model?: string;

  /** Model year. */
  @IsOptional()
  @IsInt()
  @Min(1900)
  @Max(2100)
  year?: number;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  color?: string;

  /** Damage, stickers, aftermarket parts, partial-plate notes. */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}

/** A registration or record number for an organization. */
export class OrganizationIdentifier {
  @IsIn(ORGANIZATION_IDENTIFIER_TYPES)
  type!: OrganizationIdentifierType;

  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  value!: string;

  /** Issuing state (USPS code) or country (ISO 3166-1 alpha-3). */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z]{2,3}$/, { message: 'jurisdiction must be a 2-letter state or 3-letter country code' })
  jurisdiction?: string;
}

/** A gang, organized crime group (OCG), business or other organization (NIEM nc:Organization). */
export class Organization {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @IsIn(ORGANIZATION_TYPES)
  type!: OrganizationType;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(200, { each: true })
  aliases?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => OrganizationIdentifier)
  identifiers?: OrganizationIdentifier[];

  /** Territory, colours, known activity. */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}
