import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Where the committed contract schemas are, from a compiled file anywhere under dist/. */
function schemasDir(): string {
  // dist/libs/http/src → the repository (or image) root, which holds docs/schemas.
  return join(__dirname, '..', '..', '..', '..', 'docs', 'schemas');
}

function rewriteRefs(value: Json, prefix: string): Json {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, prefix));
  if (value === null || typeof value !== 'object') return value;
  const out: { [key: string]: Json } = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === '$schema' || key === 'definitions') continue;
    out[key] =
      key === '$ref' && typeof inner === 'string'
        ? inner.replace('#/definitions/', `#/components/schemas/${prefix}.`)
        : rewriteRefs(inner, prefix);
  }
  return out;
}

/**
 * The CloudEvent schemas for an OpenAPI 3.1 document: `CloudEvent` (the envelope, with `data`
 * chosen by `type`) and one component per payload, taken from the JSON Schemas in docs/schemas —
 * generated from the validating classes of libs/contracts and checked against them in CI
 * (`npm run docs:check`), so the document describes exactly what the gateway validates.
 */
export function cloudEventSchemas(): Record<string, Json> {
  const dir = schemasDir();
  const components: Record<string, Json> = {};
  const read = (name: string) => JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as { [key: string]: Json };
  const envelope = rewriteRefs(read('envelope'), 'envelope') as { [key: string]: Json };
  const envelopeProperties = envelope['properties'] as { [key: string]: Json };
  const events: Json[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'envelope.json')
    .sort()) {
    const name = file.slice(0, -'.json'.length);
    const schema = read(name);
    const definitions = (schema['definitions'] ?? {}) as { [key: string]: Json };
    for (const [def, body] of Object.entries(definitions)) components[`${name}.${def}`] = rewriteRefs(body, name);
    components[name] = rewriteRefs(schema, name);
    // One complete event schema per type: the envelope with `type` fixed and `data` that type's payload.
    components[`${name}.event`] = {
      ...envelope,
      title: name,
      description: `A ${name} event (structured mode).`,
      properties: { ...envelopeProperties, type: { const: name }, data: { $ref: `#/components/schemas/${name}` } },
    };
    events.push({ $ref: `#/components/schemas/${name}.event` });
  }
  components['CloudEvent'] = {
    description: 'A Liaison CloudEvent (structured mode): the envelope attributes, and the data its `type` names.',
    oneOf: events,
  };
  return components;
}
