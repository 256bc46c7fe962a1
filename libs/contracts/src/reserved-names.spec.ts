import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { reservedNameProblems } from './reserved-names';
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
    assert.deepEqual(reservedNameProblems(JSON.parse('{"a/b":[{"valueOf":1}],"data":{"toString":2}}')), [
      { pointer: '/a~1b/0/valueOf', detail: 'property valueOf should not exist' },
      { pointer: '/data/toString', detail: 'property toString should not exist' },
    ]);
  });

  it('finds nothing in an ordinary event, and survives very deep nesting', () => {
    assert.deepEqual(reservedNameProblems(example()), []);
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    assert.deepEqual(reservedNameProblems({ data: deep }), []);
  });
});
