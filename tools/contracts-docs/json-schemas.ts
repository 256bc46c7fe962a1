/**
 * JSON Schemas (draft-07) generated from the class-validator payload classes of libs/contracts:
 * one per registered event type, plus the CloudEvents envelope. The classes stay the one source of
 * truth; this file only translates them, and refuses to translate a decorator it does not know.
 */
import 'reflect-metadata';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import {
  ARRAY_MAX_SIZE,
  ARRAY_MIN_SIZE,
  ARRAY_UNIQUE,
  EQUALS,
  getMetadataStorage,
  IS_ARRAY,
  IS_IN,
  IS_INT,
  IS_ISO8601,
  IS_LATITUDE,
  IS_LONGITUDE,
  IS_NOT_EMPTY,
  IS_NUMBER,
  IS_OBJECT,
  IS_RFC_3339,
  IS_STRING,
  IS_URL,
  MATCHES,
  MAX,
  MAX_LENGTH,
  MIN,
  ValidationTypes,
} from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { defaultConverters } from 'class-validator-jsonschema/build/defaultConverters';
import { defaultOptions } from 'class-validator-jsonschema/build/options';
import {
  CloudEventEnvelope,
  EVENT_TYPES,
  MAX_POLYGON_RINGS,
  MAX_RING_POSITIONS,
  NEEDS_JURISDICTION,
  type EventTypeName,
} from '@liaison/contracts';

export const SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';
export const ENVELOPE_SCHEMA_NAME = 'envelope';

export type JsonSchema = { [key: string]: JsonValue };
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

// validator.js isRFC3339, spelled out: JSON Schema has no flag-free `format` that matches it exactly
// (it allows a space separator, lower-case t/z and leap second 60, and does not check the calendar).
const RFC3339 =
  '^[0-9]{4}-(0[1-9]|1[0-2])-([12]\\d|0[1-9]|3[01])[ tT]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?([zZ]|[-+]([01][0-9]|2[0-3]):[0-5][0-9])$';
export const RFC3339_PATTERN = RFC3339;

/** What each schema cannot say that the validator checks: the schema is looser there. */
const LOOSER: Record<string, string> = {
  isLaterThan: 'must be later than the sibling named in its description; the validator checks it, this schema cannot',
  isPolygonRings: 'each ring must be closed (last position equal to the first); the validator checks it, this schema cannot',
  isExistingTimestamp: 'the day and time must exist (no February 30); the validator checks it, this schema cannot',
  isUrl: 'the validator also checks the host (a domain with a TLD or an IP address); this schema only checks https://',
};

type Converter = (meta: ValidationMetadata) => JsonSchema;

/** Decorators class-validator-jsonschema does not know, or translates differently from how Liaison uses them. */
const CONVERTERS: Record<string, Converter> = {
  [MATCHES]: (meta) => {
    const pattern = meta.constraints?.[0] as RegExp | string;
    if (pattern instanceof RegExp && pattern.flags !== '') {
      throw new Error(
        `${className(meta)}.${meta.propertyName}: pattern /${pattern.source}/${pattern.flags} has flags, which JSON Schema cannot carry`,
      );
    }
    if (meta.constraints?.[1] !== undefined)
      throw new Error(`${className(meta)}.${meta.propertyName}: Matches modifiers cannot be carried`);
    return { type: 'string', pattern: pattern instanceof RegExp ? pattern.source : pattern };
  },
  [IS_RFC_3339]: () => ({ type: 'string', pattern: RFC3339, description: 'RFC 3339 date-time with a time zone' }),
  // Liaison uses IsISO8601 only inside IsCalendarDate, beside a YYYY-MM-DD pattern: a real calendar date.
  [IS_ISO8601]: () => ({ type: 'string', format: 'date' }),
  [IS_LATITUDE]: () => ({ type: 'number', minimum: -90, maximum: 90 }),
  [IS_LONGITUDE]: () => ({ type: 'number', minimum: -180, maximum: 180 }),
  [IS_URL]: (meta) => {
    const options = (meta.constraints?.[0] ?? {}) as { protocols?: string[] };
    const protocols = options.protocols ?? ['http', 'https', 'ftp'];
    return { type: 'string', pattern: `^(${protocols.join('|')})://\\S+$`, $comment: LOOSER['isUrl'] } as JsonSchema;
  },
  isLaterThan: (meta) => {
    const other = String(meta.constraints?.[0]);
    return { $comment: LOOSER['isLaterThan']!.replace('the sibling named in its description', other) };
  },
  isExistingTimestamp: () => ({ $comment: LOOSER['isExistingTimestamp']! }),
  isPolygonRings: () =>
    ({
      type: 'array',
      items: {
        type: 'array',
        minItems: 4,
        maxItems: MAX_RING_POSITIONS,
        items: {
          type: 'array',
          description: '[lon, lat]',
          items: [
            { type: 'number', minimum: -180, maximum: 180 },
            { type: 'number', minimum: -90, maximum: 90 },
          ],
          minItems: 2,
          maxItems: 2,
          additionalItems: false,
        },
      },
      maxItems: MAX_POLYGON_RINGS,
      $comment: LOOSER['isPolygonRings'],
    }) as unknown as JsonSchema,
  hasAnySubject: () => ({
    description: 'names at least one person, vehicle, organization or location',
    anyOf: ['persons', 'vehicles', 'organizations', 'locations'].map((list) => ({
      type: 'object',
      required: [list],
      // Only the constraint: the list's own schema (type, items, maxItems) is the property's.
      properties: { [list]: { minItems: 1 } },
    })),
  }),
};

