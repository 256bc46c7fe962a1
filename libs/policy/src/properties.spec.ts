import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { agency, B, C, D, group, NOW, OWNER } from './builders.spec-support';
import { decideRecipients } from './decide';
import { applyFieldRules } from './field-rules';
import {
  TLP_ORDER,
  type AgencyFacts,
  type Decision,
  type EventFacts,
  type FieldRules,
  type GeoScope,
  type SharingGroupFacts,
  type SharingPolicy,
} from './model';
import { anyPointerCovers, pointerValues } from './pointer';
import { PolicyIndex } from './policy-index';

const E = 'e0000000-0000-4000-8000-000000000005';
const CANDIDATES = [B, C, D, E];
const FEEDS = ['cad', 'rms', 'lpr'];
const TYPES = ['gov.liaison.incident.reported.v1', 'gov.liaison.intel.published.v1', 'gov.liaison.alert.issued.v1'];
/** Pointers that name members of the generated payloads (no array indexes: removing one shifts the rest). */
const POINTERS = [
  '/narrative',
  '/involvedPersons',
  '/involvedPersons/-/identifiers',
  '/involvedPersons/-/name',
  '/location',
  '/location/address',
  '/location/address/street',
  '/location/point',
];
const INSTANTS = [null, '2026-11-25T11:00:00Z', '2026-11-25T12:00:00Z', '2026-11-25T13:00:00Z'];
const RUNS = { numRuns: 300 };

const tlp = fc.constantFrom(...TLP_ORDER);
const instant = fc.constantFrom(...INSTANTS);
const bbox: fc.Arbitrary<GeoScope> = fc
  .record({
    west: fc.integer({ min: -100, max: -95 }),
    south: fc.integer({ min: 30, max: 34 }),
    w: fc.integer({ min: 1, max: 4 }),
    h: fc.integer({ min: 1, max: 4 }),
  })
  .map(({ west, south, w, h }) => ({ kind: 'bbox', west, south, east: west + w, north: south + h }));

const fieldRules: fc.Arbitrary<FieldRules> = fc.record({
  redact: fc.subarray(POINTERS),
  coarsenLocationDegrees: fc.constantFrom(null, 0.1, 0.5, 1),
  dropNarrative: fc.boolean(),
});

const agencyFacts = (id: string): fc.Arbitrary<AgencyFacts> =>
  fc
    .record({
      status: fc.constantFrom('active', 'active', 'active', 'suspended' as const),
      lawEnforcement: fc.boolean(),
      acceptsStatuses: fc.subarray(['Exercise', 'Test'] as const),
    })
    .map((o) => agency(id, o));

const policyArb = (id: number): fc.Arbitrary<SharingPolicy> =>
  fc
    .record({
      grantee: fc.oneof(
        fc.constantFrom(...CANDIDATES).map((agencyId) => ({ kind: 'agency' as const, agencyId })),
        fc.constantFrom('g1', 'g2').map((groupId) => ({ kind: 'group' as const, groupId })),
      ),
      feeds: fc.option(fc.subarray(FEEDS), { nil: null }),
      eventTypes: fc.option(fc.subarray(TYPES), { nil: null }),
      maxTlp: tlp,
      geoScope: fc.option(bbox, { nil: null }),
      purpose: fc.constantFrom('', 'joint task force'),
      validFrom: instant,
      validUntil: instant,
      fieldRules,
      revoked: fc.boolean(),
    })
    .map((p) => ({ id: `p${id}`, grantorAgencyId: OWNER, ...p }));

interface World {
  agencies: AgencyFacts[];
  groups: SharingGroupFacts[];
  policies: SharingPolicy[];
}

const world: fc.Arbitrary<World> = fc.record({
  agencies: fc.tuple(agencyFacts(OWNER), ...CANDIDATES.map(agencyFacts)),
  groups: fc.tuple(fc.subarray(CANDIDATES), fc.subarray(CANDIDATES)).map(([g1, g2]) => [group('g1', g1), group('g2', g2)]),
  policies: fc.integer({ min: 0, max: 8 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => policyArb(i)))),
});

