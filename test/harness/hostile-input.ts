/**
 * Generators of hostile HTTP requests for the hostile-input suite (test/e2e/hostile-input.e2e.test.ts):
 * a valid-looking value built from a schema (OpenAPI components or the contracts' JSON Schemas) is
 * mutated member by member (wrong types, missing and unknown members, huge and deep values, control
 * characters, Object.prototype names, impossible dates, inexact numbers) and then, sometimes, as a
 * whole (invalid JSON, media types, charsets, Content-Encodings, invalid UTF-8). Every generated body
 * breaks at least one rule, so the request must be refused; the case records which members it broke,
 * so a 400 can be checked to name one of them.
 */
import fc from 'fast-check';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { resolveSchema, type Schema } from './openapi';

/** Where schemas resolve their `$ref`s: an OpenAPI document or a JSON Schema with `definitions`. */
export interface SchemaRoot {
  components?: { schemas?: Record<string, Schema> };
  definitions?: Record<string, Schema>;
}

type Path = (string | number)[];

/** One member of a value: where it is, what it holds, the schema known for it and its member name. */
interface Slot {
  path: Path;
  value: unknown;
  schema: Schema | undefined;
  /** The member name, or for an array element the name of the array's member (as jsonInputProblems sees it). */
  name: string;
}

// Marks a string that is replaced by raw JSON text after serialisation (numbers JSON.stringify cannot write).
const RAW = '\u{F0000}raw:';
const RAW_PATTERN = /"\u{F0000}raw:([^"]*)"/gu;

/** JSON text of `value`, with raw-number markers written as the numbers they carry. */
export function serialise(value: unknown): string {
  return JSON.stringify(value).replace(RAW_PATTERN, '$1');
}

/** RFC 6901 pointer of a path. */
export function pointerOf(path: Path): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

const FREE_TEXT = new Set([
  'narrative',
  'summary',
  'changeSummary',
  'description',
  'instruction',
  'note',
  'basis',
  'reason',
  'purpose',
  'handlingConditions',
]);
const MAX_SLOT_DEPTH = 12;
/** Elements of an array looked into (the rest of a huge array is left as it is). */
const MAX_SLOT_ELEMENTS = 20;

/** The schema of member `name` (or element `index`) of a value whose schema is `schema`. */
function childSchema(schema: Schema | undefined, root: SchemaRoot, key: string | number): Schema | undefined {
  if (schema === undefined) return undefined;
  const s = merged(schema, root);
  if (typeof key === 'number') {
    if (Array.isArray(s.items)) return s.items[key] ?? undefined;
    return s.items === undefined ? undefined : resolveSchema(s.items, root);
  }
  const property = s.properties?.[key];
  return property === undefined ? undefined : resolveSchema(property, root);
}

/** `schema` with its `$ref` followed and its `allOf`/`anyOf`/`oneOf` object branches folded in. */
function merged(schema: Schema, root: SchemaRoot): Schema {
  const s = resolveSchema(schema, root);
  const branches = [...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])].map((b) => resolveSchema(b, root));
  if (branches.length === 0) return s;
  const properties = Object.assign({}, ...branches.map((b) => b.properties ?? {}), s.properties ?? {}) as Record<string, Schema>;
  return { ...s, properties: Object.keys(properties).length > 0 ? properties : undefined };
}

/** Every member of `value` (and `value` itself), breadth first, to a bounded depth. */
function slotsOf(value: unknown, schema: Schema | undefined, root: SchemaRoot): Slot[] {
  const slots: Slot[] = [];
  const queue: Slot[] = [{ path: [], value, schema: schema === undefined ? undefined : merged(schema, root), name: '' }];
  for (let slot = queue.shift(); slot !== undefined; slot = queue.shift()) {
    slots.push(slot);
    if (slot.path.length >= MAX_SLOT_DEPTH || typeof slot.value !== 'object' || slot.value === null) continue;
    const entries: [string | number, unknown][] = Array.isArray(slot.value)
      ? slot.value.slice(0, MAX_SLOT_ELEMENTS).map((v, i) => [i, v])
      : Object.entries(slot.value as Record<string, unknown>);
    for (const [key, child] of entries) {
      const s = childSchema(slot.schema, root, key);
      queue.push({
        path: [...slot.path, key],
        value: child,
        schema: s === undefined ? undefined : merged(s, root),
        name: typeof key === 'number' ? slot.name : key,
      });
    }
  }
  return slots;
}

function typesOf(schema: Schema | undefined): Set<string> | undefined {
  if (schema?.type === undefined) return undefined;
  const types = new Set(Array.isArray(schema.type) ? schema.type : [schema.type]);
  if (types.has('number')) types.add('integer');
  if (schema.nullable === true) types.add('null');
  return types;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function replaceAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = getAt(root, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path[path.length - 1]!] = value;
  return root;
}

