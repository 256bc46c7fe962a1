import { decideRecipients } from './decide';
import type { Decision, EventFacts, FieldRules } from './model';
import type { PolicyIndex } from './policy-index';

/** How one partner's outcome over a set of events differs between two models. */
export interface PartnerDifference {
  recipientAgencyId: string;
  /** Events the partner would receive only after the change. */
  gained: string[];
  /** Events the partner would no longer receive. */
  lost: string[];
  /** Events shared both ways but with a different copy (other field rules). */
  fieldRulesChanged: string[];
}

/**
 * Decides every event for every candidate under both indexes and lists, per partner, what the
 * change would make differ. Partners with no difference are left out; order is by partner id,
 * events in the order given.
 */
export function compareOutcomes(
  events: readonly EventFacts[],
  candidateIds: readonly string[],
  before: PolicyIndex,
  after: PolicyIndex,
  now: Date,
): PartnerDifference[] {
  const byPartner = new Map<string, PartnerDifference>();
  const entry = (id: string): PartnerDifference => {
    let d = byPartner.get(id);
    if (d === undefined) {
      d = { recipientAgencyId: id, gained: [], lost: [], fieldRulesChanged: [] };
      byPartner.set(id, d);
    }
    return d;
  };
  for (const event of events) {
    const was = new Map(decideRecipients(event, candidateIds, before, now).map((d) => [d.recipientAgencyId, d]));
    for (const now_ of decideRecipients(event, candidateIds, after, now)) {
      const old = was.get(now_.recipientAgencyId);
      const change = difference(old, now_);
      if (change !== undefined) entry(now_.recipientAgencyId)[change].push(event.id);
    }
  }
  return [...byPartner.values()].sort((a, b) => a.recipientAgencyId.localeCompare(b.recipientAgencyId));
}

function difference(before: Decision | undefined, after: Decision): 'gained' | 'lost' | 'fieldRulesChanged' | undefined {
  const shared = before?.share === true;
  if (!shared && after.share) return 'gained';
  if (shared && !after.share) return 'lost';
  if (shared && after.share && !sameRules(before?.fieldRules ?? null, after.fieldRules)) return 'fieldRulesChanged';
  return undefined;
}

function sameRules(a: FieldRules | null, b: FieldRules | null): boolean {
  const key = (r: FieldRules | null): string =>
    r === null ? 'null' : JSON.stringify([[...r.redact].sort(), r.coarsenLocationDegrees, r.dropNarrative]);
  return key(a) === key(b);
}
