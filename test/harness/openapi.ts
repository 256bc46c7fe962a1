import { randomUUID } from 'node:crypto';

/** The parts of an OpenAPI 3 (or JSON Schema draft-07) schema the tests read. */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  example?: unknown;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  items?: Schema | Schema[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  required?: string[];
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

export interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** One operation of a document: its method, templated path and the names of its path parameters. */
export interface Route {
  method: string;
  path: string;
  op: Operation;
  params: string[];
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch']);

/** Every operation of `doc`. */
export function routesOf(doc: OpenApi): Route[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([method]) => METHODS.has(method))
      .map(([method, op]) => ({ method: method.toUpperCase(), path, op, params: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!) })),
  );
}

/** `schema` with a local `$ref` (`#/components/schemas/X` or `#/definitions/X`) followed, once per level. */
export function resolveSchema(
  schema: Schema,
  root: { components?: { schemas?: Record<string, Schema> }; definitions?: Record<string, Schema> },
): Schema {
  let current = schema;
  for (let hops = 0; current.$ref !== undefined && hops < 10; hops += 1) {
    const name = current.$ref.split('/').pop()!;
    current = root.components?.schemas?.[name] ?? root.definitions?.[name] ?? {};
  }
  return current;
}

/** A valid-looking value for a schema, from its example, enum, format or type. */
export function sample(schema: Schema, doc: OpenApi, uuidFor: (field: string) => string, field = ''): unknown {
  if (schema.$ref !== undefined) return sample(resolveSchema(schema, doc), doc, uuidFor, field);
  if (schema.allOf !== undefined) return Object.assign({}, ...schema.allOf.map((s) => sample(s, doc, uuidFor, field) as object)) as unknown;
  if (schema.format === 'uuid') return uuidFor(field);
  if (schema.example !== undefined) return schema.format === 'email' ? `${randomUUID().slice(0, 8)}@example.org` : schema.example;
  if (schema.enum !== undefined) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, s]) => [name, sample(s, doc, uuidFor, name)]));
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () =>
        sample(Array.isArray(schema.items) ? (schema.items[0] ?? {}) : (schema.items ?? {}), doc, uuidFor, field),
      );
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    default:
      if (schema.format === 'date-time') return new Date().toISOString();
      if (schema.format === 'email') return `${randomUUID().slice(0, 8)}@example.org`;
      return 'x'.repeat(Math.max(1, schema.minLength ?? 8));
  }
}
