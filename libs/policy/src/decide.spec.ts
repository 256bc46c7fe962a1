import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agency, alert, B, C, D, group, groupPolicy, incident, intel, NOW, OWNER, policy, rules } from './builders.spec-support';
import { decide, decideRecipients } from './decide';
import type { AgencyFacts, Decision, EventFacts, SharingGroupFacts, SharingPolicy } from './model';
import { PolicyIndex } from './policy-index';

function index(policies: SharingPolicy[], options: { agencies?: AgencyFacts[]; groups?: SharingGroupFacts[] } = {}): PolicyIndex {
  return new PolicyIndex({
    agencies: options.agencies ?? [agency(OWNER), agency(B), agency(C), agency(D)],
    groups: options.groups ?? [],
    policies,
  });
}

function decideFor(
  event: EventFacts,
  policies: SharingPolicy[],
  options: { agencies?: AgencyFacts[]; groups?: SharingGroupFacts[] } = {},
): Decision {
  return decide(event, B, index(policies, options), NOW);
}

function denied(d: Decision, ...reasons: string[]): void {
  assert.equal(d.share, false, `expected a denial, got ${JSON.stringify(d)}`);
  assert.deepEqual(d.reasons, reasons);
  assert.equal(d.fieldRules, null);
}

function shared(d: Decision, ...policyIds: string[]): void {
  assert.equal(d.share, true, `expected a share, got ${JSON.stringify(d)}`);
  assert.deepEqual(d.reasons, ['shared-under-policy']);
  assert.deepEqual([...d.policyIds].sort(), [...policyIds].sort());
}

describe('PolicyIndex', () => {
  it('finds agencies by id and by ORI (any case)', () => {
    const i = index([]);
    assert.equal(i.agency(B)?.id, B);
    assert.equal(i.agencyByOri(agency(B).ori.toLowerCase())?.id, B);
    assert.equal(i.agency('nobody'), undefined);
    assert.equal(i.agencyByOri('ZZ0000000'), undefined);
  });

  it('is directional: a policy from the owner to B is not one from B to the owner', () => {
    const p = policy(B);
    const i = index([p]);
    assert.deepEqual(
      i.agencyPolicies(OWNER, B).map((x) => x.policy.id),
      [p.id],
    );
    assert.deepEqual(i.agencyPolicies(B, OWNER), []);
  });

  it("reaches a recipient's group policies through its memberships only", () => {
    const p = groupPolicy('g1');
    const i = index([p], { groups: [group('g1', [B, C]), group('g2', [D])] });
    assert.deepEqual(
      i.groupPolicies(OWNER, B).map((x) => x.policy.id),
      [p.id],
    );
    assert.deepEqual(i.groupPolicies(OWNER, D), []);
  });
});

describe('decide: default deny and the owner and recipient', () => {
  it('denies with no-policy when the owner has no policy towards the recipient', () => {
    denied(decideFor(incident(), [policy(C)]), 'no-policy');
  });

  it('shares under an agency policy, naming it', () => {
    const p = policy(B);
    const d = decideFor(incident(), [p]);
    shared(d, p.id);
    assert.deepEqual(d.fieldRules, rules());
  });

  it('shares nothing from a suspended owner or to a suspended recipient', () => {
    const p = policy(B);
    denied(decideFor(incident(), [p], { agencies: [agency(OWNER, { status: 'suspended' }), agency(B)] }), 'owner-suspended');
    denied(decideFor(incident(), [p], { agencies: [agency(OWNER), agency(B, { status: 'suspended' })] }), 'recipient-suspended');
  });

  it('shares nothing when the owner or the recipient is unknown', () => {
    const p = policy(B);
    denied(decideFor(incident(), [p], { agencies: [agency(B)] }), 'unknown-agency');
    denied(decideFor(incident(), [p], { agencies: [agency(OWNER)] }), 'unknown-agency');
  });

  it('shares nothing past the event expiry (and an unparsable expiry counts as past)', () => {
    const p = policy(B);
    denied(decideFor(incident({ expires: '2026-11-25T11:59:59Z' }), [p]), 'event-expired');
    denied(decideFor(incident({ expires: '2026-11-25T12:00:00Z' }), [p]), 'event-expired');
    denied(decideFor(incident({ expires: 'soon' }), [p]), 'event-expired');
    shared(decideFor(incident({ expires: '2026-11-25T12:00:01Z' }), [p]), p.id);
  });

  it('lists every gate that failed, in evaluation order', () => {
    const d = decideFor(incident({ tlp: 'RED', expires: '2020-01-01T00:00:00Z' }), [policy(B, { maxTlp: 'RED' })], {
      agencies: [agency(OWNER, { status: 'suspended' }), agency(B, { status: 'suspended' })],
    });
    denied(d, 'owner-suspended', 'recipient-suspended', 'event-expired', 'tlp-red-not-named');
  });
});

