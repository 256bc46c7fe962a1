/**
 * Pure sharing decisions: plain data in, plain data out; no framework, no I/O, no clock. The router
 * applies them to every event; the admin API uses the same functions to explain and simulate.
 */
import { combineFieldRules } from './field-rules';
import { eventPlaces, inScope, type EventPlaces } from './geo';
import type { AgencyFacts, Decision, DecisionReason, EventFacts, NonActualStatus } from './model';
import { isRecord } from './pointer';
import { tlpRank, type IndexedPolicy, type PolicyIndex } from './policy-index';

const RED = tlpRank('RED');
const AMBER = tlpRank('AMBER');
const AMBER_STRICT = tlpRank('AMBER+STRICT');

const INTEL_PREFIX = 'gov.liaison.intel.';
/** A retraction carries no intelligence (only why it is withdrawn) and must reach whoever may hold the report. */
const INTEL_RETRACTED_PREFIX = 'gov.liaison.intel.retracted.';
const ALERT_PREFIX = 'gov.liaison.alert.';

/** What every candidate's decision about one event shares, worked out once per event. */
interface PreparedEvent {
  event: EventFacts;
  owner: AgencyFacts | undefined;
  tlp: number;
  named: ReadonlySet<string>;
  expired: boolean;
  intel: boolean;
  missingPredicate: boolean;
  /** CAP status that needs the recipient's opt-in; undefined for Actual and for events that are not alerts. */
  nonActualStatus: string | undefined;
  places: EventPlaces | undefined;
}

function prepare(event: EventFacts, index: PolicyIndex, now: Date): PreparedEvent {
  const rank = tlpRank(event.tlp);
  const intel = event.type.startsWith(INTEL_PREFIX);
  const expiresMs = event.expires === null ? Number.POSITIVE_INFINITY : Date.parse(event.expires);
  let nonActualStatus: string | undefined;
  if (event.type.startsWith(ALERT_PREFIX)) {
    const status = event.data['status'];
    // Anything but an explicit Actual needs an opt-in, so a missing or odd status fails closed.
    if (status !== 'Actual') nonActualStatus = typeof status === 'string' ? status : '(none)';
  }
  return {
    event,
    owner: index.agency(event.ownerAgencyId),
    // An unknown label is treated as RED: fail closed.
    tlp: rank < 0 ? RED : rank,
    named: new Set(event.namedRecipientIds),
    // An unparsable expiry fails closed too.
    expired: Number.isNaN(expiresMs) || expiresMs <= now.getTime(),
    intel,
    missingPredicate: intel && !event.type.startsWith(INTEL_RETRACTED_PREFIX) && !hasCriminalPredicate(event.data),
    nonActualStatus,
    places: undefined,
  };
}

/** 28 CFR 23.20(a): a report carries the suspected offense and the basis for reasonable suspicion. */
function hasCriminalPredicate(data: Readonly<Record<string, unknown>>): boolean {
  const predicate = data['criminalPredicate'];
  return (
    isRecord(predicate) &&
    typeof predicate['offense'] === 'string' &&
    predicate['offense'].trim() !== '' &&
    typeof predicate['basis'] === 'string' &&
    predicate['basis'].trim() !== ''
  );
}

/**
 * Rules about the event, its owner and the recipient that no policy can lift, in evaluation order.
 * Undefined when none refuses (the common case allocates nothing).
 */
function gateReasons(p: PreparedEvent, recipient: AgencyFacts | undefined): DecisionReason[] | undefined {
  let reasons: DecisionReason[] | undefined;
  if (p.owner === undefined || recipient === undefined) (reasons ??= []).push('unknown-agency');
  if (p.owner?.status === 'suspended') (reasons ??= []).push('owner-suspended');
  if (recipient?.status === 'suspended') (reasons ??= []).push('recipient-suspended');
  if (p.expired) (reasons ??= []).push('event-expired');
  if (p.tlp === RED && !(recipient !== undefined && p.named.has(recipient.id))) (reasons ??= []).push('tlp-red-not-named');
  if (p.tlp === AMBER_STRICT) (reasons ??= []).push('tlp-amber-strict');
  if (p.missingPredicate) (reasons ??= []).push('cfr23-no-criminal-predicate');
  if (p.intel && recipient !== undefined && !recipient.lawEnforcement) (reasons ??= []).push('cfr23-recipient-not-law-enforcement');
  if (p.nonActualStatus !== undefined && !(recipient?.acceptsStatuses ?? []).includes(p.nonActualStatus as NonActualStatus)) {
    (reasons ??= []).push('cap-status-not-accepted');
  }
  return reasons;
}

