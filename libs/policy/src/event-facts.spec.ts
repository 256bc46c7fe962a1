import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENVELOPE_ATTRIBUTES, validateEvent, type LiaisonEvent } from '@liaison/contracts';
import { eventFacts, recipientCopy, takeUndeclaredRecipients } from './event-facts';
import type { AgencyFacts } from './model';
import { PolicyIndex } from './policy-index';

const agency = (id: string, ori: string): AgencyFacts => ({
  id,
  ori,
  kind: 'local',
  status: 'active',
  lawEnforcement: true,
  acceptsStatuses: [],
});
const index = new PolicyIndex({ agencies: [agency('id-a', 'XX0000001'), agency('id-b', 'XX0000002')], groups: [], policies: [] });

function incident(): LiaisonEvent {
  const outcome = validateEvent({
    specversion: '1.0',
    id: 'evt-1',
    source: 'urn:test',
    type: 'gov.liaison.incident.reported.v1',
    subject: 'INC-1',
    time: '2026-11-25T02:14:07-06:00',
    tlp: 'AMBER',
    agency: 'id-a',
    feed: 'cad',
    personaldata: '/narrative /involvedPersons',
    data: {
      incidentType: '13A',
      status: 'open',
      priority: 1,
      occurredAt: '2026-11-25T02:09:00-06:00',
      reportedAt: '2026-11-25T02:11:42-06:00',
      location: { point: { lat: 32.7767, lon: -96.797 } },
      narrative: 'text',
      caseNumber: 'C-1',
    },
  });
  assert.ok(outcome.ok, JSON.stringify(outcome));
  return outcome.value;
}

describe('event facts', () => {
  it('maps named recipient ORIs to agency ids, ignoring ORIs no agency has', () => {
    const facts = eventFacts(incident(), 'XX0000002 ZZ9999999', index);
    assert.deepEqual(facts.namedRecipientIds, ['id-b']);
    assert.equal(facts.ownerAgencyId, 'id-a');
    assert.equal(facts.feed, 'cad');
    assert.equal(facts.expires, null);
    assert.deepEqual(eventFacts(incident(), undefined, index).namedRecipientIds, []);
  });

  it('leaves recipients to the contract now that the envelope declares it', () => {
    // libs/contracts validates recipients (ORIs, at most 50) itself, so the router takes nothing out.
    assert.ok((ENVELOPE_ATTRIBUTES as readonly string[]).includes('recipients'));
    const plain: Record<string, unknown> = { recipients: 'XX0000002', id: 'x' };
    assert.deepEqual(takeUndeclaredRecipients(plain), { recipients: undefined });
    assert.deepEqual(plain, { recipients: 'XX0000002', id: 'x' });
    assert.deepEqual(takeUndeclaredRecipients({ id: 'x' }), { recipients: undefined });
  });

  it('cuts a copy down by its field rules, keeping the id and naming only the personal data left', () => {
    const event = incident();
    const copy = recipientCopy(event, { redact: [], coarsenLocationDegrees: 0.1, dropNarrative: true });
    assert.equal(copy.id, event.id);
    assert.equal((copy.data as unknown as Record<string, unknown>)['narrative'], undefined);
    // As the binding writes it (validated payloads are class instances with undefined optional members).
    assert.deepEqual((JSON.parse(JSON.stringify(copy.data)) as { location: unknown }).location, { point: { lat: 32.7, lon: -96.8 } });
    assert.equal(copy.personaldata, '/involvedPersons');
    assert.equal((event.data as unknown as Record<string, unknown>)['narrative'], 'text');
    assert.equal(recipientCopy(event, { redact: [], coarsenLocationDegrees: null, dropNarrative: false }), event);
  });

  it('leaves personaldata out when nothing it named is left', () => {
    const event = { ...incident(), personaldata: '/narrative' };
    assert.equal('personaldata' in recipientCopy(event, { redact: [], coarsenLocationDegrees: null, dropNarrative: true }), false);
  });
});
