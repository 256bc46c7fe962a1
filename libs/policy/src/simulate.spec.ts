import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agency, B, C, D, incident, NOW, OWNER, policy, rules } from './builders.spec-support';
import { PolicyIndex } from './policy-index';
import { compareOutcomes } from './simulate';

const agencies = [agency(OWNER), agency(B), agency(C), agency(D)];
const candidates = [OWNER, B, C, D];
const events = [incident({ id: 'e1' }), incident({ id: 'e2', tlp: 'AMBER' }), incident({ id: 'e3', feed: 'rms' })];

describe('compareOutcomes', () => {
  it('lists what a new policy makes a partner gain, and nothing for the others', () => {
    const before = new PolicyIndex({ agencies, groups: [], policies: [] });
    const after = new PolicyIndex({ agencies, groups: [], policies: [policy(B, { feeds: ['cad'] })] });
    assert.deepEqual(compareOutcomes(events, candidates, before, after, NOW), [
      { recipientAgencyId: B, gained: ['e1', 'e2'], lost: [], fieldRulesChanged: [] },
    ]);
  });

  it('lists what revoking makes a partner lose, and changed field rules separately', () => {
    const granted = policy(C);
    const before = new PolicyIndex({ agencies, groups: [], policies: [granted, policy(D)] });
    const after = new PolicyIndex({
      agencies,
      groups: [],
      policies: [
        { ...granted, revoked: true },
        { ...policy(D), fieldRules: rules({ dropNarrative: true }) },
      ],
    });
    assert.deepEqual(compareOutcomes(events, candidates, before, after, NOW), [
      { recipientAgencyId: C, gained: [], lost: ['e1', 'e2', 'e3'], fieldRulesChanged: [] },
      { recipientAgencyId: D, gained: [], lost: [], fieldRulesChanged: ['e1', 'e2', 'e3'] },
    ]);
  });

  it('answers nothing when the models decide alike', () => {
    const index = new PolicyIndex({ agencies, groups: [], policies: [policy(B)] });
    assert.deepEqual(compareOutcomes(events, candidates, index, index, NOW), []);
    assert.deepEqual(compareOutcomes([], candidates, index, new PolicyIndex({ agencies, groups: [], policies: [] }), NOW), []);
  });
});
