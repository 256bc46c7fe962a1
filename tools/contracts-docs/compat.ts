/**
 * Compatibility of two versions of one JSON Schema within one contract version. Within a version
 * only additive, optional changes are allowed: a new optional property, a new enum value, a looser
 * limit, new documentation. Everything else is reported, so it must become a new version instead.
 */
import type { JsonSchema, JsonValue } from './json-schemas';

/** Keywords that only document; changing them never breaks anyone. */
const ANNOTATIONS = new Set(['$schema', '$comment', 'title', 'description', 'examples', 'default', 'definitions', '$id']);
const LOWER = new Set(['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties']);
const UPPER = new Set(['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties']);
/** Lists of subschemas compared member by member. */
const SUBSCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);

/**
 * Every breaking change from `before` to `after`, each as `<JSON pointer>: <what>`; empty when the
 * change is additive. `$ref`s to `#/definitions/…` are followed in each document.
 */
export function breakingChanges(before: JsonSchema, after: JsonSchema): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const walk = (oldRaw: JsonSchema, newRaw: JsonSchema, at: string): void => {
    const pair = `${refOf(oldRaw) ?? at}|${refOf(newRaw) ?? at}`;
    if (refOf(oldRaw) !== undefined && seen.has(pair)) return;
    seen.add(pair);
    const o = resolve(before, oldRaw);
    const n = resolve(after, newRaw);
    const report = (what: string): void => {
      found.push(`${at || '/'}: ${what}`);
    };

    const oldTypes = typesOf(o);
    const newTypes = typesOf(n);
    if (oldTypes.join() !== newTypes.join()) report(`type changed from ${oldTypes.join('|') || 'any'} to ${newTypes.join('|') || 'any'}`);

    const oldProps = (o['properties'] ?? {}) as Record<string, JsonSchema>;
    const newProps = (n['properties'] ?? {}) as Record<string, JsonSchema>;
    for (const name of Object.keys(oldProps).sort()) {
      if (newProps[name] === undefined) report(`property ${name} removed`);
      else walk(oldProps[name]!, newProps[name], `${at}/properties/${escape(name)}`);
    }
    const oldRequired = new Set((o['required'] ?? []) as string[]);
    for (const name of ((n['required'] ?? []) as string[]).slice().sort()) {
      if (oldRequired.has(name)) continue;
      report(oldProps[name] !== undefined ? `property ${name} changed from optional to required` : `new required property ${name}`);
    }
    if (o['additionalProperties'] !== false && n['additionalProperties'] === false) report('additional properties no longer allowed');

    if (Array.isArray(o['enum']) || Array.isArray(n['enum'])) {
      if (!Array.isArray(n['enum'])) {
        // An enum dropped: every value is now allowed (looser).
      } else if (!Array.isArray(o['enum'])) {
        report('values restricted to an enum');
      } else {
        const kept = new Set(n['enum'].map((v) => JSON.stringify(v)));
        for (const value of o['enum']) if (!kept.has(JSON.stringify(value))) report(`enum value ${JSON.stringify(value)} removed`);
      }
    }

    for (const key of new Set([...Object.keys(o), ...Object.keys(n)])) {
      const [ov, nv] = [o[key], n[key]];
      if (ANNOTATIONS.has(key) || ['type', 'properties', 'required', 'additionalProperties', 'enum', '$ref'].includes(key)) continue;
      if (LOWER.has(key)) {
        if (nv !== undefined && (ov === undefined || (nv as number) > (ov as number)))
          report(`${key} narrowed from ${JSON.stringify(ov ?? 'none')} to ${JSON.stringify(nv)}`);
      } else if (UPPER.has(key)) {
        if (nv !== undefined && (ov === undefined || (nv as number) < (ov as number)))
          report(`${key} narrowed from ${JSON.stringify(ov ?? 'none')} to ${JSON.stringify(nv)}`);
      } else if (key === 'pattern' || key === 'format' || key === 'const') {
        // A new or different pattern may refuse what the old one allowed; a removed one only loosens.
        if (nv !== undefined && ov !== nv) report(`${key} changed from ${JSON.stringify(ov ?? null)} to ${JSON.stringify(nv)}`);
      } else if (key === 'uniqueItems') {
        if (nv === true && ov !== true) report('items must now be unique');
      } else if (key === 'items') {
        if (isSchema(ov) && isSchema(nv)) walk(ov, nv, `${at}/items`);
        else if (Array.isArray(ov) && Array.isArray(nv) && ov.length === nv.length) {
          ov.forEach((item, i) => walk(item as JsonSchema, nv[i] as JsonSchema, `${at}/items/${i}`));
        } else if (nv !== undefined && stable(ov) !== stable(nv)) report('items changed shape');
      } else if (SUBSCHEMA_LISTS.has(key) && Array.isArray(ov) && Array.isArray(nv) && ov.length === nv.length) {
        ov.forEach((item, i) => walk(item as JsonSchema, nv[i] as JsonSchema, `${at}/${key}/${i}`));
      } else if (nv !== undefined && stable(ov) !== stable(nv)) {
        // if/then, not, additionalItems, a changed composition…: not provably additive.
        report(`${key} changed`);
      }
    }
  };
  walk(before, after, '');
  return found;
}

/**
 * Breaking changes across sets of schemas keyed by file name: a schema that disappeared is a
 * breaking change too; a new file (a new event type) is additive.
 */
export function breakingChangesAcross(before: Record<string, JsonSchema>, after: Record<string, JsonSchema>): string[] {
  const found: string[] = [];
  for (const name of Object.keys(before).sort()) {
    const next = after[name];
    if (next === undefined) found.push(`${name}: schema removed (an event type left the registry within its version)`);
    else found.push(...breakingChanges(before[name]!, next).map((change) => `${name}#${change}`));
  }
  return found;
}

function resolve(doc: JsonSchema, schema: JsonSchema): JsonSchema {
  let current = schema;
  for (let hops = 0; typeof current['$ref'] === 'string'; hops += 1) {
    const ref = current['$ref'];
    if (hops > 20 || !ref.startsWith('#/definitions/')) throw new Error(`cannot follow $ref ${ref}`);
    const target = (doc['definitions'] as Record<string, JsonSchema> | undefined)?.[ref.slice('#/definitions/'.length)];
    if (target === undefined) throw new Error(`dangling $ref ${ref}`);
    current = target;
  }
  return current;
}

function refOf(schema: JsonSchema): string | undefined {
  return typeof schema['$ref'] === 'string' ? schema['$ref'] : undefined;
}

function typesOf(schema: JsonSchema): string[] {
  const type = schema['type'];
  if (type === undefined) return [];
  return (Array.isArray(type) ? type : [type]).map((t) => JSON.stringify(t)).sort();
}

function isSchema(value: JsonValue | undefined): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stable(value: JsonValue | undefined): string {
  return JSON.stringify(value ?? null, (_k, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

function escape(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}