describe('decide: policy lifecycle', () => {
  it('ignores revoked, not-yet-valid and expired policies, saying which', () => {
    const revoked = policy(B, { revoked: true });
    denied(decideFor(incident(), [revoked]), 'policy-revoked');
    assert.deepEqual(decideFor(incident(), [revoked]).policyIds, [revoked.id]);
    denied(decideFor(incident(), [policy(B, { validFrom: '2026-11-25T12:00:01Z' })]), 'policy-not-yet-valid');
    denied(decideFor(incident(), [policy(B, { validUntil: '2026-11-25T12:00:00Z' })]), 'policy-expired');
    const open = policy(B, { validFrom: '2026-11-25T12:00:00Z', validUntil: '2026-11-25T12:00:01Z' });
    shared(decideFor(incident(), [open]), open.id);
  });

  it('treats an unparsable validity bound as closed', () => {
    denied(decideFor(incident(), [policy(B, { validFrom: 'yesterday' })]), 'policy-not-yet-valid');
    denied(decideFor(incident(), [policy(B, { validUntil: 'tomorrow' })]), 'policy-expired');
  });
});

describe('decide: feeds and event types', () => {
  it('covers an event only if its feed is listed, or the policy covers every feed', () => {
    denied(decideFor(incident({ feed: 'cad' }), [policy(B, { feeds: ['rms'] })]), 'feed-not-covered');
    const listed = policy(B, { feeds: ['rms', 'cad'] });
    shared(decideFor(incident({ feed: 'cad' }), [listed]), listed.id);
  });

  it('covers an event without a feed only under a policy for every feed', () => {
    denied(decideFor(incident({ feed: null }), [policy(B, { feeds: ['cad'] })]), 'feed-not-covered');
    const all = policy(B, { feeds: null });
    shared(decideFor(incident({ feed: null }), [all]), all.id);
  });

  it('covers only the listed event types', () => {
    denied(decideFor(incident(), [policy(B, { eventTypes: ['gov.liaison.incident.closed.v1'] })]), 'type-not-covered');
    const listed = policy(B, { eventTypes: ['gov.liaison.incident.reported.v1'] });
    shared(decideFor(incident(), [listed]), listed.id);
  });
});

describe('decide: TLP 2.0', () => {
  it('shares CLEAR and GREEN under a group policy as under an agency policy', () => {
    const g = groupPolicy('g1', { maxTlp: 'GREEN' });
    for (const tlp of ['CLEAR', 'GREEN'] as const) shared(decideFor(incident({ tlp }), [g], { groups: [group('g1', [B])] }), g.id);
  });

  it('never lets a policy widen the marking: the event TLP must not exceed the policy maximum', () => {
    denied(decideFor(incident({ tlp: 'GREEN' }), [policy(B, { maxTlp: 'CLEAR' })]), 'tlp-above-policy-max');
    denied(decideFor(incident({ tlp: 'AMBER' }), [policy(B, { maxTlp: 'GREEN' })]), 'tlp-above-policy-max');
    const clear = policy(B, { maxTlp: 'CLEAR' });
    shared(decideFor(incident({ tlp: 'CLEAR' }), [clear]), clear.id);
  });

  it('needs an explicit agency policy for AMBER: a group policy is not enough', () => {
    const g = groupPolicy('g1', { maxTlp: 'RED' });
    denied(decideFor(incident({ tlp: 'AMBER' }), [g], { groups: [group('g1', [B])] }), 'tlp-amber-needs-agency-policy');
    const p = policy(B, { maxTlp: 'AMBER' });
    shared(decideFor(incident({ tlp: 'AMBER' }), [g, p], { groups: [group('g1', [B])] }), p.id);
  });

  it('never shares AMBER+STRICT outside the owner, whatever the policies', () => {
    denied(decideFor(incident({ tlp: 'AMBER+STRICT', namedRecipientIds: [B] }), [policy(B, { maxTlp: 'RED' })]), 'tlp-amber-strict');
  });

  it('shares RED only with a named recipient, and only under an agency policy whose maximum is RED', () => {
    const red = policy(B, { maxTlp: 'RED' });
    denied(decideFor(incident({ tlp: 'RED' }), [red]), 'tlp-red-not-named');
    denied(decideFor(incident({ tlp: 'RED', namedRecipientIds: [C] }), [red]), 'tlp-red-not-named');
    denied(decideFor(incident({ tlp: 'RED', namedRecipientIds: [B] }), [policy(B, { maxTlp: 'AMBER+STRICT' })]), 'tlp-above-policy-max');
    denied(
      decideFor(incident({ tlp: 'RED', namedRecipientIds: [B] }), [groupPolicy('g1', { maxTlp: 'RED' })], { groups: [group('g1', [B])] }),
      'tlp-red-needs-agency-policy',
    );
    shared(decideFor(incident({ tlp: 'RED', namedRecipientIds: [B] }), [red]), red.id);
  });
});