/**
 * Conditional requirements the classes state with ValidateIf, which is a function the generator
 * cannot read. Each is written here once, keyed `Class.property`; a ValidateIf without an entry
 * stops generation, so a new one cannot slip into the docs unstated.
 */
const VALIDATE_IF: Record<string, JsonSchema> = {
  'PersonIdentifier.jurisdiction': {
    if: { required: ['type'], properties: { type: { enum: [...NEEDS_JURISDICTION] } } },
    then: { required: ['jurisdiction'] },
  },
  'IntelGrading.handlingConditions': {
    if: { required: ['handlingCode'], properties: { handlingCode: { enum: ['C'] } } },
    then: { required: ['handlingConditions'] },
  },
};

/** Validation types that are translated by class-validator-jsonschema's own converters as Liaison uses them. */
const KNOWN_DEFAULTS = new Set<string>([
  ValidationTypes.NESTED_VALIDATION,
  ValidationTypes.CONDITIONAL_VALIDATION,
  ValidationTypes.IS_DEFINED,
  EQUALS,
  IS_IN,
  IS_NOT_EMPTY,
  IS_STRING,
  IS_NUMBER,
  IS_INT,
  IS_ARRAY,
  IS_OBJECT,
  MIN,
  MAX,
  MAX_LENGTH,
  ARRAY_MIN_SIZE,
  ARRAY_MAX_SIZE,
  ARRAY_UNIQUE,
]);

/** Every schema this generator writes, by file name without `.json`: `envelope` and one per event type. */
export function generateSchemas(): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  out[ENVELOPE_SCHEMA_NAME] = document(CloudEventEnvelope, {
    title: 'Liaison CloudEvents envelope',
    description:
      'The CloudEvents 1.0 context attributes and Liaison extensions of every event, as sent in structured mode. On Kafka (binary mode) each attribute but data is a ce_<name> header; data is the record value.',
  });
  const envelopeType = (out[ENVELOPE_SCHEMA_NAME]['properties'] as JsonSchema)['type'] as JsonSchema;
  envelopeType['enum'] = Object.keys(EVENT_TYPES).sort();
  for (const type of Object.keys(EVENT_TYPES).sort() as EventTypeName[]) {
    out[type] = document(EVENT_TYPES[type], { title: type, description: `The data (payload) of a ${type} event.` });
  }
  return out;
}

/** The file names and content this generator writes under docs/schemas, keys sorted, one trailing newline. */
export function renderSchemas(schemas: Record<string, JsonSchema>): Record<string, string> {
  return Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [`${name}.json`, `${stableStringify(schema)}\n`]));
}

