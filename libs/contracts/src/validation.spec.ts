import 'reflect-metadata';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import type { ValidationError } from 'class-validator';
import { IncidentReportedV1 } from './payloads/incident';
import { GeoPoint, Location } from './payloads/common';
import { pointerToken, type FieldProblem } from './json-limits';
import { toProblems, validateEvent } from './validation';

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

const EXAMPLES_DIR = join(repoRoot(), 'docs', 'examples');
const EXAMPLE_TEXT = readFileSync(join(EXAMPLES_DIR, 'gov.liaison.incident.reported.v1.json'), 'utf8');

/** A fresh, deep copy of the committed incident-reported example, safe to mutate. */
function example(): JsonObject {
  return JSON.parse(EXAMPLE_TEXT) as JsonObject;
}

/** The example's `data` member, typed for mutation. */
function dataOf(event: JsonObject): JsonObject {
  return event['data'] as JsonObject;
}

function problemsOf(input: unknown): FieldProblem[] {
  const outcome = validateEvent(input);
  assert.equal(outcome.ok, false, `expected the input to be rejected: ${JSON.stringify(input)}`);
  return outcome.ok ? [] : outcome.problems;
}

function pointersOf(input: unknown): string[] {
  return problemsOf(input).map((p) => p.pointer);
}

/** Asserts that the input is rejected and that some problem is located exactly at `pointer`. */
function assertRejectedAt(input: unknown, pointer: string): void {
  const pointers = pointersOf(input);
  assert.ok(pointers.includes(pointer), `expected a problem at ${JSON.stringify(pointer)}, got ${JSON.stringify(pointers)}`);
}

// ---------------------------------------------------------------------------------------------
// Accepting valid events
// ---------------------------------------------------------------------------------------------