describe('decide: 28 CFR Part 23', () => {
  it('does not disseminate intelligence without a criminal predicate', () => {
    const p = policy(B);
    denied(decideFor(intel({}, { criminalPredicate: undefined }), [p]), 'cfr23-no-criminal-predicate');
    denied(decideFor(intel({}, { criminalPredicate: { offense: ' ', basis: 'x' } }), [p]), 'cfr23-no-criminal-predicate');
    shared(decideFor(intel(), [p]), p.id);
  });

  it('lets a retraction through without a predicate: it carries none and must reach holders of the report', () => {
    const p = policy(B);
    shared(decideFor(intel({ type: 'gov.liaison.intel.retracted.v1' }, { criminalPredicate: undefined, reason: 'wrong' }), [p]), p.id);
  });

  it('disseminates intelligence only to law-enforcement agencies', () => {
    const p = policy(B);
    const civilian = { agencies: [agency(OWNER), agency(B, { lawEnforcement: false })] };
    denied(decideFor(intel(), [p], civilian), 'cfr23-recipient-not-law-enforcement');
    // Not intelligence: the same recipient may get an incident.
    shared(decideFor(incident(), [p], civilian), p.id);
  });

  it('needs a stated purpose on the policy for intelligence', () => {
    denied(decideFor(intel(), [policy(B, { purpose: '  ' })]), 'cfr23-policy-without-purpose');
    const p = policy(B, { purpose: '' });
    shared(decideFor(incident(), [p]), p.id);
  });
});

describe('decide: CAP status', () => {
  it('sends Actual alerts to anyone a policy covers', () => {
    const p = policy(B);
    shared(decideFor(alert('Actual'), [p]), p.id);
  });

  it('sends Exercise and Test alerts only to recipients that accept that status', () => {
    const p = policy(B);
    denied(decideFor(alert('Exercise'), [p]), 'cap-status-not-accepted');
    denied(
      decideFor(alert('Test'), [p], { agencies: [agency(OWNER), agency(B, { acceptsStatuses: ['Exercise'] })] }),
      'cap-status-not-accepted',
    );
    shared(decideFor(alert('Exercise'), [p], { agencies: [agency(OWNER), agency(B, { acceptsStatuses: ['Exercise'] })] }), p.id);
  });

  it('treats an alert without a status as not actual', () => {
    denied(decideFor(alert('Actual', { data: { alertKind: 'bolo' } }), [policy(B)]), 'cap-status-not-accepted');
  });
});