/** JSON with object keys sorted at every depth (arrays keep their order), indented by two spaces. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

type Class = abstract new () => unknown;

/** A standalone schema: the root class inlined, every class it reaches under `definitions`. */
function document(root: Class, head: { title: string; description: string }): JsonSchema {
  const definitions = new Map<string, JsonSchema>();
  const pending: Class[] = [];
  const refTo = (cls: Class): JsonSchema => {
    if (cls !== root && !definitions.has(cls.name) && !pending.includes(cls)) pending.push(cls);
    return { $ref: `#/definitions/${cls.name}` };
  };
  const rootSchema = classSchema(root, refTo);
  for (let cls = pending.shift(); cls !== undefined; cls = pending.shift()) {
    if (definitions.has(cls.name)) continue;
    definitions.set(cls.name, classSchema(cls, refTo));
  }
  const doc: JsonSchema = { $schema: SCHEMA_DIALECT, ...head, ...rootSchema };
  if (definitions.size > 0) doc['definitions'] = Object.fromEntries([...definitions.entries()].sort(([a], [b]) => a.localeCompare(b)));
  const looser = [...new Set(collect(doc, '$comment'))].sort();
  if (looser.length > 0) doc['$comment'] = `Looser than the validator: ${looser.join('; ')}.`;
  return doc;
}

