import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { validateEvent } from '../validation';

type JsonObject = Record<string, unknown>;

// Compiled specs run from dist/libs/contracts/src/payloads; the examples are in the repository's docs/.
const example = (type: string): JsonObject =>
  JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', '..', 'docs', 'examples', `${type}.json`), 'utf8')) as JsonObject;

/** Replaces the member at `path` (inside data) and returns the pointers validateEvent reports. */
function pointersWith(type: string, path: string[], value: unknown): string[] {
  const event = example(type);
  let target = event['data'] as JsonObject;
  for (const step of path.slice(0, -1)) target = target[step] as JsonObject;
  target[path.at(-1)!] = value;
  const outcome = validateEvent(event);
  return outcome.ok ? [] : outcome.problems.map((p) => p.pointer);
}

// class-validator's ValidateNested validates each element of an array it is given, so without
// IsObject an array of objects (or an empty array) passed where one object belongs.
describe('a nested object member refuses an array in its place', () => {
  const cases: [string, string[]][] = [
    ['gov.liaison.incident.reported.v1', ['location']],
    ['gov.liaison.incident.reported.v1', ['location', 'point']],
    ['gov.liaison.incident.reported.v1', ['location', 'address']],
    ['gov.liaison.intel.published.v1', ['grading']],
    ['gov.liaison.intel.published.v1', ['criminalPredicate']],
    ['gov.liaison.sensor.alpr-hit.v1', ['point']],
  ];
  for (const [type, path] of cases) {
    const pointer = `/data/${path.join('/')}`;
    it(`${type} ${pointer}: [] and [object] are refused`, () => {
      const event = example(type);
      let original: unknown = event['data'];
      for (const step of path) original = (original as JsonObject)[step];
      assert.ok(original !== undefined, `${pointer} exists in the example`);
      assert.deepEqual(pointersWith(type, path, []), [pointer]);
      assert.ok(pointersWith(type, path, [original]).includes(pointer));
    });
  }
});

describe('an element of a list of nested objects refuses an array in its place', () => {
  const cases: [string, string[]][] = [
    ['gov.liaison.incident.updated.v1', ['involvedPersons']],
    ['gov.liaison.incident.updated.v1', ['involvedVehicles']],
    ['gov.liaison.intel.published.v1', ['subjects', 'persons']],
    ['gov.liaison.intel.published.v1', ['subjects', 'organizations']],
  ];
  for (const [type, path] of cases) {
    // class-validator names the list for an `each` rule, not the element.
    const pointer = `/data/${path.join('/')}`;
    it(`${type} ${pointer}/0: [] is refused`, () => {
      assert.deepEqual(pointersWith(type, [...path, '0'], []), [pointer]);
    });
  }
});
