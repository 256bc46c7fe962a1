import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ENVELOPE_ATTRIBUTES, MAX_RECIPIENTS, ORI_PATTERN, parseRecipients } from './envelope';
import { fromBinaryRecord, toBinaryRecord } from './kafka-binding';
import { validateEvent } from './validation';

type JsonObject = Record<string, unknown>;

// Compiled specs run from dist/libs/contracts/src; the examples are in the repository's docs/.
const EXAMPLES_DIR = join(__dirname, '..', '..', '..', '..', 'docs', 'examples');

function redExample(recipients?: unknown): JsonObject {
  const example = JSON.parse(readFileSync(join(EXAMPLES_DIR, 'gov.liaison.intel.published.v1.json'), 'utf8')) as JsonObject;
  return recipients === undefined ? { ...example, tlp: 'RED' } : { ...example, tlp: 'RED', recipients };
}

const oris = (n: number): string[] => Array.from({ length: n }, (_, i) => `TX${String(i).padStart(7, '0')}`);

function problemsAt(input: unknown, pointer: string): string[] {
  const outcome = validateEvent(input);
  return outcome.ok ? [] : outcome.problems.filter((p) => p.pointer === pointer).map((p) => p.detail);
}

describe('envelope extension recipients', () => {
  it('is optional: an event without it is still valid', () => {
    const outcome = validateEvent(redExample());
    assert.ok(outcome.ok, JSON.stringify(outcome.ok ? [] : outcome.problems));
    assert.equal(outcome.value.recipients, undefined);
  });

  for (const list of [oris(1), oris(2), oris(MAX_RECIPIENTS), ['TX227SO00', 'XX0000001']]) {
    it(`accepts ${list.length} ORI(s) separated by single spaces`, () => {
      const outcome = validateEvent(redExample(list.join(' ')));
      assert.ok(outcome.ok, JSON.stringify(outcome.ok ? [] : outcome.problems));
      assert.deepEqual(parseRecipients(outcome.value.recipients), list);
    });
  }

  const bad: [string, unknown][] = [
    ['more than 50 ORIs', oris(MAX_RECIPIENTS + 1).join(' ')],
    ['an empty string', ''],
    ['a lower-case ORI', 'tx2270100'],
    ['an ORI of 8 characters', 'TX227010'],
    ['an ORI of 10 characters', 'TX22701000'],
    ['an ORI starting with a digit', '1X2270100'],
    ['two spaces between ORIs', 'TX2270100  TX227SO00'],
    ['a leading space', ' TX2270100'],
    ['a trailing space', 'TX2270100 '],
    ['a comma-separated list', 'TX2270100,TX227SO00'],
    ['an array instead of a string', ['TX2270100']],
    ['a number', 42],
  ];
  for (const [label, value] of bad) {
    it(`rejects ${label} at /recipients`, () => {
      const details = problemsAt(redExample(value), '/recipients');
      assert.equal(details.length, 1, `expected one problem at /recipients, got ${JSON.stringify(validateEvent(redExample(value)))}`);
      assert.match(details[0]!, /recipients/);
    });
  }

  it('is written to Kafka as ce_recipients and read back unchanged', () => {
    const list = oris(3).join(' ');
    const outcome = validateEvent(redExample(list));
    assert.ok(outcome.ok);
    const record = toBinaryRecord(outcome.value);
    assert.equal(record.headers['ce_recipients'], list);
    const back = validateEvent(fromBinaryRecord(record));
    assert.ok(back.ok, JSON.stringify(back.ok ? [] : back.problems));
    assert.deepEqual(back.value, outcome.value);
  });

  it('writes no ce_recipients header when the event has none', () => {
    const outcome = validateEvent(redExample());
    assert.ok(outcome.ok);
    assert.equal(toBinaryRecord(outcome.value).headers['ce_recipients'], undefined);
  });

  it('comes last in the header order, so existing events keep their headers as they were', () => {
    assert.equal(ENVELOPE_ATTRIBUTES.at(-1), 'recipients');
  });

  it('uses the same ORI rule as agencies', () => {
    assert.ok(ORI_PATTERN.test('TX2270100'));
    assert.ok(!ORI_PATTERN.test('TX227010'));
    assert.deepEqual(parseRecipients(undefined), []);
    assert.deepEqual(parseRecipients(null), []);
  });
});