function getAt(root: unknown, path: Path): unknown {
  let current = root;
  for (const key of path) current = (current as Record<string | number, unknown>)[key];
  return current;
}

/** Adds an own, enumerable member, even one named `__proto__` (an object literal would set the prototype). */
function defineMember(target: object, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

const CONTROL_CHARACTERS = [
  '\u0000',
  '\u0001',
  '\u0008',
  '\u000b',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u009f',
  '\ud800',
  '\udfff',
  '\udc00\ud800',
];
const LINE_BREAKS = ['\n', '\t', '\r', '\r\n'];
const IMPOSSIBLE_TIMESTAMPS = [
  '2026-02-30T10:00:00Z',
  '2026-02-29T10:00:00Z',
  '2026-04-31T08:00:00-05:00',
  '2026-13-01T00:00:00Z',
  '2026-01-01T24:00:00Z',
  '2026-06-31T23:59:59+02:00',
  '2026-01-01T12:60:00Z',
];
const IMPOSSIBLE_DATES = ['2026-02-30', '2026-02-29', '2026-04-31', '2026-13-01', '2026-00-10'];
const INEXACT_NUMBERS = ['1e400', '-1e400', '9007199254740993', '-9007199254740993', '1.8e308', '123456789012345678901234567890'];
const WRONG_TYPED = [42, -1.5, true, false, null, 'text', '', [], [1, 'a'], {}, { k: 1 }];
const RESERVED_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
const CONTROL_NAMES = ['a\u0000b', '\u001b[31m', 'x\ud800', 'line\nbreak'];
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** What one member mutation does. Each kind always breaks the value, where it applies. */
export const MEMBER_MUTATIONS = [
  'wrong-type',
  'missing-required',
  'unknown-member',
  'reserved-member',
  'control-character',
  'line-break',
  'control-in-name',
  'huge-string',
  'huge-array',
  'deep',
  'impossible-date',
  'inexact-number',
] as const;
export type MemberMutation = (typeof MEMBER_MUTATIONS)[number];

interface MutationPlan {
  kind: MemberMutation;
  pick: number;
  variant: number;
  name: string;
}

const mutationPlan: fc.Arbitrary<MutationPlan> = fc.record({
  kind: fc.constantFrom(...MEMBER_MUTATIONS),
  pick: fc.nat(),
  variant: fc.nat(),
  name: fc.string({ maxLength: 12 }),
});

/** Applies one mutation; returns the pointer it broke, or undefined where the kind does not apply to `value`. */
function applyMutation(holder: { value: unknown }, schema: Schema | undefined, root: SchemaRoot, plan: MutationPlan): string | undefined {
  const slots = slotsOf(holder.value, schema, root);
  const pick = <T>(candidates: T[]): T | undefined => (candidates.length === 0 ? undefined : candidates[plan.pick % candidates.length]);
  const choose = <T>(options: readonly T[]): T => options[plan.variant % options.length]!;
  const objects = slots.filter((s) => typeof s.value === 'object' && s.value !== null && !Array.isArray(s.value));
  const strings = slots.filter((s) => typeof s.value === 'string');
  switch (plan.kind) {
    case 'wrong-type': {
      const slot = pick(slots.filter((s) => typesOf(s.schema) !== undefined && s.path.length > 0));
      if (slot === undefined) return undefined;
      const allowed = typesOf(slot.schema)!;
      // null counts as wrong wherever the schema does not allow it: "absent" is spelt by leaving the member out.
      const candidates = WRONG_TYPED.filter((v) => !allowed.has(jsonType(v)));
      if (candidates.length === 0) return undefined;
      holder.value = replaceAt(holder.value, slot.path, structuredClone(choose(candidates)));
      return pointerOf(slot.path);
    }
    case 'missing-required': {
      const slot = pick(objects.filter((s) => (s.schema?.required ?? []).some((r) => r in (s.value as object))));
      if (slot === undefined) return undefined;
      const present = slot.schema!.required!.filter((r) => r in (slot.value as object));
      const name = choose(present);
      delete (slot.value as Record<string, unknown>)[name];
      return pointerOf([...slot.path, name]);
    }
    case 'unknown-member': {
      const slot = pick(objects.filter((s) => s.schema?.properties !== undefined && s.schema.additionalProperties !== true));
      if (slot === undefined) return undefined;
      const name = `${plan.name}~x${plan.variant % 1000}`;
      if (slot.schema!.properties![name] !== undefined) return undefined;
      defineMember(slot.value as object, name, choose([1, 'v', {}, [], true]));
      return pointerOf([...slot.path, name]);
    }
    case 'reserved-member': {
      const slot = pick(objects);
      if (slot === undefined) return undefined;
      const name = choose(RESERVED_NAMES);
      defineMember(slot.value as object, name, choose([{ polluted: true }, 1, 'x']));
      return pointerOf([...slot.path, name]);
    }
    case 'control-character': {
      const slot = pick(strings);
      if (slot === undefined) return undefined;
      const text = slot.value as string;
      const at = plan.variant % (text.length + 1);
      holder.value = replaceAt(holder.value, slot.path, `${text.slice(0, at)}${choose(CONTROL_CHARACTERS)}${text.slice(at)}`);
      return pointerOf(slot.path);
    }
    case 'line-break': {
      const slot = pick(strings.filter((s) => !FREE_TEXT.has(s.name)));
      if (slot === undefined) return undefined;
      const text = slot.value as string;
      const at = plan.variant % (text.length + 1);
      holder.value = replaceAt(holder.value, slot.path, `${text.slice(0, at)}${choose(LINE_BREAKS)}${text.slice(at)}`);
      return pointerOf(slot.path);
    }
    case 'control-in-name': {
      const slot = pick(objects);
      if (slot === undefined) return undefined;
      const name = choose(CONTROL_NAMES);
      defineMember(slot.value as object, name, 1);
      return pointerOf([...slot.path, name]);
    }
    case 'huge-string': {
      const slot = pick(strings);
      if (slot === undefined) return undefined;
      const max = slot.schema?.maxLength;
      const length = choose([...(max === undefined ? [] : [max + 1, max + 7]), 70_000, 300_000]);
      holder.value = replaceAt(holder.value, slot.path, 'x'.repeat(length));
      return pointerOf(slot.path);
    }
    case 'huge-array': {
      const slot = pick(slots.filter((s) => Array.isArray(s.value)));
      if (slot === undefined) return undefined;
      const length = choose([2_000, 20_000]);
      // Elements of a type the array does not hold, so the array is wrong however long it may be.
      const objects = typesOf(childSchema(slot.schema, root, 0))?.has('object') === true;
      holder.value = replaceAt(
        holder.value,
        slot.path,
        Array.from({ length }, () => (objects ? 'x' : { k: 1 })),
      );
      return pointerOf(slot.path);
    }
    case 'deep': {
      const slot = pick(slots.filter((s) => s.path.length > 0));
      if (slot === undefined) return undefined;
      const depth = choose([33, 40, 200, 5_000, 60_000]);
      if (depth > 200) {
        // Deeper than JSON.stringify itself can walk: written as raw text.
        holder.value = replaceAt(holder.value, slot.path, `${RAW}${'['.repeat(depth)}0${']'.repeat(depth)}`);
      } else {
        let nested: unknown = 'bottom';
        for (let i = 0; i < depth; i += 1) nested = plan.variant % 2 === 0 ? [nested] : { d: nested };
        holder.value = replaceAt(holder.value, slot.path, nested);
      }
      return pointerOf(slot.path);
    }
    case 'impossible-date': {
      const slot = pick(
        strings.filter(
          (s) =>
            TIMESTAMP.test(s.value as string) ||
            DATE_ONLY.test(s.value as string) ||
            s.schema?.format === 'date-time' ||
            s.schema?.format === 'date',
        ),
      );
      if (slot === undefined) return undefined;
      const dateOnly = DATE_ONLY.test(slot.value as string) || slot.schema?.format === 'date';
      holder.value = replaceAt(holder.value, slot.path, choose(dateOnly ? IMPOSSIBLE_DATES : IMPOSSIBLE_TIMESTAMPS));
      return pointerOf(slot.path);
    }
    case 'inexact-number': {
      const slot = pick(slots.filter((s) => typeof s.value === 'number' || typesOf(s.schema)?.has('integer') === true));
      if (slot === undefined) return undefined;
      holder.value = replaceAt(holder.value, slot.path, `${RAW}${choose(INEXACT_NUMBERS)}`);
      return pointerOf(slot.path);
    }
  }
}

/** A value with 1–3 member mutations, at least one of which applied, and the pointers they broke. */
export function mutatedValue(
  base: () => unknown,
  schema: Schema | undefined,
  root: SchemaRoot,
): fc.Arbitrary<{ value: unknown; blamed: string[]; kinds: string[] }> {
  return fc.array(mutationPlan, { minLength: 1, maxLength: 3 }).map((plans) => {
    // A copy: schema examples are shared objects, and the mutations work in place.
    const holder = { value: structuredClone(base()) };
    const blamed: string[] = [];
    const kinds: string[] = [];
    const apply = (plan: MutationPlan): void => {
      const pointer = applyMutation(holder, schema, root, plan);
      if (pointer === undefined) return;
      blamed.push(pointer);
      kinds.push(plan.kind);
    };
    plans.forEach(apply);
    // None of the drawn kinds applied (e.g. a body without strings): a reserved member always does on an object.
    if (blamed.length === 0) apply({ kind: 'reserved-member', pick: 0, variant: plans[0]!.variant, name: '' });
    if (blamed.length === 0) {
      // Not even an object to hold a member (a bare string or number): the whole value is wrong.
      holder.value = [`${RAW}1e400`];
      blamed.push('/0');
      kinds.push('inexact-number');
    }
    return { value: holder.value, blamed, kinds };
  });
}

/** A request body as bytes on the wire, with its headers. */
export interface WireBody {
  bytes: Buffer;
  headers: Record<string, string>;
  /** The body breaks as a whole (no member to name), so any 4xx is right. */
  brokenAsWhole: boolean;
  kind: string;
}

export const WHOLE_BODY_MUTATIONS = [
  'none',
  'none',
  'none',
  'malformed-json',
  'media-type',
  'charset',
  'bogus-encoding',
  'valid-encoding',
  'invalid-utf8',
] as const;

/** Puts a (mutated) JSON value on the wire, sometimes breaking the bytes, media type or encoding as well. */
export function wireBody(value: unknown, contentType: string): fc.Arbitrary<WireBody> {
  return fc
    .record({ kind: fc.constantFrom(...WHOLE_BODY_MUTATIONS), variant: fc.nat(), cut: fc.nat() })
    .map(({ kind, variant, cut }): WireBody => {
      const text = serialise(value);
      const choose = <T>(options: readonly T[]): T => options[variant % options.length]!;
      const json = { 'content-type': contentType };
      switch (kind) {
        case 'none':
          return { bytes: Buffer.from(text), headers: json, brokenAsWhole: false, kind: 'json' };
        case 'malformed-json': {
          const broken = choose([
            text.slice(0, Math.max(1, cut % Math.max(1, text.length - 1))),
            `${text},`,
            `${text}}`,
            `x${text}`,
            text.replace('"', "'"),
            `{"n":NaN,"v":${text}}`,
            `\ufeff${text}`,
            `{"a":1,"a":`,
            '{"a":"\\ud800\\u00zz"}',
          ]);
          return { bytes: Buffer.from(broken), headers: json, brokenAsWhole: true, kind };
        }
        case 'media-type': {
          const type = choose([
            'text/plain',
            'application/xml',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/jsonx',
            '',
          ]);
          const headers: Record<string, string> = type === '' ? {} : { 'content-type': type };
          return { bytes: Buffer.from(text), headers, brokenAsWhole: true, kind };
        }
        case 'charset':
          return {
            bytes: Buffer.from(text),
            headers: { 'content-type': `${contentType}; charset=${choose(['latin1', 'utf-16', 'utf-7', 'ebcdic', 'x-bogus'])}` },
            brokenAsWhole: true,
            kind,
          };
        case 'bogus-encoding': {
          const encoding = choose(['gzip', 'deflate', 'br', 'compress', 'zstd', 'x-gzip', 'gzip, gzip', 'identity, gzip', 'bogus']);
          return { bytes: Buffer.from(text), headers: { ...json, 'content-encoding': encoding }, brokenAsWhole: true, kind };
        }
        case 'valid-encoding': {
          const encoding = choose(['gzip', 'deflate', 'br']);
          const compress = encoding === 'gzip' ? gzipSync : encoding === 'deflate' ? deflateSync : brotliCompressSync;
          return { bytes: compress(Buffer.from(text)), headers: { ...json, 'content-encoding': encoding }, brokenAsWhole: false, kind };
        }
        case 'invalid-utf8': {
          const bytes = Buffer.from(text);
          const at = cut % Math.max(1, bytes.length);
          const bad = Buffer.from(choose([[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xfe, 0xfe]]));
          return { bytes: Buffer.concat([bytes.subarray(0, at), bad, bytes.subarray(at)]), headers: json, brokenAsWhole: true, kind };
        }
      }
    });
}

/** Query-string values that no parameter may hold (they decode to control characters), and others that are merely odd. */
export const BREAKING_QUERY_VALUES = ['%00', 'a%00b', '%01', '%1B%5B31m', '%7F', '%C2%85', 'x%0Ay'];
export const ODD_QUERY_VALUES = [
  '-1',
  '0',
  'abc',
  '1.5',
  '99999999999999999999',
  '',
  '%FF',
  '%ED%A0%80',
  'a'.repeat(3_000),
  '%2E%2E%2F',
  'null',
  '[]',
  '{}',
];
export const IMPOSSIBLE_QUERY_DATES = IMPOSSIBLE_TIMESTAMPS.map(encodeURIComponent);
