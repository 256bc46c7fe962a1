import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { breakingChanges, breakingChangesAcross } from './compat';
import type { JsonSchema } from './json-schemas';

/** A small payload schema in the shape the generator writes: closed objects, nullable optionals, definitions. */
function base(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'priority', 'where'],
    properties: {
      kind: { type: 'string', enum: ['bolo', 'amber'] },
      priority: { type: 'integer', minimum: 1, maximum: 5 },
      code: { type: ['string', 'null'], pattern: '^[A-Z]{2}$', maxLength: 2 },
      notes: { type: ['array', 'null'], maxItems: 10, items: { type: 'string', maxLength: 100 } },
      where: { $ref: '#/definitions/Place' },
    },
    definitions: {
      Place: {
        type: 'object',
        additionalProperties: false,
        required: ['lat'],
        properties: { lat: { type: 'number', minimum: -90, maximum: 90 }, label: { type: ['string', 'null'], maxLength: 50 } },
      },
    },
  };
}

/** `base()` with `edit` applied to a deep copy. */
function changed(
  edit: (s: JsonSchema & { properties: Record<string, JsonSchema>; definitions: Record<string, JsonSchema> }) => void,
): JsonSchema {
  const copy = base() as JsonSchema & { properties: Record<string, JsonSchema>; definitions: Record<string, JsonSchema> };
  edit(copy);
  return copy;
}

const place = (s: { definitions: Record<string, JsonSchema> }): JsonSchema & { properties: Record<string, JsonSchema> } =>
  s.definitions['Place'] as JsonSchema & { properties: Record<string, JsonSchema> };

describe('breakingChanges: what breaks a contract within its version', () => {
  it('finds nothing between a schema and itself', () => {
    assert.deepEqual(breakingChanges(base(), base()), []);
  });

  const breaking: [string, JsonSchema, RegExp][] = [
    [
      'a property removed',
      changed((s) => {
        delete s.properties['code'];
      }),
      /^\/: property code removed$/,
    ],
    [
      'a type changed',
      changed((s) => (s.properties['priority'] = { type: 'number', minimum: 1, maximum: 5 })),
      /\/properties\/priority: type changed/,
    ],
    ['an enum value removed', changed((s) => (s.properties['kind'] = { type: 'string', enum: ['bolo'] })), /enum value "amber" removed/],
    [
      'optional made required',
      changed((s) => (s['required'] = ['code', 'kind', 'priority', 'where'])),
      /property code changed from optional to required/,
    ],
    [
      'a new required property',
      changed((s) => {
        s.properties['severity'] = { type: 'string' };
        s['required'] = ['kind', 'priority', 'severity', 'where'];
      }),
      /new required property severity/,
    ],
    [
      'a pattern changed',
      changed((s) => (s.properties['code'] = { type: ['string', 'null'], pattern: '^[A-Z]{3}$', maxLength: 2 })),
      /pattern changed/,
    ],
    [
      'a pattern added',
      changed((s) => (s.properties['notes']!['items'] = { type: 'string', maxLength: 100, pattern: '^\\S+$' })),
      /\/items: pattern changed/,
    ],
    [
      'a maximum lowered',
      changed((s) => (s.properties['priority'] = { type: 'integer', minimum: 1, maximum: 4 })),
      /maximum narrowed from 5 to 4/,
    ],
    [
      'a minimum raised',
      changed((s) => (s.properties['priority'] = { type: 'integer', minimum: 2, maximum: 5 })),
      /minimum narrowed from 1 to 2/,
    ],
    [
      'a maxLength lowered',
      changed((s) => (s.properties['code'] = { type: ['string', 'null'], pattern: '^[A-Z]{2}$', maxLength: 1 })),
      /maxLength narrowed/,
    ],
    ['a maxItems lowered', changed((s) => (s.properties['notes']!['maxItems'] = 5)), /maxItems narrowed from 10 to 5/],
    [
      'a limit added where there was none',
      changed((s) => (place(s).properties['label'] = { type: ['string', 'null'], maxLength: 50, minLength: 3 })),
      /minLength narrowed from "none" to 3/,
    ],
    [
      'a change inside a referenced definition',
      changed((s) => (place(s).properties['lat'] = { type: 'number', minimum: 0, maximum: 90 })),
      /^\/properties\/where\/properties\/lat: minimum narrowed/,
    ],
    [
      'null no longer accepted',
      changed((s) => (s.properties['code'] = { type: 'string', pattern: '^[A-Z]{2}$', maxLength: 2 })),
      /type changed from "null"\|"string" to "string"/,
    ],
    [
      'values newly restricted to an enum',
      changed((s) => (place(s).properties['label'] = { type: ['string', 'null'], maxLength: 50, enum: ['x', null] })),
      /restricted to an enum/,
    ],
  ];
  for (const [label, after, expected] of breaking) {
    it(`reports ${label}`, () => {
      const changes = breakingChanges(base(), after);
      assert.ok(
        changes.some((c) => expected.test(c)),
        `expected a change matching ${String(expected)}, got ${JSON.stringify(changes)}`,
      );
    });
  }

  it('reports closing an object that allowed other properties', () => {
    const open = changed((s) => {
      delete s['additionalProperties'];
    });
    assert.deepEqual(breakingChanges(open, base()), ['/: additional properties no longer allowed']);
  });

  const additive: [string, JsonSchema][] = [
    ['a new optional property', changed((s) => (s.properties['severity'] = { type: ['string', 'null'], maxLength: 20 }))],
    ['a new enum value', changed((s) => (s.properties['kind'] = { type: 'string', enum: ['bolo', 'amber', 'officer-safety'] }))],
    ['a raised maximum', changed((s) => (s.properties['priority'] = { type: 'integer', minimum: 1, maximum: 9 }))],
    ['a lowered minimum', changed((s) => (s.properties['priority'] = { type: 'integer', minimum: 0, maximum: 5 }))],
    ['a pattern dropped', changed((s) => (s.properties['code'] = { type: ['string', 'null'], maxLength: 2 }))],
    ['new documentation', changed((s) => ((s.properties['kind']!['description'] = 'what kind'), (s['$comment'] = 'note')))],
    ['a new optional property in a definition', changed((s) => (place(s).properties['lon'] = { type: ['number', 'null'] }))],
  ];
  for (const [label, after] of additive) {
    it(`allows ${label}`, () => {
      assert.deepEqual(breakingChanges(base(), after), []);
    });
  }
});

describe('breakingChangesAcross', () => {
  it('reports a schema that disappeared and names the file of every change', () => {
    const after = { 'b.v1': changed((s) => (s.properties['kind'] = { type: 'string', enum: ['amber'] })) };
    const changes = breakingChangesAcross({ 'a.v1': base(), 'b.v1': base() }, after);
    assert.equal(changes.length, 2, JSON.stringify(changes));
    assert.match(changes[0]!, /^a\.v1: schema removed/);
    assert.match(changes[1]!, /^b\.v1#\/properties\/kind: enum value "bolo" removed$/);
  });

  it('allows a new schema (a new event type)', () => {
    assert.deepEqual(breakingChangesAcross({ 'a.v1': base() }, { 'a.v1': base(), 'a.v2': base() }), []);
  });
});
