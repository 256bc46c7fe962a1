/**
 * The committed JSON Schemas against the code: no breaking change since they were committed, every
 * example valid under both, and the schemas agree with validateEvent on mutated events.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { EVENT_TYPES, validateEvent } from '@liaison/contracts';
import { repoRoot } from '../../tools/kafka/cluster';
import { breakingChangesAcross } from '../../tools/contracts-docs/compat';
import { generateSchemas } from '../../tools/contracts-docs/json-schemas';
import { readSchemas } from '../../tools/contracts-docs/main';

type Json = Record<string, unknown>;

const docsDir = join(repoRoot(), 'docs');
const committed = readSchemas(docsDir);
const examples: Json[] = readdirSync(join(docsDir, 'examples'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(docsDir, 'examples', f), 'utf8')) as Json);

// What any consumer would do with the files: a standard draft-07 validator with standard formats.
const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
addFormats(ajv);
const validators = new Map<string, ValidateFunction>(Object.entries(committed).map(([name, schema]) => [name, ajv.compile(schema)]));

/** Whether the committed schemas accept `event`: the envelope schema, then the payload schema of its type. */
function schemaAccepts(event: unknown): { ok: boolean; errors: string } {
  const envelope = validators.get('envelope')!;
  if (!envelope(event)) return { ok: false, errors: ajv.errorsText(envelope.errors) };
  const typed = event as Json;
  const payload = validators.get(String(typed['type']));
  if (payload === undefined) return { ok: false, errors: `no schema for ${String(typed['type'])}` };
  return payload(typed['data']) ? { ok: true, errors: '' } : { ok: false, errors: ajv.errorsText(payload.errors) };
}

describe('committed JSON Schemas (docs/schemas)', () => {
  it('cover the envelope and every registered event type', () => {
    assert.deepEqual(Object.keys(committed).sort(), ['envelope', ...Object.keys(EVENT_TYPES)].sort());
  });

  it('have no breaking change against the schemas generated from the code now', () => {
    const changes = breakingChangesAcross(committed, generateSchemas());
    assert.deepEqual(changes, [], `breaking changes within a version:\n${changes.join('\n')}`);
  });

  it('are the draft-07 dialect, closed objects everywhere', () => {
    for (const [name, schema] of Object.entries(committed)) {
      assert.equal(schema['$schema'], 'http://json-schema.org/draft-07/schema#', name);
      const objects: [string, Json][] = [['(root)', schema], ...Object.entries((schema['definitions'] ?? {}) as Record<string, Json>)];
      for (const [where, object] of objects) assert.equal(object['additionalProperties'], false, `${name} ${where}`);
    }
  });
});

describe('docs/examples', () => {
  it('has one example per registered type', () => {
    assert.deepEqual(examples.map((e) => e['type']).sort(), Object.keys(EVENT_TYPES).sort());
  });

  for (const example of examples) {
    it(`${String(example['type'])} is valid under the JSON Schemas and validateEvent`, () => {
      const bySchema = schemaAccepts(example);
      assert.ok(bySchema.ok, bySchema.errors);
      const byCode = validateEvent(example);
      assert.ok(byCode.ok, JSON.stringify(byCode.ok ? [] : byCode.problems));
    });
  }
});

/** Every member of a JSON value, as a path of keys and indexes (the root excluded). */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...pathsOf(v, [...prefix, i])]);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
  }
  return [];
}

type Edit = { kind: 'delete' } | { kind: 'set'; value: unknown } | { kind: 'add'; name: string; value: unknown };

