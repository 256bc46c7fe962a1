import { Equals, IsIn, IsNotEmpty, IsObject, IsOptional, IsRFC3339, IsString, Matches, MaxLength } from 'class-validator';
import { EVENT_TYPES, type EventTypeName } from './event-types';
import { IsExistingTimestamp } from './payloads/common';
import { CAVEATS, MAX_TIMESTAMP_LENGTH, TLP_LEVELS, type Tlp } from './markings';

// No regex flags: the JSON Schemas carry patterns, and JSON Schema patterns have none.
const ZONED = /([Zz]|[+-]\d{2}:\d{2})$/;
const NO_WHITESPACE = /^\S+$/;
const ORI = '[A-Z]{2}[A-Z0-9]{7}';
/** An ORI (originating agency identifier): two letters for the state, then seven letters or digits. */
export const ORI_PATTERN = new RegExp(`^${ORI}$`);
/** The most agencies one TLP:RED event may name in `recipients`. */
export const MAX_RECIPIENTS = 50;
// The count limit lives in the repetition bound, so one pattern says everything (and a JSON Schema can carry it).
const RECIPIENT_LIST = new RegExp(`^${ORI}( ${ORI}){0,${MAX_RECIPIENTS - 1}}$`);
const CAVEAT_LIST = new RegExp(`^(${CAVEATS.map((c) => c.replace(/[+]/g, '\\+')).join('|')})( (${CAVEATS.join('|')}))*$`);

/**
 * The CloudEvents 1.0 envelope as Liaison accepts it: the core context attributes plus Liaison's
 * extension attributes. Extension names follow the CloudEvents naming rule (lower-case letters and
 * digits). Any attribute not declared here is rejected, because an unknown marking must never pass.
 */
export class CloudEventEnvelope {
  @Equals('1.0')
  specversion!: '1.0';

  /** Unique per source; with `source` it is the event's identity and the de-duplication key. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  @Matches(NO_WHITESPACE, { message: 'id must not contain whitespace' })
  id!: string;

  /** URI-reference naming the publishing system, e.g. `urn:liaison:agency:TX2270100:cad`. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  @Matches(NO_WHITESPACE, { message: 'source must be a URI-reference without whitespace' })
  source!: string;

  @IsIn(Object.keys(EVENT_TYPES), { message: 'type must be a registered Liaison event type' })
  type!: EventTypeName;

  /** The incident / report id. It is the Kafka key, so one subject's events stay in order. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  subject!: string;

  @MaxLength(MAX_TIMESTAMP_LENGTH)
  @IsRFC3339()
  @Matches(ZONED, { message: 'time must be an RFC 3339 time stamp with a zone' })
  @IsExistingTimestamp()
  time!: string;

  @IsOptional()
  @Equals('application/json')
  datacontenttype?: 'application/json';

  @IsOptional()
  @IsString()
  @MaxLength(512)
  dataschema?: string;

  /** TLP 2.0 label of the whole event. Required: an unmarked event is not shared. */
  @IsIn(TLP_LEVELS)
  tlp!: Tlp;

  /** Space-separated handling caveats, e.g. `LES CJI`. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(CAVEAT_LIST, { message: `caveats must be a space-separated list of ${CAVEATS.join(', ')}` })
  caveats?: string;

  /**
   * Which payload members hold personal data: space-separated JSON pointers into `data`, e.g.
   * `/involvedPersons /narrative`. Field rules and retention use it; it never widens sharing.
   */
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  @Matches(/^\/[^\s]*( \/[^\s]*)*$/, { message: 'personaldata must be space-separated JSON pointers into data, each starting with /' })
  personaldata?: string;

  /**
   * The agencies a TLP:RED event is addressed to, as space-separated ORIs (at most 50). TLP 2.0 RED
   * goes only to named recipients; the list names them. It never widens sharing beyond the policies.
   */
  @IsOptional()
  @IsString()
  @Matches(RECIPIENT_LIST, {
    message: `recipients must be 1 to ${MAX_RECIPIENTS} ORIs (two letters, seven letters or digits) separated by single spaces`,
  })
  recipients?: string;

  /** Publishing agency id. Set by the gateway from the caller's key; a mismatching value is refused. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  agency?: string;

  /** The publishing agency's feed the event belongs to (its id or name). */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { message: 'feed must be letters, digits, . _ -' })
  feed?: string;

  /** Time after which the event must no longer be shared or kept. */
  @IsOptional()
  @MaxLength(MAX_TIMESTAMP_LENGTH)
  @IsRFC3339()
  @Matches(ZONED, { message: 'expires must be an RFC 3339 time stamp with a zone' })
  @IsExistingTimestamp()
  expires?: string;

  /** 28 CFR 23.54-style review date: by then the record must be re-validated or purged. */
  @IsOptional()
  @MaxLength(MAX_TIMESTAMP_LENGTH)
  @IsRFC3339()
  @Matches(ZONED, { message: 'reviewby must be an RFC 3339 time stamp with a zone' })
  @IsExistingTimestamp()
  reviewby?: string;

  @IsOptional()
  @IsString()
  @MaxLength(128)
  correlationid?: string;

  /** W3C trace context (CloudEvents distributed-tracing extension). */
  @IsOptional()
  @IsString()
  @Matches(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/, { message: 'traceparent must be a W3C traceparent' })
  traceparent?: string;

  @IsOptional()
  @IsString()
  @MaxLength(512)
  tracestate?: string;

  @IsObject()
  data!: Record<string, unknown>;
}

/** The ORIs named in a `recipients` attribute, in order; none when it is absent. */
export function parseRecipients(recipients: string | null | undefined): string[] {
  return recipients === undefined || recipients === null || recipients === '' ? [] : recipients.split(' ');
}

/** A validated event: the envelope with its typed payload. */
export type LiaisonEvent<T extends EventTypeName = EventTypeName> = Omit<CloudEventEnvelope, 'data' | 'type'> & {
  type: T;
  data: InstanceType<(typeof EVENT_TYPES)[T]>;
};

/**
 * The envelope attributes that are not `data`, in the order they are written to Kafka headers. New
 * attributes go at the end, so the headers of events that do not use them stay as they were.
 */
export const ENVELOPE_ATTRIBUTES = [
  'specversion',
  'id',
  'source',
  'type',
  'subject',
  'time',
  'datacontenttype',
  'dataschema',
  'tlp',
  'caveats',
  'personaldata',
  'agency',
  'feed',
  'expires',
  'reviewby',
  'correlationid',
  'traceparent',
  'tracestate',
  'recipients',
] as const satisfies readonly (keyof CloudEventEnvelope)[];