/** One class as a closed object schema: properties from its (and its parents') decorators, nullable where optional. */
function classSchema(cls: Class, refTo: (cls: Class) => JsonSchema): JsonSchema {
  const storage = getMetadataStorage();
  const metas = storage.getTargetValidationMetadatas(cls, '', true, false);
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const meta of metas) byProperty.set(meta.propertyName, [...(byProperty.get(meta.propertyName) ?? []), meta]);
  const properties: JsonSchema = {};
  const required: string[] = [];
  const rules: JsonSchema[] = [];
  for (const [property, propertyMetas] of byProperty) {
    const isOptional = propertyMetas.some((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION && m.name === 'isOptional');
    const validateIf = propertyMetas.some((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION && m.name !== 'isOptional');
    const fragments = propertyMetas
      .filter((m) => m.type !== ValidationTypes.CONDITIONAL_VALIDATION)
      .map((m) => {
        const fragment = convert(storage, cls, m, refTo);
        return m.each ? { type: 'array', items: fragment } : fragment;
      });
    let schema = finish(mergeAll(`${cls.name}.${property}`, fragments));
    // class-validator's IsOptional skips every check for null as for undefined, so null is accepted.
    if (isOptional) schema = nullable(schema);
    properties[property] = schema;
    if (validateIf) {
      const rule = VALIDATE_IF[`${cls.name}.${property}`];
      if (rule === undefined) throw new Error(`${cls.name}.${property}: ValidateIf has no JSON Schema rule; add one to VALIDATE_IF`);
      rules.push(rule);
    } else if (!isOptional) {
      required.push(property);
    }
  }
  const out: JsonSchema = { type: 'object', additionalProperties: false, properties };
  if (required.length > 0) out['required'] = required.sort();
  if (rules.length === 1) Object.assign(out, rules[0]);
  else if (rules.length > 1) out['allOf'] = rules;
  return out;
}

function convert(storage: Storage, cls: Class, meta: ValidationMetadata, refTo: (cls: Class) => JsonSchema): JsonSchema {
  const type = metaType(storage, meta);
  const where = `${cls.name}.${meta.propertyName}`;
  if (type === ValidationTypes.NESTED_VALIDATION) {
    const typeMeta = defaultMetadataStorage.findTypeMetadata(meta.target as new () => unknown, meta.propertyName);
    if (typeMeta === undefined) throw new Error(`${where}: ValidateNested without @Type`);
    return refTo(typeMeta.typeFunction() as Class);
  }
  if (type === ValidationTypes.IS_DEFINED) return { 'x-defined': true };
  const mine = CONVERTERS[type];
  if (mine !== undefined) return mine(meta);
  const theirs = KNOWN_DEFAULTS.has(type) ? defaultConverters[type] : undefined;
  if (theirs === undefined) throw new Error(`${where}: no JSON Schema rule for the decorator ${type}; add one to tools/contracts-docs`);
  const fragment = typeof theirs === 'function' ? theirs(meta, CONVERTER_OPTIONS) : theirs;
  if (fragment === undefined) throw new Error(`${where}: ${type} gave no schema`);
  return JSON.parse(JSON.stringify(fragment)) as JsonSchema;
}

const CONVERTER_OPTIONS = { ...defaultOptions, refPointerPrefix: '#/definitions/' };

const LOWER_BOUNDS = new Set(['minimum', 'minLength', 'minItems']);
const UPPER_BOUNDS = new Set(['maximum', 'maxLength', 'maxItems']);

/**
 * Merges the schema fragments of one property's decorators. Every keyword is combined by what both
 * decorators demand (the tighter bound, the narrower type, every pattern); anything else that
 * disagrees stops generation rather than letting one decorator silently win.
 */
function mergeAll(where: string, fragments: JsonSchema[]): JsonSchema {
  const out: JsonSchema = {};
  const patterns: string[] = [];
  for (const fragment of fragments) {
    for (const [key, value] of Object.entries(fragment)) {
      const current = out[key];
      if (key === 'pattern') {
        if (!patterns.includes(value as string)) patterns.push(value as string);
      } else if (current === undefined) {
        out[key] = value;
      } else if (key === 'type') {
        if (current !== value) {
          const pair = new Set([current, value]);
          if (pair.has('integer') && pair.has('number')) out[key] = 'integer';
          else throw new Error(`${where}: decorators disagree on the type (${JSON.stringify(current)} / ${JSON.stringify(value)})`);
        }
      } else if (LOWER_BOUNDS.has(key)) {
        out[key] = Math.max(current as number, value as number);
      } else if (UPPER_BOUNDS.has(key)) {
        out[key] = Math.min(current as number, value as number);
      } else if (key === 'items') {
        out[key] = mergeAll(`${where}[]`, [current as JsonSchema, value as JsonSchema]);
      } else if (key === '$comment' || key === 'description') {
        if (current !== value) out[key] = `${current as string}; ${value as string}`;
      } else if (stableStringify(current) !== stableStringify(value)) {
        throw new Error(`${where}: decorators disagree on ${key}`);
      }
    }
  }
  // RFC 3339 already demands a zone, so the zone pattern beside it adds nothing.
  const kept = patterns.includes(RFC3339) ? patterns.filter((p) => p === RFC3339 || !IMPLIED_BY_RFC3339.includes(p)) : patterns;
  if (kept.length === 1) out['pattern'] = kept[0]!;
  else if (kept.length > 1) out['allOf'] = kept.map((pattern) => ({ pattern }));
  return out;
}

const IMPLIED_BY_RFC3339 = ['([Zz]|[+-]\\d{2}:\\d{2})$'];

/** Drops IsDefined's marker (every schema it sits on already excludes null) and keeps `$ref` free of siblings. */
function finish(schema: JsonSchema): JsonSchema {
  const rest = { ...schema };
  delete rest['x-defined'];
  const items = rest['items'];
  if (typeof items === 'object' && items !== null && !Array.isArray(items)) rest['items'] = finish(items);
  if (typeof rest['$ref'] !== 'string') return rest;
  // IsObject beside ValidateNested says again what the referenced class schema says (type object).
  if (rest['type'] === 'object') delete rest['type'];
  const { $ref, ...constraints } = rest;
  if (Object.keys(constraints).length === 0) return { $ref };
  // In draft-07 a `$ref` ignores its siblings: keep the constraints beside it in allOf.
  const { description, $comment, ...checks } = constraints;
  const wrapped: JsonSchema = { allOf: [{ $ref }, ...(Object.keys(checks).length > 0 ? [checks] : [])] };
  if (description !== undefined) wrapped['description'] = description;
  if ($comment !== undefined) wrapped['$comment'] = $comment;
  return wrapped;
}

function nullable(schema: JsonSchema): JsonSchema {
  const type = schema['type'];
  if (typeof type === 'string' && schema['allOf'] === undefined && schema['anyOf'] === undefined) {
    const out: JsonSchema = { ...schema, type: [type, 'null'] };
    if (Array.isArray(schema['enum'])) out['enum'] = [...schema['enum'], null];
    return out;
  }
  const { description, $comment, ...rest } = schema;
  const out: JsonSchema = { anyOf: [rest, { type: 'null' }] };
  if (description !== undefined) out['description'] = description;
  if ($comment !== undefined) out['$comment'] = $comment;
  return out;
}

function collect(value: JsonValue, key: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => collect(v, key));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => (k === key && typeof v === 'string' ? [v] : collect(v, key)));
}

type Storage = ReturnType<typeof getMetadataStorage>;

function metaType(storage: Storage, meta: ValidationMetadata): string {
  if (meta.constraintCls !== undefined) {
    const constraint = storage.getTargetValidatorConstraints(meta.constraintCls)[0];
    if (constraint?.name !== undefined) return constraint.name;
  }
  return meta.type;
}

function className(meta: ValidationMetadata): string {
  return (meta.target as { name?: string }).name ?? String(meta.target);
}
