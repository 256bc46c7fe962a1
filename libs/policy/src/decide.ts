/**
 * Pure sharing decisions: plain data in, plain data out; no framework, no I/O, no clock.
 * The router applies it to every event, and the admin API uses the same function to explain.
 */

export interface Agreement {
  id: string;
  grantorAgencyId: string;
  granteeAgencyId: string;
}

export interface EventFacts {
  ownerAgencyId: string;
}

export type DecisionReason = 'agreement' | 'no-agreement';

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
 * Decides, for every candidate recipient other than the owner, whether it receives the event.
 * Default deny: only an agreement from the owner to the recipient shares.
 */
export function decideRecipients(event: EventFacts, candidates: readonly string[], agreements: AgreementIndex): RecipientDecision[] {
  const decisions: RecipientDecision[] = [];
  for (const recipientAgencyId of candidates) {
    if (recipientAgencyId === event.ownerAgencyId) continue;
    const agreement = agreements.find(event.ownerAgencyId, recipientAgencyId);
    decisions.push(
      agreement === undefined
        ? { recipientAgencyId, share: false, reasons: ['no-agreement'], agreementId: null }
        : { recipientAgencyId, share: true, reasons: ['agreement'], agreementId: agreement.id },
    );
  }
  return decisions;
}
