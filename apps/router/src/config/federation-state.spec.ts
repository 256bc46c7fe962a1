import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AgencyConfigV1, SharingPolicyConfigV1 } from '@liaison/contracts';
import { decideRecipients } from '@liaison/policy';
import { SharingSnapshot } from '../route-batch/sharing-snapshot';
import { FederationState, toPolicyModel } from './federation-state';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';
const G = '00000000-0000-4000-8000-0000000000f1';
const P = '00000000-0000-4000-8000-0000000000e1';

function agency(id: string, status: 'active' | 'suspended' = 'active'): AgencyConfigV1 {
  return {
    id,
    ori: 'ZZ0000000',
    name: id,
    kind: 'local',
    status,
    jurisdiction: null,
    lawEnforcement: true,
    acceptsStatuses: [],
    suspendedAt: null,
    updatedAt: '2026-11-25T00:00:00Z',
  };
}

function policy(overrides: Partial<SharingPolicyConfigV1> = {}): SharingPolicyConfigV1 {
  return {
    id: P,
    version: 1,
    grantorAgencyId: A,
    grantee: { kind: 'agency', agencyId: B },
    feeds: null,
    eventTypes: null,
    maxTlp: 'AMBER',
    geoScope: null,
    purpose: 'p',
    validFrom: null,
    validUntil: null,
    fieldRules: { redact: ['/narrative'], coarsenLocationDegrees: null, dropNarrative: false },
    createdBy: 'operator',
    createdAt: '2026-11-25T00:00:00Z',
    revokedAt: null,
    ...overrides,
  };
}

function federation(): FederationState {
  const state = new FederationState();
  for (const id of [A, B, C]) state.apply({ kind: 'agency', id, state: agency(id) });
  return state;
}

const now = Date.parse('2026-11-25T12:00:00Z');

describe('the router’s federation state (pure)', () => {
  it('keeps the latest state per object, ignores an older policy version, and forgets tombstoned objects', () => {
    const state = federation();
    state.apply({ kind: 'policy', id: P, state: policy({ version: 2, maxTlp: 'GREEN' }) });
    assert.equal(state.apply({ kind: 'policy', id: P, state: policy({ version: 1 }) }), false);
    assert.equal(state.policies.get(P)?.maxTlp, 'GREEN');
    state.apply({ kind: 'policy', id: P, state: null });
    assert.equal(state.policies.size, 0);
    state.forget('agency', C);
    assert.deepEqual([...state.agencies.keys()].sort(), [A, B]);
  });

  it('maps to the policy model: facts, members, grantee and revoked flag', () => {
    const state = federation();
    state.apply({ kind: 'group', id: G, state: { id: G, name: 'TF', memberAgencyIds: [C], updatedAt: '' } });
    state.apply({ kind: 'policy', id: P, state: policy({ grantee: { kind: 'group', groupId: G }, revokedAt: '2026-11-25T01:00:00Z' }) });
    const model = toPolicyModel(state);
    assert.deepEqual(
      model.agencies.find((a) => a.id === B),
      { id: B, ori: 'ZZ0000000', kind: 'local', status: 'active', lawEnforcement: true, acceptsStatuses: [] },
    );
    assert.deepEqual(model.groups, [{ id: G, name: 'TF', memberAgencyIds: [C] }]);
    assert.deepEqual(model.policies[0]?.grantee, { kind: 'group', groupId: G });
    assert.equal(model.policies[0]?.revoked, true);
    assert.deepEqual(model.policies[0]?.fieldRules.redact, ['/narrative']);
  });

  it('gives the engine an index that shares only under policies in force and names suspended parties', () => {
    const state = federation();
    state.apply({ kind: 'group', id: G, state: { id: G, name: 'TF', memberAgencyIds: [A, C], updatedAt: '' } });
    state.apply({ kind: 'policy', id: P, state: policy() });
    const groupPolicy = '00000000-0000-4000-8000-0000000000e2';
    state.apply({ kind: 'policy', id: groupPolicy, state: policy({ id: groupPolicy, grantee: { kind: 'group', groupId: G } }) });
    const snapshot = new SharingSnapshot();
    const decide = (at = now) => {
      snapshot.replace(toPolicyModel(state));
      const { activeAgencyIds, index } = snapshot.get();
      const event = {
        id: 'e1',
        ownerAgencyId: A,
        type: 'gov.liaison.test',
        feed: null,
        tlp: 'GREEN' as const,
        namedRecipientIds: [],
        expires: null,
        data: {},
      };
      return decideRecipients(event, activeAgencyIds, index, new Date(at))
        .map((d) => `${d.recipientAgencyId}:${d.share ? d.policyIds.join('+') : d.reasons.join('+')}`)
        .sort();
    };
    assert.deepEqual(decide(), [`${B}:${P}`, `${C}:${groupPolicy}`].sort());

    state.apply({ kind: 'policy', id: P, state: policy({ version: 2, validUntil: '2026-11-25T11:00:00Z' }) });
    assert.deepEqual(decide(), [`${B}:policy-expired`, `${C}:${groupPolicy}`].sort());
    state.apply({ kind: 'policy', id: P, state: policy({ version: 3, validFrom: '2026-11-26T00:00:00Z' }) });
    assert.deepEqual(decide(), [`${B}:policy-not-yet-valid`, `${C}:${groupPolicy}`].sort());
    assert.deepEqual(decide(Date.parse('2026-11-27T00:00:00Z')), [`${B}:${P}`, `${C}:${groupPolicy}`].sort());

    state.apply({ kind: 'agency', id: A, state: agency(A, 'suspended') });
    assert.deepEqual(decide(), [`${B}:owner-suspended`, `${C}:owner-suspended`].sort());
    state.apply({ kind: 'agency', id: A, state: agency(A) });
    state.apply({ kind: 'agency', id: C, state: agency(C, 'suspended') });
    // A suspended agency is no candidate: it gets no decision at all.
    assert.deepEqual(decide(Date.parse('2026-11-27T00:00:00Z')), [`${B}:${P}`]);
  });

  it('rebuilds the index only when the model was replaced', () => {
    const snapshot = new SharingSnapshot();
    snapshot.replace(toPolicyModel(federation()));
    const first = snapshot.get();
    assert.equal(snapshot.get(), first);
    snapshot.replace(toPolicyModel(federation()));
    assert.notEqual(snapshot.get(), first);
  });
});