const event: fc.Arbitrary<EventFacts> = fc
  .record({
    type: fc.constantFrom(...TYPES),
    feed: fc.option(fc.constantFrom(...FEEDS), { nil: null }),
    tlp,
    namedRecipientIds: fc.subarray(CANDIDATES),
    expires: fc.constantFrom(null, '2026-11-25T11:00:00Z', '2026-11-26T00:00:00Z'),
    lat: fc.double({ min: 30, max: 38, noNaN: true }),
    lon: fc.double({ min: -100, max: -91, noNaN: true }),
    predicate: fc.boolean(),
    status: fc.constantFrom('Actual', 'Exercise', 'Test'),
  })
  .map(({ lat, lon, predicate, status, ...e }) => ({
    id: 'evt',
    ownerAgencyId: OWNER,
    ...e,
    data: {
      status,
      narrative: 'free text',
      location: { address: { street: '1 Main St', state: 'XX' }, point: { lat, lon } },
      involvedPersons: [
        { name: { given: 'Ann' }, identifiers: [{ value: 'X1' }] },
        { name: { given: 'Bob' }, identifiers: [{ value: 'X2' }] },
      ],
      ...(predicate ? { criminalPredicate: { offense: 'o', basis: 'b' } } : {}),
    },
  }));

const decideAll = (w: World, e: EventFacts): Decision[] => decideRecipients(e, [OWNER, ...CANDIDATES], new PolicyIndex(w), NOW);

/** True when `narrow` keeps at least as much back as `wide`. */
function atLeastAsRestrictive(narrow: FieldRules, wide: FieldRules): boolean {
  return (
    wide.redact.every((p) => anyPointerCovers(narrow.redact, p)) &&
    (wide.coarsenLocationDegrees === null ||
      (narrow.coarsenLocationDegrees !== null && narrow.coarsenLocationDegrees >= wide.coarsenLocationDegrees)) &&
    (!wide.dropNarrative || narrow.dropNarrative)
  );
}

type Narrowing = (p: SharingPolicy) => fc.Arbitrary<SharingPolicy>;

const NARROWINGS: Record<string, Narrowing> = {
  'lower maxTlp': (p) => fc.integer({ min: 0, max: TLP_ORDER.indexOf(p.maxTlp) }).map((i) => ({ ...p, maxTlp: TLP_ORDER[i] ?? 'CLEAR' })),
  'fewer feeds': (p) => fc.subarray([...(p.feeds ?? FEEDS)]).map((feeds) => ({ ...p, feeds })),
  'fewer types': (p) => fc.subarray([...(p.eventTypes ?? TYPES)]).map((eventTypes) => ({ ...p, eventTypes })),
  'smaller scope': (p) =>
    fc.record({ dw: fc.integer({ min: 0, max: 2 }), de: fc.integer({ min: 0, max: 2 }) }).map(({ dw, de }) => {
      const s = p.geoScope?.kind === 'bbox' ? p.geoScope : { kind: 'bbox' as const, west: -100, south: 30, east: -91, north: 38 };
      return { ...p, geoScope: { ...s, west: s.west + dw * 0.25, east: s.east - de * 0.25 } };
    }),
  'more redaction': (p) =>
    fc
      .record({ more: fc.subarray(POINTERS), coarsen: fc.constantFrom(0.1, 0.5, 1, 2), drop: fc.boolean() })
      .map(({ more, coarsen, drop }) => ({
        ...p,
        fieldRules: {
          redact: [...new Set([...p.fieldRules.redact, ...more])],
          coarsenLocationDegrees: Math.max(coarsen, p.fieldRules.coarsenLocationDegrees ?? 0),
          dropNarrative: p.fieldRules.dropNarrative || drop,
        },
      })),
  'shorter window': (p) =>
    fc.record({ from: instant, until: instant }).map(({ from, until }) => ({
      ...p,
      validFrom: later(p.validFrom, from),
      validUntil: earlier(p.validUntil, until),
    })),
  revoked: (p) => fc.constant({ ...p, revoked: true }),
};

function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

function earlier(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(a) <= Date.parse(b) ? a : b;
}