describe('decide: geographic scope', () => {
  const bbox = { kind: 'bbox', west: -97, south: 32.5, east: -96.5, north: 33 } as const;

  it('matches a bounding box on the event point', () => {
    const p = policy(B, { geoScope: bbox });
    shared(decideFor(incident(), [p]), p.id);
    denied(decideFor(incident(), [policy(B, { geoScope: { ...bbox, west: -96.7 } })]), 'outside-geo-scope');
  });

  it('matches a polygon by point-in-polygon (closed or open ring)', () => {
    const ring: [number, number][] = [
      [-97, 32.5],
      [-96.5, 32.5],
      [-96.5, 33],
      [-97, 33],
    ];
    const p = policy(B, { geoScope: { kind: 'polygon', ring } });
    shared(decideFor(incident(), [p]), p.id);
    const closed = policy(B, { geoScope: { kind: 'polygon', ring: [...ring, [-97, 32.5]] } });
    shared(decideFor(incident(), [closed]), closed.id);
    // A triangle whose hypotenuse passes south-east of the point.
    const triangle: [number, number][] = [
      [-97, 32.5],
      [-96.5, 32.5],
      [-96.5, 33],
    ];
    denied(decideFor(incident(), [policy(B, { geoScope: { kind: 'polygon', ring: triangle } })]), 'outside-geo-scope');
  });

  it('matches jurisdiction codes against address state, postal code, county and jurisdiction, any case', () => {
    const p = policy(B, { geoScope: { kind: 'jurisdiction', codes: ['xx'] } });
    shared(decideFor(incident(), [p]), p.id);
    const zip = policy(B, { geoScope: { kind: 'jurisdiction', codes: ['00001'] } });
    shared(decideFor(incident(), [zip]), zip.id);
    denied(decideFor(incident(), [policy(B, { geoScope: { kind: 'jurisdiction', codes: ['TX'] } })]), 'outside-geo-scope');
  });

  it('reads intel subject locations, alert areas and sensor points', () => {
    const p = policy(B, { geoScope: bbox });
    shared(decideFor(intel(), [p]), p.id);
    const area = {
      type: 'Polygon',
      coordinates: [
        [
          [-96.9, 32.6],
          [-96.8, 32.6],
          [-96.8, 32.7],
          [-96.9, 32.6],
        ],
      ],
    };
    shared(decideFor(alert('Actual', { data: { status: 'Actual', area: { area } } }), [p]), p.id);
    shared(decideFor(incident({ type: 'gov.liaison.sensor.gunshot-detected.v1', data: { point: { lat: 32.9, lon: -96.6 } } }), [p]), p.id);
  });

  it('puts an event without a location outside every geo-scoped policy', () => {
    denied(decideFor(incident({ data: { incidentType: '13A' } }), [policy(B, { geoScope: bbox })]), 'outside-geo-scope');
    // A person's own address is not the event's location.
    const personOnly = { involvedPersons: [{ address: { state: 'XX' } }] };
    denied(
      decideFor(incident({ data: personOnly }), [policy(B, { geoScope: { kind: 'jurisdiction', codes: ['XX'] } })]),
      'outside-geo-scope',
    );
  });

  it('handles a bounding box across the antimeridian', () => {
    const p = policy(B, { geoScope: { kind: 'bbox', west: 170, south: -20, east: -170, north: 0 } });
    shared(decideFor(incident({ data: { location: { point: { lat: -10, lon: 179 } } } }), [p]), p.id);
    shared(decideFor(incident({ data: { location: { point: { lat: -10, lon: -175 } } } }), [p]), p.id);
    denied(decideFor(incident({ data: { location: { point: { lat: -10, lon: 0 } } } }), [p]), 'outside-geo-scope');
  });
});

describe('decide: several policies', () => {
  it('shares when any policy grants, and lists every granting policy', () => {
    const a1 = policy(B, {
      fieldRules: rules({ redact: ['/narrative', '/involvedPersons'], coarsenLocationDegrees: 0.1, dropNarrative: true }),
    });
    const a2 = policy(B, {
      fieldRules: rules({ redact: ['/involvedPersons/-/identifiers'], coarsenLocationDegrees: 0.5, dropNarrative: true }),
    });
    const refused = policy(B, { revoked: true });
    const g = groupPolicy('g1', {
      fieldRules: rules({ redact: ['/involvedPersons'], coarsenLocationDegrees: 0.01, dropNarrative: false }),
    });
    const d = decideFor(incident(), [a1, a2, refused, g], { groups: [group('g1', [B])] });
    shared(d, a1.id, a2.id, g.id);
    // The least restrictive combination: removed only what all remove; the finest grid; narrative kept unless all drop it.
    assert.deepEqual(d.fieldRules, { redact: ['/involvedPersons/-/identifiers'], coarsenLocationDegrees: 0.01, dropNarrative: false });
  });

  it('keeps points exact if any granting policy keeps them exact', () => {
    const d = decideFor(incident(), [policy(B, { fieldRules: rules({ coarsenLocationDegrees: 0.1 }) }), policy(B)]);
    assert.equal(d.fieldRules?.coarsenLocationDegrees, null);
  });

  it('lists every distinct refusal and the refused policies when none grants', () => {
    const p1 = policy(B, { revoked: true });
    const p2 = policy(B, { feeds: ['rms'] });
    const p3 = policy(B, { feeds: ['rms'] });
    const d = decideFor(incident(), [p1, p2, p3]);
    denied(d, 'policy-revoked', 'feed-not-covered');
    assert.deepEqual(d.policyIds, [p1.id, p2.id, p3.id]);
  });
});

describe('decideRecipients', () => {
  it('decides every candidate but the owner, in order', () => {
    const p = policy(B);
    const ds = decideRecipients(incident(), [C, OWNER, B, D], index([p]), NOW);
    assert.deepEqual(
      ds.map((d) => [d.recipientAgencyId, d.share]),
      [
        [C, false],
        [B, true],
        [D, false],
      ],
    );
  });

  it('gives the same answers as decide for each candidate', () => {
    const i = index([policy(B, { maxTlp: 'RED' }), groupPolicy('g1')], { groups: [group('g1', [C, D])] });
    for (const event of [incident(), incident({ tlp: 'RED', namedRecipientIds: [B, C] }), intel(), alert('Test')]) {
      assert.deepEqual(
        decideRecipients(event, [B, C, D], i, NOW),
        [B, C, D].map((r) => decide(event, r, i, NOW)),
      );
    }
  });
});
