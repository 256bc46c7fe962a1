/**
 * The OpenAPI documents of admin, gateway and delivery, fetched from the running services, walked
 * in full: every request body and parameter is described, every string is bounded (maxLength, an
 * enum, or an anchored pattern with bounded repetition) and every array has maxItems; every 2xx
 * answer has a described body (204 aside); every operation declares 429 with Retry-After, secured
 * ones 401 and 403, and those whose path names an object 404. Then the bounds are shown to be
 * enforced: admin bodies with every bounded member one past its bound are refused with 400,
 * naming each such member.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { request, startStack, type TestStack } from '@liaison/testing';

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  maxProperties?: number;
  items?: Schema | Schema[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  maxLength?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  nullable?: boolean;
};
interface Operation {
  parameters?: { name: string; in: string; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }>; headers?: Record<string, unknown> }>;
  security?: unknown[];
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** An anchored pattern whose every repetition is bounded (no *, +, or {n,}): it bounds the length. */
function boundedPattern(pattern: string | undefined): boolean {
  if (pattern === undefined || !pattern.startsWith('^') || !pattern.endsWith('$')) return false;
  const unescaped = pattern.replace(/\\./g, 'x');
  return !/[*+]|\{\d+,\}/.test(unescaped);
}

function resolve(doc: Document, schema: Schema): Schema {
  if (schema.$ref === undefined) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const found = doc.components.schemas[name];
  assert.ok(found, `unresolvable ${schema.$ref}`);
  return found;
}

/** Problems with a request schema: unbounded strings or arrays, undescribed objects or values. */
function inputProblems(doc: Document, schema: Schema, at: string, seen = new Set<string>()): string[] {
  if (schema.$ref !== undefined) {
    if (seen.has(schema.$ref)) return [];
    return inputProblems(doc, resolve(doc, schema), at, new Set([...seen, schema.$ref]));
  }
  const problems: string[] = [];
  for (const list of [schema.allOf, schema.oneOf, schema.anyOf])
    for (const s of list ?? []) problems.push(...inputProblems(doc, s, at, seen));
  const composed = (schema.allOf ?? schema.oneOf ?? schema.anyOf) !== undefined;
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  // A schema that only constrains (e.g. `{minItems: 1}` in an anyOf branch) is typed where it applies.
  if (Object.keys(schema).every((k) => k === 'description' || k === '$comment' || k === 'example'))
    problems.push(`${at}: undescribed value`);
  if (types.includes('string') && schema.maxLength === undefined && schema.enum === undefined && schema.const === undefined) {
    // A UUID (IsUUID) is 36 characters by definition.
    if (!boundedPattern(schema.pattern) && schema.format !== 'uuid') problems.push(`${at}: unbounded string`);
  }
  if (types.includes('array')) {
    if (schema.maxItems === undefined) problems.push(`${at}: array without maxItems`);
    if (schema.items === undefined) problems.push(`${at}: array without items`);
    else if (Array.isArray(schema.items))
      schema.items.forEach((item, i) => problems.push(...inputProblems(doc, item, `${at}[${i}]`, seen)));
    else problems.push(...inputProblems(doc, schema.items, `${at}[]`, seen));
  }
  if (types.includes('object') || schema.properties !== undefined) {
    const extra = schema.additionalProperties;
    const described = schema.properties !== undefined && Object.keys(schema.properties).length > 0;
    if (!described && (typeof extra !== 'object' || schema.maxProperties === undefined) && !composed) {
      problems.push(`${at}: object without described properties`);
    }
    for (const [name, inner] of Object.entries(schema.properties ?? {})) problems.push(...inputProblems(doc, inner, `${at}/${name}`, seen));
    if (typeof extra === 'object') problems.push(...inputProblems(doc, extra, `${at}/*`, seen));
  }
  return problems;
}

function operations(doc: Document): { label: string; path: string; method: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ label: `${method.toUpperCase()} ${path}`, path, method, op })),
  );
}

/** A body whose every bounded member is one past its bound (strings longer, arrays with an item more). */
function overBound(doc: Document, schema: Schema, at: string, out: string[], depth = 0): unknown {
  const s = resolve(doc, schema);
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  if (s.properties !== undefined && depth < 3) {
    const body: Record<string, unknown> = {};
    for (const [name, inner] of Object.entries(s.properties)) {
      const value = overBound(doc, inner, `${at}/${name}`, out, depth + 1);
      if (value !== undefined) body[name] = value;
    }
    return body;
  }
  if (types.includes('string') && s.maxLength !== undefined && s.enum === undefined) {
    out.push(at);
    return 'x'.repeat(s.maxLength + 1);
  }
  if (types.includes('array') && s.maxItems !== undefined && s.maxItems <= 1000) {
    out.push(at);
    const item = s.items === undefined || Array.isArray(s.items) ? 'x' : sampleOf(doc, s.items);
    return Array.from({ length: s.maxItems + 1 }, () => item);
  }
  return undefined;
}