/** The world plus, for every candidate, an agency policy that would share anything, so only the TLP rules can refuse. */
function wideOpen(w: World): World {
  const open = CANDIDATES.map((agencyId): SharingPolicy => ({
    id: `open-${agencyId}`,
    grantorAgencyId: OWNER,
    grantee: { kind: 'agency', agencyId },
    feeds: null,
    eventTypes: null,
    maxTlp: 'RED',
    geoScope: null,
    purpose: 'anything',
    validFrom: null,
    validUntil: null,
    fieldRules: { redact: [], coarsenLocationDegrees: null, dropNarrative: false },
    revoked: false,
  }));
  return { ...w, policies: [...w.policies, ...open] };
}

describe('policy properties (fast-check)', () => {
  it('a RED event never reaches a recipient it does not name', () => {
    fc.assert(
      fc.property(world, event, (w, e) => {
        for (const d of decideAll(wideOpen(w), { ...e, tlp: 'RED' }))
          if (d.share) assert.ok(e.namedRecipientIds.includes(d.recipientAgencyId));
      }),
      RUNS,
    );
  });

  it('an AMBER+STRICT event never leaves its owner', () => {
    fc.assert(
      fc.property(world, event, (w, e) => {
        assert.ok(decideAll(wideOpen(w), { ...e, tlp: 'AMBER+STRICT' }).every((d) => !d.share));
      }),
      RUNS,
    );
  });

  it("a member every granting policy redacts never appears in that recipient's copy", () => {
    fc.assert(
      fc.property(world, event, (w, e) => {
        const byId = new Map(w.policies.map((p) => [p.id, p]));
        for (const d of decideAll(w, e)) {
          if (!d.share || d.fieldRules === null) continue;
          const copy = applyFieldRules(e.data, d.fieldRules);
          const granting = d.policyIds.map((id) => byId.get(id)!);
          for (const pointer of POINTERS) {
            if (granting.every((p) => anyPointerCovers(p.fieldRules.redact, pointer)))
              assert.deepEqual(pointerValues(copy, pointer), [], pointer);
          }
        }
      }),
      RUNS,
    );
  });

  for (const [name, narrowing] of Object.entries(NARROWINGS)) {
    it(`narrowing a policy (${name}) never yields a wider result`, () => {
      const scenario = world
        .filter((w) => w.policies.length > 0)
        .chain((w) =>
          fc.integer({ min: 0, max: w.policies.length - 1 }).chain((k) =>
            narrowing(w.policies[k]!).map((narrowed) => ({
              w,
              narrowedWorld: { ...w, policies: w.policies.map((p, i) => (i === k ? narrowed : p)) },
            })),
          ),
        );
      fc.assert(
        fc.property(scenario, event, ({ w, narrowedWorld }, e) => {
          const wide = decideAll(w, e);
          const narrow = decideAll(narrowedWorld, e);
          narrow.forEach((n, i) => {
            const before = wide[i]!;
            if (!n.share) return;
            assert.ok(before.share, `${n.recipientAgencyId} shared only after narrowing`);
            assert.ok(
              atLeastAsRestrictive(n.fieldRules!, before.fieldRules!),
              JSON.stringify({ narrow: n.fieldRules, wide: before.fieldRules }),
            );
          });
        }),
        RUNS,
      );
    });
  }

  it('applyFieldRules never changes its input', () => {
    const data = fc.dictionary(fc.constantFrom('narrative', 'location', 'involvedPersons', 'point', 'x'), fc.jsonValue({ maxDepth: 4 }));
    const anyRules = fc.record({
      redact: fc.array(fc.oneof(fc.constantFrom(...POINTERS), fc.constantFrom('/x/-', '/x/0', '/point/lat', '/-')), { maxLength: 5 }),
      coarsenLocationDegrees: fc.constantFrom(null, 0.1, 1),
      dropNarrative: fc.boolean(),
    });
    fc.assert(
      fc.property(data, anyRules, (input, rules) => {
        // JSON text compares contents only (fast-check's dictionaries have no prototype; clones do).
        const before = JSON.stringify(input);
        applyFieldRules(input, rules);
        assert.equal(JSON.stringify(input), before);
      }),
      RUNS,
    );
  });
});
