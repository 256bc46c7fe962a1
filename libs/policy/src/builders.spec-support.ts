/** Test-data builders for the policy specs (plain data, sensible defaults, override what a test is about). */
import type { AgencyFacts, EventFacts, FieldRules, SharingGroupFacts, SharingPolicy } from './model';

export const NOW = new Date('2026-11-25T12:00:00Z');
export const OWNER = 'a0000000-0000-4000-8000-000000000001';
export const B = 'b0000000-0000-4000-8000-000000000002';
export const C = 'c0000000-0000-4000-8000-000000000003';
export const D = 'd0000000-0000-4000-8000-000000000004';

export function agency(id: string, overrides: Partial<AgencyFacts> = {}): AgencyFacts {
  return {
    id,
    ori: `XX${id.slice(0, 7).toUpperCase()}`,
    kind: 'local',
    status: 'active',
    lawEnforcement: true,
    acceptsStatuses: [],
    ...overrides,
  };
}

export function rules(overrides: Partial<FieldRules> = {}): FieldRules {
  return { redact: [], coarsenLocationDegrees: null, dropNarrative: false, ...overrides };
}

let policyCounter = 0;

export function policy(grantee: string, overrides: Partial<SharingPolicy> = {}): SharingPolicy {
  policyCounter += 1;
  return {
    id: `p${String(policyCounter).padStart(7, '0')}-0000-4000-8000-000000000000`,
    grantorAgencyId: OWNER,
    grantee: { kind: 'agency', agencyId: grantee },
    feeds: null,
    eventTypes: null,
    maxTlp: 'AMBER',
    geoScope: null,
    purpose: 'joint investigations',
    validFrom: null,
    validUntil: null,
    fieldRules: rules(),
    revoked: false,
    ...overrides,
  };
}

export function groupPolicy(groupId: string, overrides: Partial<SharingPolicy> = {}): SharingPolicy {
  return policy('', { grantee: { kind: 'group', groupId }, ...overrides });
}

export function group(id: string, memberAgencyIds: string[]): SharingGroupFacts {
  return { id, name: id, memberAgencyIds };
}

/** An incident from OWNER at a point in Metro City, GREEN, feed `cad`. */
export function incident(overrides: Partial<EventFacts> = {}): EventFacts {
  return {
    id: 'evt-1',
    ownerAgencyId: OWNER,
    type: 'gov.liaison.incident.reported.v1',
    feed: 'cad',
    tlp: 'GREEN',
    namedRecipientIds: [],
    expires: null,
    data: {
      incidentType: '13A',
      location: {
        address: { street: '1400 E Main St', city: 'Metro City', state: 'XX', postalCode: '00001' },
        point: { lat: 32.7767, lon: -96.797 },
      },
      narrative: 'Aggravated assault outside a store.',
      involvedPersons: [
        { role: 'victim', name: { given: 'Ann' }, identifiers: [{ kind: 'dl', value: 'X1' }] },
        { role: 'suspect', name: { given: 'Bob' }, identifiers: [{ kind: 'dl', value: 'X2' }] },
      ],
    },
    ...overrides,
  };
}

export function intel(overrides: Partial<EventFacts> = {}, data: Record<string, unknown> = {}): EventFacts {
  return incident({
    type: 'gov.liaison.intel.published.v1',
    data: {
      summary: 'Crew moving stolen firearms.',
      subjects: { locations: [{ point: { lat: 32.8, lon: -96.8 } }] },
      criminalPredicate: { offense: '18 USC 922(j)', basis: 'Two controlled buys.' },
      ...data,
    },
    ...overrides,
  });
}

export function alert(status: string, overrides: Partial<EventFacts> = {}): EventFacts {
  return incident({ type: 'gov.liaison.alert.issued.v1', data: { alertKind: 'bolo', status, headline: 'BOLO' }, ...overrides });
}