function sampleOf(doc: Document, schema: Schema): unknown {
  const s = resolve(doc, schema);
  if (s.enum !== undefined) return s.enum[0];
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  if (types.includes('string')) return s.format === 'uuid' ? randomUUID() : 'x';
  if (types.includes('integer') || types.includes('number')) return 1;
  if (types.includes('boolean')) return true;
  return {};
}

describe('OpenAPI documents of admin, gateway and delivery (running services)', () => {
  let stack: TestStack;
  const docs: Record<string, Document> = {};

  before(async () => {
    stack = await startStack('openapi-docs', ['admin', 'gateway', 'delivery']);
    for (const name of ['admin', 'gateway', 'delivery'] as const) {
      const res = await request('GET', `${stack.url(name)}/openapi.json`);
      assert.equal(res.status, 200, `${name}: ${res.text}`);
      docs[name] = res.body as unknown as Document;
    }
  });

  after(async () => {
    await stack?.stop();
  });

  it('documents publish on the gateway and pull and stream on delivery', () => {
    assert.ok(docs['gateway']?.paths['/v1/events']?.['post'], 'POST /v1/events');
    assert.ok(docs['delivery']?.paths['/v1/agencies/{agencyId}/events']?.['get'], 'pull');
    assert.ok(docs['delivery']?.paths['/v1/agencies/{agencyId}/stream']?.['get'], 'SSE');
    for (const name of ['gateway', 'delivery']) assert.match(docs[name]!.openapi, /^3\.1\./, name);
    assert.match(docs['admin']!.openapi, /^3\./);
  });

  for (const name of ['admin', 'gateway', 'delivery']) {
    it(`${name}: every request body and parameter is described and every string and array in them is bounded`, () => {
      const doc = docs[name]!;
      const problems: string[] = [];
      let bodies = 0;
      for (const { label, op } of operations(doc)) {
        for (const param of op.parameters ?? []) {
          if (param.schema === undefined) problems.push(`${label} ${param.in} ${param.name}: no schema`);
          else problems.push(...inputProblems(doc, param.schema, `${label} ${param.in} ${param.name}`));
        }
        for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
          bodies += 1;
          if (media.schema === undefined) problems.push(`${label} ${type}: body without schema`);
          else problems.push(...inputProblems(doc, media.schema, `${label} ${type} body`));
        }
      }
      assert.ok(name === 'delivery' || bodies > 0, `${name} has request bodies`);
      assert.equal(problems.length, 0, `\n${problems.join('\n')}`);
    });

    it(`${name}: every 2xx body is described; 429 (with Retry-After), 401, 403 and 404 are declared where they can happen`, () => {
      const doc = docs[name]!;
      const problems: string[] = [];
      for (const { label, path, op } of operations(doc)) {
        for (const [status, response] of Object.entries(op.responses)) {
          if (!/^2\d\d$/.test(status) || status === '204') continue;
          const media = Object.values(response.content ?? {});
          if (media.length === 0 || media.some((m) => m.schema === undefined)) problems.push(`${label} ${status}: body not described`);
          for (const m of media) {
            const schema = m.schema === undefined ? undefined : resolve(doc, m.schema);
            if (schema !== undefined && Object.keys(schema).length === 0) problems.push(`${label} ${status}: empty schema`);
          }
        }
        if (op.responses['429']?.headers?.['Retry-After'] === undefined) problems.push(`${label}: no 429 with Retry-After`);
        if (path === '/health' || path === '/v1/sessions') continue;
        for (const status of ['401', '403']) if (op.responses[status] === undefined) problems.push(`${label}: no ${status}`);
        if (/\{\w+\}/.test(path) && op.responses['404'] === undefined) problems.push(`${label}: no 404`);
      }
      assert.equal(problems.length, 0, `\n${problems.join('\n')}`);
    });
  }

  it('admin: a body with every bounded member one past its bound is refused with 400 naming each member', async () => {
    const doc = docs['admin']!;
    let checked = 0;
    for (const { label, path, method, op } of operations(doc)) {
      const schema = op.requestBody?.content['application/json']?.schema;
      if (schema === undefined) continue;
      const members: string[] = [];
      const body = overBound(doc, schema, '', members);
      if (members.length === 0) continue;
      const url = `${stack.url('admin')}${path.replace(/\{\w+\}/g, () => randomUUID())}`;
      const res = await request(method.toUpperCase(), url, { token: stack.adminToken, body });
      assert.equal(res.status, 400, `${label}: ${res.text}`);
      const pointers = ((res.body['errors'] ?? []) as { pointer: string }[]).map((e) => e.pointer);
      const missing = members.filter((m) => !pointers.some((p) => p === m || p.startsWith(`${m}/`)));
      assert.deepEqual(missing, [], `${label}: every over-long member is named (got ${pointers.join(', ')})`);
      checked += members.length;
    }
    assert.ok(checked >= 20, `checked only ${checked} bounded members`);
  });
});
