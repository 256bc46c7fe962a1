import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { incident, rules } from './builders.spec-support';
import { applyFieldRules, combineFieldRules, remainingPersonalData, snapToGrid } from './field-rules';
import { pointerCovers, pointerValues } from './pointer';

const data = (): Record<string, unknown> => structuredClone(incident().data);

describe('applyFieldRules', () => {
  it('returns an equal new object when the rules change nothing', () => {
    const input = data();
    const out = applyFieldRules(input, rules());
    assert.deepEqual(out, input);
    assert.notEqual(out, input);
  });

  it('removes the members redacted pointers name, and every array element through -', () => {
    const out = applyFieldRules(data(), rules({ redact: ['/narrative', '/involvedPersons/-/identifiers', '/location/address/street'] }));
    assert.equal(out['narrative'], undefined);
    const persons = out['involvedPersons'] as Record<string, unknown>[];
    assert.equal(persons.length, 2);
    assert.ok(persons.every((p) => !('identifiers' in p) && 'name' in p));
    assert.deepEqual((out['location'] as { address: unknown }).address, { city: 'Metro City', state: 'XX', postalCode: '00001' });
  });

  it('removes one array element by index, and ignores pointers to nothing', () => {
    const out = applyFieldRules(data(), rules({ redact: ['/involvedPersons/0', '/nothing/here', '/involvedPersons/9'] }));
    const persons = out['involvedPersons'] as { role: string }[];
    assert.deepEqual(
      persons.map((p) => p.role),
      ['suspect'],
    );
  });

  it('unescapes ~1 and ~0 in pointer segments (RFC 6901)', () => {
    const out = applyFieldRules({ 'a/b': 1, 'c~d': 2, keep: 3 }, rules({ redact: ['/a~1b', '/c~0d'] }));
    assert.deepEqual(out, { keep: 3 });
  });

  it('snaps every point to the south-west corner of its grid cell', () => {
    const out = applyFieldRules(
      { location: { point: { lat: 32.7767, lon: -96.797 } }, subjects: { locations: [{ point: { lat: -0.05, lon: 0.3 } }] } },
      rules({ coarsenLocationDegrees: 0.1 }),
    );
    assert.deepEqual((out['location'] as { point: unknown }).point, { lat: 32.7, lon: -96.8 });
    assert.deepEqual((out['subjects'] as { locations: { point: unknown }[] }).locations[0]?.point, { lat: -0.1, lon: 0.3 });
  });

  it('snaps the positions of polygon areas too, so an area is no more exact than a point', () => {
    const area = {
      type: 'Polygon',
      coordinates: [
        [
          [-96.81, 32.71],
          [-96.79, 32.71],
          [-96.79, 32.79],
          [-96.81, 32.71],
        ],
      ],
    };
    const out = applyFieldRules({ area: { area } }, rules({ coarsenLocationDegrees: 0.05 }));
    assert.deepEqual((out['area'] as { area: { coordinates: unknown } }).area.coordinates, [
      [
        [-96.85, 32.7],
        [-96.8, 32.7],
        [-96.8, 32.75],
        [-96.85, 32.7],
      ],
    ]);
  });

  it('keeps a point on a cell boundary in that cell', () => {
    assert.equal(snapToGrid(32.7, 0.1), 32.7);
    assert.equal(snapToGrid(-96.8, 0.1), -96.8);
    assert.equal(snapToGrid(45, 1), 45);
    assert.equal(snapToGrid(-0.5, 1), -1);
  });

  it('removes every narrative member when asked, and keeps an intel summary', () => {
    const out = applyFieldRules({ narrative: 'x', summary: 's', closure: { narrative: 'y', code: 1 } }, rules({ dropNarrative: true }));
    assert.deepEqual(out, { summary: 's', closure: { code: 1 } });
  });

  it('never changes its input', () => {
    const input = data();
    const before = structuredClone(input);
    applyFieldRules(
      input,
      rules({ redact: ['/involvedPersons/-/identifiers', '/narrative'], coarsenLocationDegrees: 1, dropNarrative: true }),
    );
    assert.deepEqual(input, before);
  });
});

describe('combineFieldRules', () => {
  it('removes only what every policy removes, comparing pointers by what they cover', () => {
    const combined = combineFieldRules([rules({ redact: ['/a', '/x/-/y'] }), rules({ redact: ['/a/b', '/x/0/y', '/z'] })]);
    assert.deepEqual(combined.redact, ['/a/b', '/x/0/y']);
  });

  it('is the rules themselves for one policy, and no rules for none', () => {
    const one = rules({ redact: ['/a'], coarsenLocationDegrees: 1, dropNarrative: true });
    assert.deepEqual(combineFieldRules([one]), one);
    assert.deepEqual(combineFieldRules([]), rules());
  });
});

describe('remainingPersonalData', () => {
  it('drops pointers to removed members and leaves the attribute out when none remain', () => {
    assert.equal(remainingPersonalData('/narrative /involvedPersons', rules({ dropNarrative: true })), '/involvedPersons');
    assert.equal(remainingPersonalData('/involvedPersons/0/name', rules({ redact: ['/involvedPersons'] })), undefined);
    assert.equal(remainingPersonalData('/involvedPersons', rules({ redact: ['/involvedPersons/-/identifiers'] })), '/involvedPersons');
    assert.equal(remainingPersonalData(undefined, rules()), undefined);
  });
});

describe('pointers', () => {
  it('covers by segment prefix, with - covering any index', () => {
    assert.ok(pointerCovers('/a', '/a/b'));
    assert.ok(pointerCovers('/a/-/b', '/a/3/b/c'));
    assert.ok(!pointerCovers('/a/3/b', '/a/-/b'));
    assert.ok(!pointerCovers('/ab', '/a/b'));
    assert.ok(!pointerCovers('/a/b', '/a'));
  });

  it('reads every value a pointer names', () => {
    assert.deepEqual(pointerValues({ a: [{ b: 1 }, { b: 2 }, {}] }, '/a/-/b'), [1, 2]);
    assert.deepEqual(pointerValues({ a: 1 }, '/b'), []);
  });
});
