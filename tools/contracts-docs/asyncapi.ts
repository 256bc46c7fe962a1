/**
 * The AsyncAPI 3.0 document of Liaison's Kafka topics, built from the same code the services run:
 * topic names from libs/contracts topics.ts, headers from the CloudEvents binding and the envelope
 * schema, dead-letter headers from libs/messaging. Payloads point at the generated JSON Schemas.
 */
import { stringify } from 'yaml';
import { CONTENT_TYPE_HEADER, ENVELOPE_ATTRIBUTES, EVENT_FAMILIES, EVENT_TYPES, topicNames, type EventTypeName } from '@liaison/contracts';
import { DEAD_LETTER_HEADERS } from '@liaison/messaging';
import { SCHEMA_DIALECT, type JsonSchema } from './json-schemas';

export const ASYNCAPI_FILE = 'asyncapi.yaml';
/** Where the payload schemas are, relative to docs/asyncapi.yaml. */
export const SCHEMAS_DIR = 'schemas';
const KAFKA_BINDING_VERSION = '0.5.0';
const CE_PREFIX = 'ce_';
const SCHEMA_FORMAT = 'application/schema+json;version=draft-07';
if (!SCHEMA_DIALECT.includes('draft-07')) throw new Error('SCHEMA_FORMAT must follow SCHEMA_DIALECT');

const REQUIRED_ATTRIBUTES = ['specversion', 'id', 'source', 'type', 'subject', 'time', 'tlp'];

const FAMILY_SUMMARY: Record<keyof typeof EVENT_FAMILIES, string> = {
  incident: 'An incident (NIEM nc:Incident) as reported, updated or closed by the owning agency.',
  intel: 'A graded criminal intelligence report (28 CFR Part 23), published, updated or retracted.',
  alert: 'A BOLO or officer-safety alert (CAP 1.2 ideas), issued, updated or cancelled.',
  sensor: 'A real-time crime center sensor detection: ALPR hit, gunshot detection, camera analytic.',
};

/** The AsyncAPI document as a plain object. `envelope` is the generated envelope JSON Schema. */
export function buildAsyncApi(envelope: JsonSchema): JsonSchema {
  const topics = topicNames('{namespace}');
  const types = Object.keys(EVENT_TYPES).sort() as EventTypeName[];
  // Both event channels carry the same messages; AsyncAPI 3 wants each channel to list its own.
  const messageRefs = (): JsonSchema => Object.fromEntries(types.map((t) => [t, { $ref: `#/components/messages/${t}` }]));
  const operationMessages = (channel: string): JsonSchema[] => types.map((t) => ({ $ref: `#/channels/${channel}/messages/${t}` }));

  const channels: JsonSchema = {
    ingest: {
      address: topics.ingest,
      title: 'Ingest',
      description:
        'Every event the gateway accepted, validated against its contract, with `agency` stamped from the publishing key. Written with acks=all by an idempotent producer.',
      parameters: { namespace: { $ref: '#/components/parameters/namespace' } },
      messages: messageRefs(),
    },
    delivery: {
      address: topics.delivery('{agencyId}'),
      title: 'Per-agency delivery',
      description:
        "One agency's entitled copies, after its grantors' policies. One topic per agency, so read access can be granted per agency. The grantor's field rules may have removed members from a copy (redacted fields, a dropped narrative), even members the payload schema requires, and coarsened its coordinates: a consumer of this channel must accept a payload that lacks required members. Every member that is present conforms to the schema, and `ce_personaldata` names only what the copy still holds.",
      parameters: {
        namespace: { $ref: '#/components/parameters/namespace' },
        agencyId: { $ref: '#/components/parameters/agencyId' },
      },
      messages: messageRefs(),
    },
    deadLetter: {
      address: topics.deadLetter,
      title: 'Dead letters',
      description:
        'Records a consumer could not decode or validate. Key, value and headers are the original ones, plus liaison-dlq-* headers saying where the record came from and why it was given up.',
      parameters: { namespace: { $ref: '#/components/parameters/namespace' } },
      messages: { deadLetter: { $ref: '#/components/messages/deadLetter' } },
    },
  };

  const operations: JsonSchema = {
    publishIngest: {
      action: 'send',
      title: 'Gateway publishes accepted events',
      channel: { $ref: '#/channels/ingest' },
      messages: operationMessages('ingest'),
    },
    routeIngest: {
      action: 'receive',
      title: 'Router reads accepted events (consumer group <namespace>.router)',
      channel: { $ref: '#/channels/ingest' },
      messages: operationMessages('ingest'),
    },
    publishDelivery: {
      action: 'send',
      title: "Router writes each entitled recipient's copy",
      channel: { $ref: '#/channels/delivery' },
      messages: operationMessages('delivery'),
    },
    receiveDelivery: {
      action: 'receive',
      title: "Delivery service and the agency's own consumers read its copies",
      channel: { $ref: '#/channels/delivery' },
      messages: operationMessages('delivery'),
    },
    receiveDeadLetter: {
      action: 'receive',
      title: 'Operators inspect dead letters',
      channel: { $ref: '#/channels/deadLetter' },
      messages: [{ $ref: '#/channels/deadLetter/messages/deadLetter' }],
    },
  };

  const messages: JsonSchema = {};
  for (const type of types) {
    const family = (Object.keys(EVENT_FAMILIES) as (keyof typeof EVENT_FAMILIES)[]).find((f) =>
      (EVENT_FAMILIES[f] as readonly string[]).includes(type),
    )!;
    messages[type] = {
      name: type,
      title: type,
      summary: FAMILY_SUMMARY[family],
      contentType: 'application/json',
      headers: {
        allOf: [
          { $ref: '#/components/schemas/cloudEventsBinaryHeaders' },
          { type: 'object', required: [`${CE_PREFIX}type`], properties: { [`${CE_PREFIX}type`]: { type: 'string', const: type } } },
        ],
      },
      payload: { schemaFormat: SCHEMA_FORMAT, schema: { $ref: `./${SCHEMAS_DIR}/${type}.json` } },
      correlationId: { $ref: '#/components/correlationIds/subject' },
      bindings: { kafka: { key: { $ref: '#/components/schemas/subjectKey' }, bindingVersion: KAFKA_BINDING_VERSION } },
    };
  }
  messages['deadLetter'] = {
    name: 'dead-letter',
    title: 'Dead letter',
    summary: 'A record some consumer gave up on, kept byte for byte with the reason.',
    contentType: 'application/octet-stream',
    headers: deadLetterHeaders(),
    payload: { description: 'The original record value, unchanged (it may not be JSON; empty for a tombstone).' },
    bindings: {
      kafka: {
        key: { type: 'string', description: 'The original key, or <topic>/<partition>/<offset> when the original had none.' },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
  };

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Liaison event backbone',
      version: '1.0.0',
      description: [
        'Kafka topics and messages of Liaison. Every event is a CloudEvents 1.0 event in the Kafka protocol binding, binary mode:',
        'each context attribute is a `ce_<name>` header (UTF-8 string), `datacontenttype` is the `content-type` header, and `data`',
        'is the record value as JSON. The record key is the CloudEvents `subject`, so one incident keeps its order on every topic.',
        '',
        `Payload schemas are JSON Schema draft-07 files under \`${SCHEMAS_DIR}/\`, generated from the validating classes in`,
        '`libs/contracts` (`npm run docs`). Within a version (a `.v1` topic, a `.v1` event type) changes are additive and',
        'optional only; anything else is a new version.',
      ].join('\n'),
      license: { name: 'Apache-2.0' },
    },
    defaultContentType: 'application/json',
    servers: {
      kafka: {
        host: '{bootstrap}',
        protocol: 'kafka',
        description: 'The Kafka cluster of a Liaison deployment.',
        variables: { bootstrap: { default: '127.0.0.1:19092', description: 'host:port of a bootstrap broker (KAFKA_BROKERS)' } },
      },
    },
    channels,
    operations,
    components: {
      parameters: {
        namespace: {
          default: 'liaison',
          description: 'LIAISON_TOPIC_NAMESPACE of the deployment; lets several deployments share one cluster.',
        },
        agencyId: { description: "The recipient agency's id (a UUID, as the admin API returns it)." },
      },
      correlationIds: {
        subject: {
          description: 'The CloudEvents subject (incident or report id): every event about one subject shares it.',
          location: `$message.header#/${CE_PREFIX}subject`,
        },
      },
      schemas: {
        subjectKey: {
          type: 'string',
          minLength: 1,
          maxLength: 256,
          description: 'The record key: the CloudEvents subject (equal to the ce_subject header).',
        },
        cloudEventsBinaryHeaders: binaryHeaders(envelope),
      },
      messages,
    },
  };
}

