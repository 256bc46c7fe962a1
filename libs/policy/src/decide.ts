/**
 * Pure sharing decisions: plain data in, plain data out; no framework, no I/O, no clock.
 * The router applies it to every event, and the admin API uses the same function to explain.
 */

export interface Agreement {
  id: string;
  grantorAgencyId: string;
  granteeAgencyId: string;
}

/** TLP 2.0 labels (the same list as the contracts'; policy stays free of other libs). */
export type TlpLabel = 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';

export interface EventFacts {
  ownerAgencyId: string;
  tlp: TlpLabel;
}

export type DecisionReason = 'agreement' | 'no-agreement' | 'tlp-red-not-named' | 'tlp-amber-strict';

export interface RecipientDecision {
  recipientAgencyId: string;
  share: boolean;
  reasons: DecisionReason[];
  agreementId: string | null;
}

/** Agreements indexed by grantor, so an event's cost follows its owner's agreements only. */
export class AgreementIndex {
  private readonly byGrantor = new Map<string, Map<string, Agreement>>();

  constructor(agreements: Iterable<Agreement>) {
    for (const a of agreements) {
      const grantees = this.byGrantor.get(a.grantorAgencyId) ?? new Map<string, Agreement>();
      grantees.set(a.granteeAgencyId, a);
      this.byGrantor.set(a.grantorAgencyId, grantees);
    }
  }

  find(grantorAgencyId: string, granteeAgencyId: string): Agreement | undefined {
    return this.byGrantor.get(grantorAgencyId)?.get(granteeAgencyId);
  }
}

/**
 * The TLP 2.0 floor no agreement can lower: RED goes only to recipients the event names (events
 * cannot name recipients yet, so RED stays with its owner); AMBER+STRICT never leaves the owner's
 * organization. Undefined when the label leaves the decision to the agreements.
 */
function tlpDenial(tlp: TlpLabel): DecisionReason | undefined {
  switch (tlp) {
    case 'RED':
      return 'tlp-red-not-named';
    case 'AMBER+STRICT':
      return 'tlp-amber-strict';
    case 'AMBER':
    case 'GREEN':
    case 'CLEAR':
      return undefined;
  }
}

/**
 * Decides, for every candidate recipient other than the owner, whether it receives the event.
 * Default deny: the event's TLP label must allow sharing outside the owner, and an agreement from
 * the owner to the recipient must exist.
 */
export function decideRecipients(event: EventFacts, candidates: readonly string[], agreements: AgreementIndex): RecipientDecision[] {
  const decisions: RecipientDecision[] = [];
  const denial = tlpDenial(event.tlp);
  for (const recipientAgencyId of candidates) {
    if (recipientAgencyId === event.ownerAgencyId) continue;
    const agreement = agreements.find(event.ownerAgencyId, recipientAgencyId);
    if (denial !== undefined) {
      decisions.push({ recipientAgencyId, share: false, reasons: [denial], agreementId: null });
    } else if (agreement === undefined) {
      decisions.push({ recipientAgencyId, share: false, reasons: ['no-agreement'], agreementId: null });
    } else {
      decisions.push({ recipientAgencyId, share: true, reasons: ['agreement'], agreementId: agreement.id });
    }
  }
  return decisions;
}