/** Why one policy does not cover the event for this recipient, or undefined when it grants. */
function refusal(p: PreparedEvent, ip: IndexedPolicy, viaGroup: boolean, nowMs: number): DecisionReason | undefined {
  if (ip.policy.revoked) return 'policy-revoked';
  if (nowMs < ip.validFromMs) return 'policy-not-yet-valid';
  if (nowMs >= ip.validUntilMs) return 'policy-expired';
  if (ip.feeds !== null && (p.event.feed === null || !ip.feeds.has(p.event.feed))) return 'feed-not-covered';
  if (ip.eventTypes !== null && !ip.eventTypes.has(p.event.type)) return 'type-not-covered';
  if (p.tlp > ip.maxTlpRank) return 'tlp-above-policy-max';
  if (viaGroup && p.tlp === AMBER) return 'tlp-amber-needs-agency-policy';
  if (viaGroup && p.tlp === RED) return 'tlp-red-needs-agency-policy';
  if (p.intel && !ip.hasPurpose) return 'cfr23-policy-without-purpose';
  if (ip.scope !== null) {
    p.places ??= eventPlaces(p.event.data);
    if (!inScope(ip.scope, p.places)) return 'outside-geo-scope';
  }
  return undefined;
}

/** Policies that granted and those that refused, with the refusals' reasons, collected over one candidate's policies. */
interface Tally {
  granted: IndexedPolicy[];
  refused: string[];
  reasons: Set<DecisionReason>;
}

function newTally(): Tally {
  return { granted: [], refused: [], reasons: new Set() };
}

function tallyPolicies(tally: Tally, p: PreparedEvent, policies: readonly IndexedPolicy[], viaGroup: boolean, nowMs: number): void {
  for (const ip of policies) {
    const why = refusal(p, ip, viaGroup, nowMs);
    if (why === undefined) tally.granted.push(ip);
    else {
      tally.refused.push(ip.policy.id);
      tally.reasons.add(why);
    }
  }
}

function decidePrepared(p: PreparedEvent, recipientAgencyId: string, index: PolicyIndex, nowMs: number): Decision {
  const recipient = index.agency(recipientAgencyId);
  const gates = gateReasons(p, recipient);
  if (gates !== undefined) return { recipientAgencyId, share: false, reasons: gates, policyIds: [], fieldRules: null };

  const owner = p.event.ownerAgencyId;
  // Allocated only when the owner has a policy towards this candidate: most candidates have none.
  let tally: Tally | undefined;
  const direct = index.agencyPolicies(owner, recipientAgencyId);
  if (direct.length > 0) tallyPolicies((tally ??= newTally()), p, direct, false, nowMs);
  const byGroup = index.groupPoliciesOf(owner);
  if (byGroup !== undefined) {
    for (const groupId of index.groupsOf(recipientAgencyId)) {
      const policies = byGroup.get(groupId);
      if (policies !== undefined) tallyPolicies((tally ??= newTally()), p, policies, true, nowMs);
    }
  }
  if (tally === undefined) return { recipientAgencyId, share: false, reasons: ['no-policy'], policyIds: [], fieldRules: null };
  if (tally.granted.length > 0) {
    return {
      recipientAgencyId,
      share: true,
      reasons: ['shared-under-policy'],
      policyIds: tally.granted.map((g) => g.policy.id),
      fieldRules: combineFieldRules(tally.granted.map((g) => g.policy.fieldRules)),
    };
  }
  return {
    recipientAgencyId,
    share: false,
    reasons: [...tally.reasons],
    policyIds: tally.refused,
    fieldRules: null,
  };
}

/**
 * Whether `recipientAgencyId` receives `event` under the owner's policies at `now`, why, under
 * which policies, and with which field rules. Default deny.
 */
export function decide(event: EventFacts, recipientAgencyId: string, index: PolicyIndex, now: Date): Decision {
  return decidePrepared(prepare(event, index, now), recipientAgencyId, index, now.getTime());
}

/** `decide` for every candidate except the event's owner, in the candidates' order; event facts are worked out once. */
export function decideRecipients(event: EventFacts, candidateIds: readonly string[], index: PolicyIndex, now: Date): Decision[] {
  const prepared = prepare(event, index, now);
  const nowMs = now.getTime();
  const decisions: Decision[] = [];
  for (const recipientAgencyId of candidateIds) {
    if (recipientAgencyId === event.ownerAgencyId) continue;
    decisions.push(decidePrepared(prepared, recipientAgencyId, index, nowMs));
  }
  return decisions;
}