describe('validateEvent: valid events', () => {
  it('accepts the committed incident-reported example', () => {
    const outcome = validateEvent(example());
    assert.ok(outcome.ok, `example rejected: ${JSON.stringify(outcome.ok ? [] : outcome.problems)}`);
    assert.equal(outcome.value.type, 'gov.liaison.incident.reported.v1');
    assert.equal(outcome.value.id, '6f1c2a9e-4b7d-4e0a-9c51-3d2f8a7b1e01');
    assert.equal(outcome.value.subject, 'MCPD-2026-118734');
    assert.equal(outcome.value.tlp, 'AMBER');
    assert.equal(outcome.value.caveats, 'LES');
  });

  it('returns the payload as an instance of the type’s payload class, with nested classes', () => {
    const outcome = validateEvent(example());
    assert.ok(outcome.ok);
    const data = outcome.value.data as IncidentReportedV1;
    assert.ok(data instanceof IncidentReportedV1);
    assert.ok(data.location instanceof Location);
    assert.ok(data.location.point instanceof GeoPoint);
    assert.equal(data.location.point.lat, 32.7767);
    assert.equal(data.priority, 1);
    assert.deepEqual(data.respondingUnits, ['2A14', '2A22', 'K9-3']);
  });

  it('does not modify its input', () => {
    const input = example();
    validateEvent(input);
    assert.deepEqual(input, example());
  });

  for (const file of readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    it(`accepts every committed example: ${file}`, () => {
      const input = JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as JsonObject;
      const outcome = validateEvent(input);
      assert.ok(outcome.ok, `${file} rejected: ${JSON.stringify(outcome.ok ? [] : outcome.problems)}`);
      assert.equal(outcome.value.type, input['type']);
    });
  }

  for (const optional of ['datacontenttype', 'caveats', 'feed', 'personaldata']) {
    it(`accepts the example without the optional attribute ${optional}`, () => {
      const input = example();
      delete input[optional];
      const outcome = validateEvent(input);
      assert.ok(outcome.ok, JSON.stringify(outcome.ok ? [] : outcome.problems));
    });
  }

  it('accepts every optional extension attribute when well-formed', () => {
    const input: JsonObject = {
      ...example(),
      dataschema: 'https://liaison.example/schemas/incident.reported.v1.json',
      agency: 'b3f1c2d4-0000-4000-8000-000000000001',
      expires: '2027-11-25T00:00:00Z',
      reviewby: '2031-11-25T00:00:00+00:00',
      correlationid: 'corr-1',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      tracestate: 'vendor=value',
    };
    const outcome = validateEvent(input);
    assert.ok(outcome.ok, JSON.stringify(outcome.ok ? [] : outcome.problems));
  });

  it('accepts several known caveats separated by single spaces', () => {
    const outcome = validateEvent({ ...example(), caveats: 'LES CJI PII FOUO' });
    assert.ok(outcome.ok, JSON.stringify(outcome.ok ? [] : outcome.problems));
  });

  it('accepts every TLP 2.0 label', () => {
    for (const tlp of ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED']) {
      assert.ok(validateEvent({ ...example(), tlp }).ok, tlp);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Envelope problems
// ---------------------------------------------------------------------------------------------

describe('validateEvent: envelope attributes', () => {
  const REQUIRED = ['specversion', 'id', 'source', 'type', 'subject', 'time', 'tlp', 'data'] as const;

  for (const name of REQUIRED) {
    it(`reports a missing required attribute ${name} at /${name}`, () => {
      const input = example();
      delete input[name];
      assertRejectedAt(input, `/${name}`);
    });
  }

  it('reports every missing required attribute at once', () => {
    const pointers = pointersOf({});
    for (const name of REQUIRED) assert.ok(pointers.includes(`/${name}`), `no problem at /${name}: ${JSON.stringify(pointers)}`);
  });

  it('reports an unknown envelope attribute at /<name>', () => {
    assert.deepEqual(pointersOf({ ...example(), classification: 'SECRET' }), ['/classification']);
  });

  it('reports each of several unknown envelope attributes', () => {
    const pointers = pointersOf({ ...example(), foo: 1, bar: null });
    assert.deepEqual([...pointers].sort(), ['/bar', '/foo']);
  });

  it('rejects a specversion other than 1.0', () => {
    assert.deepEqual(pointersOf({ ...example(), specversion: '0.3' }), ['/specversion']);
    assertRejectedAt({ ...example(), specversion: 1 }, '/specversion');
  });

  it('rejects an id containing whitespace and an empty id', () => {
    assertRejectedAt({ ...example(), id: 'two words' }, '/id');
    assertRejectedAt({ ...example(), id: '' }, '/id');
  });

  it('rejects a time stamp without a zone', () => {
    assert.deepEqual(pointersOf({ ...example(), time: '2026-11-25T02:14:07' }), ['/time']);
  });

  it('rejects a time that is not a time stamp at all', () => {
    assertRejectedAt({ ...example(), time: 'yesterday' }, '/time');
    assertRejectedAt({ ...example(), time: 1764058447000 }, '/time');
  });

  it('accepts time stamps with Z and with a numeric offset', () => {
    assert.ok(validateEvent({ ...example(), time: '2026-11-25T08:14:07Z' }).ok);
    assert.ok(validateEvent({ ...example(), time: '2026-11-25T08:14:07.123+05:30' }).ok);
  });

  it('rejects an expires or reviewby time stamp without a zone', () => {
    assertRejectedAt({ ...example(), expires: '2027-01-01T00:00:00' }, '/expires');
    assertRejectedAt({ ...example(), reviewby: '2027-01-01T00:00:00' }, '/reviewby');
  });

  it('rejects an unknown TLP label', () => {
    assert.deepEqual(pointersOf({ ...example(), tlp: 'PURPLE' }), ['/tlp']);
  });

  it('rejects TLP labels in the wrong case or from TLP 1.0', () => {
    assertRejectedAt({ ...example(), tlp: 'amber' }, '/tlp');
    assertRejectedAt({ ...example(), tlp: 'WHITE' }, '/tlp');
  });

  it('rejects an unknown caveat, alone or beside known ones', () => {
    assert.deepEqual(pointersOf({ ...example(), caveats: 'SECRET' }), ['/caveats']);
    assert.deepEqual(pointersOf({ ...example(), caveats: 'LES SECRET' }), ['/caveats']);
    assert.deepEqual(pointersOf({ ...example(), caveats: 'les' }), ['/caveats']);
  });

  it('rejects malformed caveat lists', () => {
    for (const caveats of ['', 'LES  CJI', ' LES', 'LES ', 'LES,CJI', 'LESCJI']) {
      assertRejectedAt({ ...example(), caveats }, '/caveats');
    }
  });

  it('rejects an unknown event type, without validating the payload', () => {
    const input = example();
    input['type'] = 'gov.liaison.incident.reported.v2';
    dataOf(input)['notAField'] = true;
    assert.deepEqual(pointersOf(input), ['/type']);
  });

  it('rejects a type that is only a prefix of, or an inherited name of, a registered type', () => {
    assertRejectedAt({ ...example(), type: 'gov.liaison.incident' }, '/type');
    assertRejectedAt({ ...example(), type: 'toString' }, '/type');
    assertRejectedAt({ ...example(), type: '__proto__' }, '/type');
  });

  it('validates the payload against the class of the declared type', () => {
    // Incident data under an alert type: alert fields missing, incident fields unknown.
    const pointers = pointersOf({ ...example(), type: 'gov.liaison.alert.issued.v1' });
    assert.ok(pointers.includes('/data/headline'), JSON.stringify(pointers));
    assert.ok(pointers.includes('/data/incidentType'), JSON.stringify(pointers));
  });

  it('rejects data that is not an object', () => {
    for (const data of [null, [], 'text', 3, true]) {
      assertRejectedAt({ ...example(), data }, '/data');
    }
  });

  it('rejects a personaldata list whose entries are not JSON pointers', () => {
    assertRejectedAt({ ...example(), personaldata: 'narrative' }, '/personaldata');
    assert.ok(validateEvent({ ...example(), personaldata: '/narrative /involvedPersons' }).ok);
  });

  it('rejects a malformed traceparent and feed', () => {
    assertRejectedAt({ ...example(), traceparent: 'not-a-trace' }, '/traceparent');
    assertRejectedAt({ ...example(), feed: '-starts-with-dash' }, '/feed');
  });

  it('gives every problem a non-empty, human-readable detail', () => {
    const input = { ...example(), tlp: 'PURPLE', time: 'nope', extra: 1 };
    const problems = problemsOf(input);
    assert.ok(problems.length >= 3);
    for (const p of problems) assert.ok(typeof p.detail === 'string' && p.detail.length > 0, JSON.stringify(p));
  });
});

// ---------------------------------------------------------------------------------------------
// Payload problems
// ---------------------------------------------------------------------------------------------

describe('validateEvent: payload (data) members', () => {
  it('reports an unknown property inside data at /data/<name>', () => {
    const input = example();
    dataOf(input)['foo'] = 'bar';
    assert.deepEqual(pointersOf(input), ['/data/foo']);
  });

  it('reports an unknown property in a nested object at its full path', () => {
    const input = example();
    const point = (dataOf(input)['location'] as JsonObject)['point'] as JsonObject;
    point['foo'] = 1;
    assert.deepEqual(pointersOf(input), ['/data/location/point/foo']);
  });

  it('reports an unknown property inside an array element with the element index', () => {
    const input = example();
    dataOf(input)['involvedPersons'] = [{ role: 'witness' }, { role: 'victim', shoeSize: 44 }];
    assert.deepEqual(pointersOf(input), ['/data/involvedPersons/1/shoeSize']);
  });

  it('reports priority given as a string at /data/priority', () => {
    const input = example();
    dataOf(input)['priority'] = '1';
    assert.deepEqual(pointersOf(input), ['/data/priority']);
  });

  it('rejects a priority outside 1..5 or not an integer', () => {
    for (const priority of [0, 6, 1.5, -1]) {
      const input = example();
      dataOf(input)['priority'] = priority;
      assert.deepEqual(pointersOf(input), ['/data/priority'], `priority ${priority}`);
    }
  });

  it('reports latitude 200 at /data/location/point/lat', () => {
    const input = example();
    ((dataOf(input)['location'] as JsonObject)['point'] as JsonObject)['lat'] = 200;
    assert.deepEqual(pointersOf(input), ['/data/location/point/lat']);
  });

  it('reports a longitude outside -180..180 and a latitude given as a string', () => {
    const input = example();
    const point = (dataOf(input)['location'] as JsonObject)['point'] as JsonObject;
    point['lon'] = -181;
    point['lat'] = '32.7';
    assert.deepEqual([...pointersOf(input)].sort(), ['/data/location/point/lat', '/data/location/point/lon']);
  });

  it('reports a missing required payload member', () => {
    for (const name of ['incidentType', 'status', 'priority', 'occurredAt', 'reportedAt', 'location']) {
      const input = example();
      delete dataOf(input)[name];
      assertRejectedAt(input, `/data/${name}`);
    }
  });

  it('rejects a payload time stamp without a zone', () => {
    const input = example();
    dataOf(input)['occurredAt'] = '2026-11-25T02:09:00';
    assert.deepEqual(pointersOf(input), ['/data/occurredAt']);
  });

  it('rejects a nested object given as a scalar', () => {
    const input = example();
    (dataOf(input)['location'] as JsonObject)['point'] = 'here';
    assertRejectedAt(input, '/data/location/point');
  });

  it('reports envelope and payload problems together', () => {
    const input = example();
    input['tlp'] = 'PURPLE';
    dataOf(input)['priority'] = 'high';
    assert.deepEqual([...pointersOf(input)].sort(), ['/data/priority', '/tlp']);
  });
});

// ---------------------------------------------------------------------------------------------
// Inputs that are not objects
// ---------------------------------------------------------------------------------------------

describe('validateEvent: non-object inputs', () => {
  const inputs: [string, unknown][] = [
    ['null', null],
    ['undefined', undefined],
    ['an array', []],
    ['an array holding the example', [example()]],
    ['a string', 'hello'],
    ['a JSON string of the example', EXAMPLE_TEXT],
    ['a number', 42],
    ['a boolean', true],
  ];
  for (const [label, input] of inputs) {
    it(`returns exactly one problem at the root pointer for ${label}, without throwing`, () => {
      const outcome = validateEvent(input);
      assert.equal(outcome.ok, false);
      assert.ok(!outcome.ok);
      assert.equal(outcome.problems.length, 1);
      assert.equal(outcome.problems[0]?.pointer, '');
      assert.ok((outcome.problems[0]?.detail.length ?? 0) > 0);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// JSON pointers (RFC 6901)
// ---------------------------------------------------------------------------------------------

/** RFC 6901 §4 decoding of one reference token: ~1 first, then ~0. */
function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

describe('pointerToken (RFC 6901 §3)', () => {
  it('leaves ordinary names unchanged', () => {
    assert.equal(pointerToken('location'), 'location');
    assert.equal(pointerToken(''), '');
    assert.equal(pointerToken('0'), '0');
  });

  it('escapes ~ as ~0 and / as ~1', () => {
    assert.equal(pointerToken('a/b'), 'a~1b');
    assert.equal(pointerToken('m~n'), 'm~0n');
    assert.equal(pointerToken('~/'), '~0~1');
    assert.equal(pointerToken('//~~'), '~1~1~0~0');
  });

  it('escapes ~ before / so that an existing "~1" does not turn into a "/"', () => {
    assert.equal(pointerToken('~1'), '~01');
    assert.equal(unescapeToken(pointerToken('~1')), '~1');
  });

  it('round-trips through RFC 6901 decoding for awkward names', () => {
    for (const name of ['a/b', '~', '~0', '~1', '/~/', 'x~1y/z~0', ' ', 'ü/ß~']) {
      assert.equal(unescapeToken(pointerToken(name)), name, name);
    }
  });
});

describe('validateEvent: escaped pointers', () => {
  it('escapes "/" in an unknown payload property name', () => {
    const input = example();
    dataOf(input)['a/b'] = 1;
    assert.deepEqual(pointersOf(input), ['/data/a~1b']);
  });

  it('escapes "~" in an unknown payload property name', () => {
    const input = example();
    dataOf(input)['m~n'] = 1;
    assert.deepEqual(pointersOf(input), ['/data/m~0n']);
  });

  it('escapes both in an unknown envelope attribute and in a nested member', () => {
    const input = example();
    input['~/x'] = 1;
    ((dataOf(input)['location'] as JsonObject)['address'] as JsonObject)['c/o~'] = 'x';
    assert.deepEqual([...pointersOf(input)].sort(), ['/data/location/address/c~1o~0', '/~0~1x']);
  });
});

describe('toProblems', () => {
  it('flattens nested class-validator errors into pointers under the prefix, one problem per member', () => {
    const errors: ValidationError[] = [
      {
        property: 'location',
        children: [
          { property: 'point', children: [{ property: 'lat', constraints: { isLatitude: 'lat must be a latitude' }, children: [] }] },
        ],
      },
      { property: 'a/b', constraints: { one: 'first', two: 'second' }, children: [] },
    ];
    assert.deepEqual(toProblems(errors, '/data'), [
      { pointer: '/data/location/point/lat', detail: 'lat must be a latitude' },
      { pointer: '/data/a~1b', detail: 'first; second' },
    ]);
  });

  it('returns no problems for no errors', () => {
    assert.deepEqual(toProblems([], ''), []);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: random mutations of the example never make validateEvent throw
// ---------------------------------------------------------------------------------------------

/** Numerical Recipes LCG; returns floats in [0, 1). Deterministic for a seed. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

type JsonKind = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';
const KINDS: readonly JsonKind[] = ['null', 'boolean', 'number', 'string', 'array', 'object'];

function kindOf(value: Json | undefined): JsonKind | 'missing' {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as 'boolean' | 'number' | 'string' | 'object';
}

class Mutator {
  constructor(readonly random: () => number) {}

  int(below: number): number {
    return Math.floor(this.random() * below);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  string(): string {
    const alphabet = ['a', 'Z', '0', ' ', '/', '~', '-', '.', 'é', '\u0000', '"', 'T', ':', '+'];
    const specials = ['', 'AMBER', '1.0', 'gov.liaison.incident.reported.v1', '2026-11-25T02:14:07Z', 'null', '__proto__'];
    if (this.random() < 0.3) return this.pick(specials);
    return Array.from({ length: this.int(12) }, () => this.pick(alphabet)).join('');
  }

  value(kind: JsonKind, depth = 0): Json {
    switch (kind) {
      case 'null':
        return null;
      case 'boolean':
        return this.random() < 0.5;
      case 'number':
        return this.pick([0, -1, 1, 1.5, 200, -1e308, 1e308, 2 ** 53 + 1, this.int(1000) - 500]);
      case 'string':
        return this.string();
      case 'array':
        return depth > 2 ? [] : Array.from({ length: this.int(3) }, () => this.value(this.pick(KINDS), depth + 1));
      case 'object': {
        const obj: JsonObject = {};
        if (depth > 2) return obj;
        for (let i = this.int(3); i > 0; i--) obj[this.string()] = this.value(this.pick(KINDS), depth + 1);
        return obj;
      }
    }
  }

  /** A random JSON value whose kind differs from `current`'s. */
  valueOfOtherKind(current: Json | undefined): Json {
    const currentKind = kindOf(current);
    return this.value(this.pick(KINDS.filter((k) => k !== currentKind)));
  }
}

/** Every object and array in `root` (including `root`), so a mutation can land at any depth. */
function containers(root: Json): (JsonObject | Json[])[] {
  if (root === null || typeof root !== 'object') return [];
  const children = Array.isArray(root) ? root : Object.values(root);
  return [root, ...children.flatMap((child) => containers(child))];
}

/** Deletes a key or replaces its value with one of another kind, in a random container. Returns a description. */
function mutate(root: JsonObject, m: Mutator): string {
  const target = m.pick(containers(root));
  const keys = Array.isArray(target) ? target.map((_, i) => String(i)) : Object.keys(target);
  if (keys.length === 0 || m.random() < 0.1) {
    // An empty container, or sometimes on purpose: add a new member.
    const key = Array.isArray(target) ? String(target.length) : m.string();
    const value = m.valueOfOtherKind(undefined);
    if (Array.isArray(target)) target.push(value);
    else target[key] = value;
    return `add ${key}`;
  }
  const key = m.pick(keys);
  if (m.random() < 0.4) {
    if (Array.isArray(target)) target.splice(Number(key), 1);
    else delete target[key];
    return `delete ${key}`;
  }
  if (Array.isArray(target)) {
    target[Number(key)] = m.valueOfOtherKind(target[Number(key)]);
  } else {
    target[key] = m.valueOfOtherKind(target[key]);
  }
  return `retype ${key}`;
}

/** Resolves an RFC 6901 pointer in `root`; `found` is false when some token does not exist. */
function resolve(root: unknown, pointer: string): { found: boolean; value: unknown } {
  if (pointer === '') return { found: true, value: root };
  let current: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const token = unescapeToken(raw);
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, token)) {
      return { found: false, value: undefined };
    }
    current = (current as Record<string, unknown>)[token];
  }
  return { found: true, value: current };
}

describe('validateEvent: property over 500 random mutations of the example', () => {
  it('never throws, and either accepts or returns located problems', () => {
    const m = new Mutator(lcg(0x5eed_1234));
    let accepted = 0;
    let rejected = 0;
    for (let run = 0; run < 500; run++) {
      const input = example();
      const steps = Array.from({ length: 1 + m.int(3) }, () => mutate(input, m));
      const snapshot = JSON.stringify(input);
      const label = `run ${run} (${steps.join(', ')}): ${snapshot}`;

      let outcome: ReturnType<typeof validateEvent>;
      try {
        outcome = validateEvent(input);
      } catch (error: unknown) {
        assert.fail(`validateEvent threw on ${label}: ${String(error)}`);
      }

      if (outcome.ok) {
        accepted++;
        continue;
      }
      rejected++;
      assert.ok(outcome.problems.length > 0, `rejected with no problems: ${label}`);
      for (const problem of outcome.problems) {
        assert.ok(problem.pointer === '' || problem.pointer.startsWith('/'), `bad pointer ${problem.pointer}: ${label}`);
        assert.equal(typeof problem.detail, 'string');
        // The pointer names a member of the input, or a missing member of an object that exists.
        const parent = problem.pointer.slice(0, Math.max(0, problem.pointer.lastIndexOf('/')));
        assert.ok(resolve(input, parent).found, `pointer ${problem.pointer} has no parent in the input: ${label}`);
      }
    }
    // Sanity: the generator produces both outcomes, so the loop really exercises both branches.
    assert.ok(rejected > 250, `only ${rejected} of 500 mutations were rejected`);
    assert.ok(accepted > 0, 'no mutation was accepted');
  });

  it('is reproducible: the same seed produces the same mutations', () => {
    const run = (): string[] => {
      const m = new Mutator(lcg(42));
      return Array.from({ length: 20 }, () => {
        const input = example();
        mutate(input, m);
        return JSON.stringify(input);
      });
    };
    assert.deepEqual(run(), run());
  });
});
