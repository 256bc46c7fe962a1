import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isRFC3339 } from 'class-validator';
import { generateSchemas, renderSchemas, RFC3339_PATTERN, stableStringify, type JsonSchema } from './json-schemas';

describe('generateSchemas', () => {
  const schemas = generateSchemas();
  const props = (name: string, definition?: string): Record<string, JsonSchema> => {
    const root = schemas[name]!;
    const target = definition === undefined ? root : ((root['definitions'] as Record<string, JsonSchema>)[definition] as JsonSchema);
    return target['properties'] as Record<string, JsonSchema>;
  };

  it('is deterministic: two runs render byte for byte the same files', () => {
    assert.deepEqual(renderSchemas(generateSchemas()), renderSchemas(schemas));
  });

  it('keeps IsInt when Min and Max follow it (the library alone turned it into number)', () => {
    assert.deepEqual(props('gov.liaison.sensor.alpr-hit.v1')['confidence'], { type: 'integer', minimum: 0, maximum: 100 });
  });

  it('makes an @IsOptional member nullable and leaves it out of required', () => {
    const reported = schemas['gov.liaison.incident.reported.v1']!;
    assert.deepEqual(props('gov.liaison.incident.reported.v1')['narrative'], { type: ['string', 'null'], maxLength: 8000 });
    assert.ok(!(reported['required'] as string[]).includes('narrative'));
    assert.deepEqual(reported['required'], ['incidentType', 'location', 'occurredAt', 'priority', 'reportedAt', 'status']);
  });

  it('states ValidateIf requirements as if/then', () => {
    const identifier = (schemas['gov.liaison.intel.published.v1']!['definitions'] as Record<string, JsonSchema>)['PersonIdentifier']!;
    assert.deepEqual(identifier['then'], { required: ['jurisdiction'] });
    assert.deepEqual(props('gov.liaison.intel.published.v1', 'PersonIdentifier')['jurisdiction'], {
      type: 'string',
      pattern: '^[A-Z]{2,3}$',
    });
  });

  it('carries the recipients extension with its count limit in the pattern', () => {
    const recipients = props('envelope')['recipients']!;
    assert.deepEqual(recipients['type'], ['string', 'null']);
    const pattern = new RegExp(recipients['pattern'] as string, 'u');
    const oris = (n: number): string => Array.from({ length: n }, (_, i) => `TX${String(i).padStart(7, '0')}`).join(' ');
    assert.ok(pattern.test(oris(50)));
    assert.ok(!pattern.test(oris(51)));
  });

  it('lists every registered type in the envelope type enum, and says where it is looser', () => {
    assert.equal((props('envelope')['type']!['enum'] as string[]).length, Object.keys(schemas).length - 1);
    assert.match(schemas['gov.liaison.alert.issued.v1']!['$comment'] as string, /later than effective/);
    assert.match(schemas['gov.liaison.alert.issued.v1']!['$comment'] as string, /ring must be closed/);
  });

  it('renders keys sorted at every depth', () => {
    assert.equal(
      stableStringify({ b: 1, a: { d: [{ z: 1, y: 2 }], c: 3 } }),
      JSON.stringify({ a: { c: 3, d: [{ y: 2, z: 1 }] }, b: 1 }, null, 2),
    );
  });
});

describe('RFC3339_PATTERN', () => {
  const samples = [
    '2026-11-25T02:09:00-06:00',
    '2026-11-25T02:09:00Z',
    '2026-11-25t02:09:00z',
    '2026-11-25 02:09:00+01:00',
    '2026-11-25T02:09:00.123456Z',
    '2026-12-31T23:59:60Z',
    '2026-11-25T02:09:00',
    '2026-11-25T24:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-11-25T02:09Z',
    '2026-11-25T02:09:00+0100',
    '2026-11-25',
    ' 2026-11-25T02:09:00Z',
    '2026-11-25T02:09:00Z ',
  ];
  for (const sample of samples) {
    it(`agrees with validator.js isRFC3339 on ${JSON.stringify(sample)}`, () => {
      assert.equal(new RegExp(RFC3339_PATTERN, 'u').test(sample), isRFC3339(sample));
    });
  }
});
