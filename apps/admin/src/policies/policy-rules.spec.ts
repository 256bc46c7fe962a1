import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { geoScopeProblems, isJsonPointer, policyProblems, toGeoScope } from './policy-rules';
import type { PolicyDto } from './policy.dto';

const GRANTOR = '00000000-0000-4000-8000-00000000000a';
const OTHER = '00000000-0000-4000-8000-00000000000b';
const base: PolicyDto = { granteeAgencyId: OTHER, maxTlp: 'AMBER', purpose: 'p' };
const at = (dto: Partial<PolicyDto>) => policyProblems({ ...base, ...dto }, GRANTOR).map((p) => p.pointer);

describe('policy checks (pure)', () => {
  it('wants exactly one grantee, never the grantor itself', () => {
    assert.deepEqual(at({}), []);
    assert.deepEqual(at({ granteeAgencyId: undefined }), ['/granteeAgencyId']);
    assert.deepEqual(at({ granteeGroupId: OTHER }), ['/granteeGroupId']);
    assert.deepEqual(at({ granteeAgencyId: GRANTOR.toUpperCase() }), ['/granteeAgencyId']);
    assert.deepEqual(at({ granteeAgencyId: undefined, granteeGroupId: OTHER }), []);
  });

  it('checks boxes: ranges, then south < north and west < east', () => {
    const box = (west: number, south: number, east: number, north: number) =>
      geoScopeProblems({ kind: 'bbox', west, south, east, north }).map((p) => p.pointer);
    assert.deepEqual(box(-95.8, 29.5, -95, 30.1), []);
    assert.deepEqual(box(-95.8, 30.1, -95, 29.5), ['/geoScope/north']);
    assert.deepEqual(box(-95, 29.5, -95.8, 30.1), ['/geoScope/east']);
    assert.deepEqual(box(-181, -91, 181, 91), ['/geoScope/west', '/geoScope/east', '/geoScope/south', '/geoScope/north']);
    assert.deepEqual(
      geoScopeProblems({ kind: 'bbox', west: 0, south: 0, east: 1, north: 1, up: 2 }).map((p) => p.pointer),
      ['/geoScope/up'],
    );
  });

  it('checks polygons: at least four positions in range, closed ring', () => {
    const ring = (...points: unknown[]) => geoScopeProblems({ kind: 'polygon', ring: points }).map((p) => p.pointer);
    assert.deepEqual(ring([0, 0], [1, 0], [1, 1], [0, 0]), []);
    assert.deepEqual(ring([0, 0], [1, 0], [1, 1], [0, 1]), ['/geoScope/ring/3']);
    assert.deepEqual(ring([0, 0], [1, 0], [0, 0]), ['/geoScope/ring']);
    assert.deepEqual(ring([0, 0], ['1', 0], [1, 95], [0, 0]), ['/geoScope/ring/1', '/geoScope/ring/2']);
  });

  it('checks jurisdiction lists and refuses unknown kinds', () => {
    assert.deepEqual(geoScopeProblems({ kind: 'jurisdiction', codes: ['48201'] }), []);
    assert.deepEqual(
      geoScopeProblems({ kind: 'jurisdiction', codes: [] }).map((p) => p.pointer),
      ['/geoScope/codes'],
    );
    assert.deepEqual(
      geoScopeProblems({ kind: 'circle' }).map((p) => p.pointer),
      ['/geoScope/kind'],
    );
  });

  it('accepts only JSON pointers as field rules, and windows that end after they start', () => {
    assert.ok(isJsonPointer('/involvedPersons/-/identifiers'));
    assert.ok(isJsonPointer('/a~1b/c~0d'));
    for (const bad of ['', 'narrative', '/bad~2', '/x~']) assert.ok(!isJsonPointer(bad), bad);
    assert.deepEqual(at({ fieldRules: { redact: ['/ok', 'nope'] } }), ['/fieldRules/redact/1']);
    assert.deepEqual(at({ validFrom: '2027-01-01T00:00:00Z', validUntil: '2027-01-01T00:00:00Z' }), ['/validUntil']);
  });

  it('maps a checked scope to the policy model', () => {
    assert.deepEqual(
      toGeoScope({
        kind: 'polygon',
        ring: [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 0],
        ],
      }),
      {
        kind: 'polygon',
        ring: [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 0],
        ],
      },
    );
  });
});