/** The YAML text written to docs/asyncapi.yaml. */
export function renderAsyncApi(doc: JsonSchema): string {
  return `# Generated by \`npm run docs\` from libs/contracts; do not edit by hand.\n${stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}

/** One `ce_` header per envelope attribute (what the binding writes), with the attribute's schema minus null. */
function binaryHeaders(envelope: JsonSchema): JsonSchema {
  const attributes = envelope['properties'] as Record<string, JsonSchema>;
  const properties: JsonSchema = {
    [CONTENT_TYPE_HEADER]: { type: 'string', const: 'application/json', description: 'The CloudEvents datacontenttype.' },
  };
  for (const name of ENVELOPE_ATTRIBUTES) {
    if (name === 'datacontenttype') continue;
    const schema = attributes[name];
    if (schema === undefined) throw new Error(`envelope schema has no attribute ${name}`);
    properties[`${CE_PREFIX}${name}`] = withoutNull(schema);
  }
  return {
    type: 'object',
    description:
      'CloudEvents Kafka binding, binary mode: every context attribute as a ce_<name> header. An absent optional attribute has no header. Other headers (e.g. tracing) may be present and are not part of the event.',
    required: [CONTENT_TYPE_HEADER, ...REQUIRED_ATTRIBUTES.map((a) => `${CE_PREFIX}${a}`)],
    properties,
  };
}

function deadLetterHeaders(): JsonSchema {
  const descriptions: Record<keyof typeof DEAD_LETTER_HEADERS, string> = {
    reason: 'Why the record was given up (at most 2000 characters).',
    topic: 'The topic the record was read from.',
    partition: 'Its partition (decimal).',
    offset: 'Its offset (decimal).',
    consumer: 'The consumer that gave up on it.',
    at: 'When, as an ISO 8601 UTC time stamp.',
  };
  const properties: JsonSchema = {};
  for (const [key, header] of Object.entries(DEAD_LETTER_HEADERS) as [keyof typeof DEAD_LETTER_HEADERS, string][]) {
    properties[header] = { type: 'string', description: descriptions[key] };
  }
  return {
    type: 'object',
    description: 'The original record headers (for an event, its ce_* headers and content-type), plus these.',
    required: Object.values(DEAD_LETTER_HEADERS),
    properties,
  };
}

function withoutNull(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...schema };
  if (Array.isArray(out['type'])) {
    const types = out['type'].filter((t) => t !== 'null');
    out['type'] = types.length === 1 ? types[0]! : types;
  }
  if (Array.isArray(out['enum'])) out['enum'] = out['enum'].filter((v) => v !== null);
  return out;
}