function applyEdit(example: Json, path: (string | number)[], edit: Edit): Json {
  const copy = JSON.parse(JSON.stringify(example)) as Json;
  let parent: unknown = copy;
  for (const step of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[step];
  const last = path.at(-1)!;
  const target = parent as Record<string | number, unknown>;
  if (edit.kind === 'delete') {
    if (Array.isArray(target)) target.splice(last as number, 1);
    else delete target[last];
  } else if (edit.kind === 'set') {
    target[last] = edit.value;
  } else if (typeof target[last] === 'object' && target[last] !== null && !Array.isArray(target[last])) {
    (target[last] as Json)[edit.name] = edit.value;
  }
  return copy;
}

/**
 * Members where the schema is knowingly looser than the validator (listed in each schema's
 * $comment and in ADR 0010): ring closure, IsLaterThan, the host of evidence URLs, and latitude or
 * longitude numbers that JavaScript prints in exponent form (validator.js reads them as text).
 */
function knownLooser(path: (string | number)[], value: unknown): boolean {
  const names = path.filter((p): p is string => typeof p === 'string');
  const last = names.at(-1);
  if (names.includes('coordinates')) return true;
  if (last === 'expires' || last === 'effective' || last === 'imageUrl' || last === 'clipUrl') return true;
  return (last === 'lat' || last === 'lon') && typeof value === 'number' && /e/i.test(String(value));
}

describe('the JSON Schemas agree with validateEvent (property-based)', () => {
  const edit: fc.Arbitrary<Edit> = fc.oneof(
    fc.constant<Edit>({ kind: 'delete' }),
    fc.constant<Edit>({ kind: 'set', value: null }),
    fc.jsonValue().map<Edit>((value) => ({ kind: 'set', value })),
    fc
      .oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }))
      .map<Edit>((value) => ({ kind: 'set', value })),
    fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue()).map<Edit>(([name, value]) => ({ kind: 'add', name, value })),
  );
  const mutation = fc
    .constantFrom(...examples)
    .chain((example) => fc.tuple(fc.constant(example), fc.constantFrom(...pathsOf(example)), edit));

  it('whatever validateEvent accepts, the schemas accept; whatever they refuse, it refuses (except where documented looser)', () => {
    fc.assert(
      fc.property(mutation, ([example, path, change]) => {
        const event = applyEdit(example, path, change);
        const byCode = validateEvent(event);
        const bySchema = schemaAccepts(event);
        const where = `${path.join('/')} ${JSON.stringify(change).slice(0, 200)}`;
        if (byCode.ok) assert.ok(bySchema.ok, `schema stricter than the validator at ${where}: ${bySchema.errors}`);
        const value = change.kind === 'set' ? change.value : undefined;
        if (bySchema.ok && !byCode.ok && !knownLooser(path, value)) {
          assert.fail(`schema looser than the validator at ${where}: ${JSON.stringify(byCode.problems)}`);
        }
      }),
      { numRuns: 3000 },
    );
  });

  // Hand-picked cases in both directions, so the agreement does not rest on chance alone.
  const cases: [string, (string | number)[], Edit, boolean][] = [
    ['gov.liaison.incident.reported.v1', ['data', 'narrative'], { kind: 'set', value: null }, true],
    ['gov.liaison.incident.reported.v1', ['data', 'priority'], { kind: 'set', value: 6 }, false],
    ['gov.liaison.incident.reported.v1', ['data', 'priority'], { kind: 'set', value: 2.5 }, false],
    ['gov.liaison.incident.reported.v1', ['data', 'location'], { kind: 'set', value: [] }, false],
    ['gov.liaison.incident.reported.v1', ['data', 'occurredAt'], { kind: 'set', value: '2026-11-25T02:09:00' }, false],
    ['gov.liaison.incident.reported.v1', ['data', 'occurredAt'], { kind: 'set', value: '2026-11-25t02:09:00z' }, true],
    ['gov.liaison.incident.reported.v1', ['data'], { kind: 'add', name: 'invented', value: 1 }, false],
    ['gov.liaison.incident.reported.v1', ['tlp'], { kind: 'set', value: 'AMBER-ISH' }, false],
    ['gov.liaison.incident.reported.v1', ['caveats'], { kind: 'set', value: 'LES CJI PII' }, true],
    ['gov.liaison.intel.published.v1', ['data', 'grading', 'handlingConditions'], { kind: 'delete' }, false],
    ['gov.liaison.intel.published.v1', ['data', 'subjects', 'persons', 0, 'identifiers', 0, 'jurisdiction'], { kind: 'delete' }, false],
    ['gov.liaison.intel.published.v1', ['data', 'subjects'], { kind: 'set', value: { persons: [] } }, false],
    ['gov.liaison.intel.published.v1', ['data', 'subjects'], { kind: 'set', value: { vehicles: [{ plate: 'ABC123' }] } }, true],
    ['gov.liaison.intel.published.v1', ['data', 'subjects', 'persons', 0, 'dateOfBirth'], { kind: 'set', value: '2001-02-30' }, false],
    ['gov.liaison.intel.published.v1', ['recipients'], { kind: 'set', value: 'TX2270100 TX227SO00' }, true],
    ['gov.liaison.intel.published.v1', ['recipients'], { kind: 'set', value: 'TX2270100,TX227SO00' }, false],
  ];
  for (const [type, path, change, valid] of cases) {
    it(`${type} ${path.join('/')} ${JSON.stringify(change)}: both say ${valid ? 'valid' : 'invalid'}`, () => {
      const example = examples.find((e) => e['type'] === type)!;
      const event =
        path.length === 1 && change.kind === 'set' && !(path[0]! in example)
          ? { ...example, [path[0]!]: change.value }
          : applyEdit(example, path, change);
      assert.equal(validateEvent(event).ok, valid, 'validateEvent');
      assert.equal(schemaAccepts(event).ok, valid, `JSON Schema: ${schemaAccepts(event).errors}`);
    });
  }
});
