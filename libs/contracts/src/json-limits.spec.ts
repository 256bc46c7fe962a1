import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isExistingTimestamp } from './payloads/common';
import { jsonInputProblems, MAX_JSON_DEPTH, MAX_REPORTED_PROBLEMS } from './json-limits';
import { validateEvent } from './validation';

type JsonObject = Record<string, unknown>;

const example = (): JsonObject =>
  JSON.parse(
    readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'examples', 'gov.liaison.incident.updated.v1.json'), 'utf8'),
  ) as JsonObject;

describe('members named like Object.prototype properties', () => {
  // Parsed from text, as the gateway and the router see them (JSON.parse makes __proto__ an own member).
  const bodies: [string, string][] = [
    ['constructor in data (class-transformer threw on it)', '"data":{"constructor":{"a":1},'],
    ['toString in data (class-transformer dropped it silently)', '"data":{"toString":{},'],
    ['__proto__ in data', '"data":{"__proto__":{"a":1},'],
    ['hasOwnProperty in a nested object', '"location":{"hasOwnProperty":1,'],
    ['constructor in an array element', '"involvedPersons":[{"constructor":"x",'],
  ];
  for (const [label, replacement] of bodies) {
    it(`refuses ${label} with a problem at its pointer, without throwing`, () => {
      const anchor = replacement.slice(0, replacement.indexOf('{') + 1);
      const text = JSON.stringify(example()).replace(anchor, replacement);
      assert.notEqual(text, JSON.stringify(example()), 'the member was inserted');
      const outcome = validateEvent(JSON.parse(text));
      assert.equal(outcome.ok, false);
      assert.equal(outcome.ok ? 0 : outcome.problems.length, 1);
      assert.match(outcome.ok ? '' : outcome.problems[0]!.detail, /should not exist/);
    });
  }

  it('names the full pointer, escaped', () => {
    assert.deepEqual(jsonInputProblems(JSON.parse('{"a/b":[{"valueOf":1}],"data":{"toString":2}}')), [
      { pointer: '/a~1b/0/valueOf', detail: 'property valueOf should not exist' },
      { pointer: '/data/toString', detail: 'property toString should not exist' },
    ]);
  });

  it('finds nothing in an ordinary event', () => {
    assert.deepEqual(jsonInputProblems(example()), []);
  });
});

describe('jsonInputProblems: what no member may hold', () => {
  const at = (value: unknown): string[] => jsonInputProblems(value).map((p) => `${p.pointer}: ${p.detail}`);

  it('refuses NUL, other C0 and C1 controls and DEL in any string, naming the member', () => {
    assert.deepEqual(at({ data: { narrative: 'a\u0000b' } }), ['/data/narrative: must not contain U+0000 (NUL)']);
    for (const c of ['\u0001', '\u001b', '\u007f', '\u0085', '\u009f']) {
      assert.deepEqual(at({ name: `x${c}` }), ['/name: must not contain control characters'], JSON.stringify(c));
    }
  });

  it('lets only free-text members hold tab, line feed and carriage return', () => {
    assert.deepEqual(at({ data: { narrative: 'line 1\r\n\tline 2', summary: 'a\nb' } }), []);
    assert.deepEqual(at({ items: [{ description: 'a\nb' }] }), []);
    assert.deepEqual(at({ subject: 'INC-1\n' }), ['/subject: must be a single line (no tab, line feed or carriage return)']);
  });

  it('refuses unpaired surrogates but keeps paired ones (emoji)', () => {
    assert.deepEqual(at({ a: 'ok \ud83d\ude93' }), []);
    for (const bad of ['\ud800', 'x\udc00', '\udbffx', '\ude93\ud83d']) {
      assert.deepEqual(at({ a: bad }), ['/a: must be valid Unicode (unpaired surrogate)'], JSON.stringify(bad));
    }
  });

  it('refuses control characters, surrogates and Object.prototype names in member names', () => {
    assert.deepEqual(at(JSON.parse('{"a\\u0000":1,"b\\ud800":2,"__proto__":{}}')), [
      '/__proto__: property __proto__ should not exist',
      '/a\u0000: member names must not contain control characters',
      '/b\ud800: member names must be valid Unicode (unpaired surrogate)',
    ]);
  });

  it('refuses numbers JSON and PostgreSQL would not keep exactly', () => {
    assert.deepEqual(at({ n: Number.MAX_SAFE_INTEGER, m: -Number.MAX_SAFE_INTEGER, f: 0.1, e: 1e-300 }), []);
    assert.deepEqual(
      jsonInputProblems(JSON.parse('{"a":9007199254740993,"b":1e400,"c":-1e400,"d":1.5e300}')).map((p) => p.pointer),
      ['/a', '/b', '/c', '/d'],
    );
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH}, once, and survives very deep nesting without recursion`, () => {
    const nest = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    assert.deepEqual(jsonInputProblems(nest(MAX_JSON_DEPTH)), []);
    const refused = jsonInputProblems(nest(MAX_JSON_DEPTH + 1));
    assert.deepEqual(
      refused.map((p) => p.pointer),
      [`${'/0'.repeat(MAX_JSON_DEPTH)}`],
    );
    assert.equal(jsonInputProblems(nest(200_000)).length, 1);
  });

  it('checks only depth when asked, and reports a bounded number of problems', () => {
    assert.deepEqual(jsonInputProblems({ a: '\u0000' }, { depthOnly: true }), []);
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, '\u0000']));
    assert.equal(jsonInputProblems(many).length, MAX_REPORTED_PROBLEMS);
  });

  it('gives the same answer through validateEvent, before any transformation', () => {
    const event = example();
    (event['data'] as JsonObject)['narrative'] = 'a\u0000';
    const outcome = validateEvent(event);
    assert.deepEqual(outcome.ok ? [] : outcome.problems, [{ pointer: '/data/narrative', detail: 'must not contain U+0000 (NUL)' }]);
  });
});

describe('isExistingTimestamp', () => {
  it('accepts instants that exist and refuses days and times that do not', () => {
    for (const ok of ['2024-02-29T10:00:00Z', '2026-12-31T23:59:59.999+14:00', '2026-11-25T02:09:00-06:00'])
      assert.ok(isExistingTimestamp(ok), ok);
    for (const bad of [
      '2026-02-29T10:00:00Z',
      '2026-02-30T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T00:00:60Z',
      '2026-01-01T00:00:00+24:00',
      '2026-01-01',
    ]) {
      assert.equal(isExistingTimestamp(bad), false, bad);
    }
  });

  it('makes validateEvent refuse an event time that does not exist', () => {
    const outcome = validateEvent({ ...example(), time: '2026-02-30T10:00:00Z' });
    assert.deepEqual(outcome.ok ? [] : outcome.problems.map((p) => p.pointer), ['/time']);
  });
});
