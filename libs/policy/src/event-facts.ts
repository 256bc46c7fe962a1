// The one place the policy library meets the envelope contract: shared by the router (routing) and
// the admin API (explain), so both derive the same facts from the same event.
import { ENVELOPE_ATTRIBUTES, type LiaisonEvent } from '@liaison/contracts';
import { applyFieldRules, isNoOp, remainingPersonalData } from './field-rules';
import type { EventFacts, FieldRules } from './model';
import type { PolicyIndex } from './policy-index';

/** Whether the envelope contract declares `recipients` yet (it validates it then; until then the router does). */
const CONTRACT_HAS_RECIPIENTS = (ENVELOPE_ATTRIBUTES as readonly string[]).includes('recipients');

const ORI_LIST = /^[A-Za-z0-9]{9}( [A-Za-z0-9]{9})*$/;

/**
 * Takes the `recipients` attribute (space-separated ORIs) out of a decoded, not yet validated
 * envelope when the contract does not declare it yet, so the contract's refusal of unknown
 * attributes does not dead-letter it. Returns the value, undefined when absent, or a problem.
 */
export function takeUndeclaredRecipients(plain: Record<string, unknown>): { recipients: string | undefined } | { problem: string } {
  if (CONTRACT_HAS_RECIPIENTS || !('recipients' in plain)) return { recipients: undefined };
  const value = plain['recipients'];
  delete plain['recipients'];
  if (typeof value !== 'string' || !ORI_LIST.test(value)) return { problem: '/recipients must be space-separated ORIs' };
  return { recipients: value };
}

/** The `recipients` of a validated event, read defensively: the contract may or may not declare it. */
export function declaredRecipients(event: LiaisonEvent): string | undefined {
  const value = (event as { recipients?: unknown }).recipients;
  return typeof value === 'string' ? value : undefined;
}

/**
 * What the policy rules need to know about a validated event. Named recipients are ORIs in the
 * envelope and agency ids in the rules; an ORI no agency has names no one.
 */
export function eventFacts(event: LiaisonEvent, recipients: string | undefined, index: PolicyIndex): EventFacts {
  const namedRecipientIds = (recipients ?? '')
    .split(/[\s,]+/)
    .filter((ori) => ori !== '')
    .flatMap((ori) => index.agencyByOri(ori)?.id ?? []);
  return {
    id: event.id,
    ownerAgencyId: event.agency as string,
    type: event.type,
    feed: event.feed ?? null,
    tlp: event.tlp,
    namedRecipientIds,
    expires: event.expires ?? null,
    data: event.data as unknown as Readonly<Record<string, unknown>>,
  };
}

/**
 * A recipient's copy: the same event (same CloudEvents id) with its payload cut down by the field
 * rules, and `personaldata` naming only what the copy still holds.
 */
export function recipientCopy(event: LiaisonEvent, rules: FieldRules): LiaisonEvent {
  if (isNoOp(rules)) return event;
  const data = applyFieldRules(event.data as unknown as Readonly<Record<string, unknown>>, rules);
  // A cut-down payload may lack members the contract requires (that is the point of redaction); the
  // binding only serialises it, so the copy is typed as the event it came from.
  const copy = { ...event, data } as unknown as LiaisonEvent;
  const personaldata = remainingPersonalData(event.personaldata, rules);
  if (personaldata === undefined) delete copy.personaldata;
  else copy.personaldata = personaldata;
  return copy;
}
