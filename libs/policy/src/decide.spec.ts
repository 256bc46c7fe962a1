import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgreementIndex, decideRecipients, type Agreement, type EventFacts, type RecipientDecision, type TlpLabel } from './decide';

const OWNER = 'agency-owner';
const A = 'agency-a';
const B = 'agency-b';
const C = 'agency-c';

function agreement(id: string, grantorAgencyId: string, granteeAgencyId: string): Agreement {
  return { id, grantorAgencyId, granteeAgencyId };
}

/** Facts of an event owned by `ownerAgencyId`; AMBER unless a test is about the label. */
function facts(ownerAgencyId: string, tlp: TlpLabel = 'AMBER'): EventFacts {
  return { ownerAgencyId, tlp };
}

function decisionFor(decisions: readonly RecipientDecision[], recipient: string): RecipientDecision | undefined {
  return decisions.find((d) => d.recipientAgencyId === recipient);
}

describe('AgreementIndex', () => {
  it('finds an agreement by grantor and grantee', () => {
    const index = new AgreementIndex([agreement('ag-1', OWNER, A), agreement('ag-2', OWNER, B), agreement('ag-3', A, B)]);
    assert.equal(index.find(OWNER, A)?.id, 'ag-1');
    assert.equal(index.find(OWNER, B)?.id, 'ag-2');
    assert.equal(index.find(A, B)?.id, 'ag-3');
  });

  it('is directional: an agreement from A to B is not one from B to A', () => {
    const index = new AgreementIndex([agreement('ag-1', A, B)]);
    assert.equal(index.find(B, A), undefined);
  });

  it('finds nothing for unknown agencies, or in an empty index', () => {
    const index = new AgreementIndex([agreement('ag-1', A, B)]);
    assert.equal(index.find(C, B), undefined);
    assert.equal(index.find(A, C), undefined);
    assert.equal(new AgreementIndex([]).find(A, B), undefined);
  });

  it('accepts any iterable, e.g. a generator', () => {
    function* agreements(): Generator<Agreement> {
      yield agreement('ag-1', A, B);
      yield agreement('ag-2', A, C);
    }
    const index = new AgreementIndex(agreements());
    assert.equal(index.find(A, B)?.id, 'ag-1');
    assert.equal(index.find(A, C)?.id, 'ag-2');
  });

  it('does not match ids by prefix or case', () => {
    const index = new AgreementIndex([agreement('ag-1', A, B)]);
    assert.equal(index.find(A.toUpperCase(), B), undefined);
    assert.equal(index.find('agency-', B), undefined);
    assert.equal(index.find(A, `${B} `), undefined);
  });
});

describe('decideRecipients: agreements', () => {
  it('denies by default: with no agreements nobody receives the event', () => {
    const decisions = decideRecipients(facts(OWNER), [A, B], new AgreementIndex([]));
    assert.deepEqual(decisions, [
      { recipientAgencyId: A, share: false, reasons: ['no-agreement'], agreementId: null },
      { recipientAgencyId: B, share: false, reasons: ['no-agreement'], agreementId: null },
    ]);
  });

  it('shares with a recipient the owner has an agreement with, naming the agreement', () => {
    const index = new AgreementIndex([agreement('ag-1', OWNER, A)]);
    const decisions = decideRecipients(facts(OWNER), [A, B], index);
    assert.deepEqual(decisions, [
      { recipientAgencyId: A, share: true, reasons: ['agreement'], agreementId: 'ag-1' },
      { recipientAgencyId: B, share: false, reasons: ['no-agreement'], agreementId: null },
    ]);
  });

  it('never makes the owner a recipient of its own event, even with an agreement with itself', () => {
    const index = new AgreementIndex([agreement('self', OWNER, OWNER), agreement('ag-1', OWNER, A)]);
    const decisions = decideRecipients(facts(OWNER), [OWNER, A, OWNER], index);
    assert.equal(decisionFor(decisions, OWNER), undefined);
    assert.deepEqual(
      decisions.map((d) => d.recipientAgencyId),
      [A],
    );
  });

  it('does not share on an agreement in the other direction (recipient → owner)', () => {
    const index = new AgreementIndex([agreement('reverse', A, OWNER)]);
    const decision = decisionFor(decideRecipients(facts(OWNER), [A], index), A);
    assert.deepEqual(decision, { recipientAgencyId: A, share: false, reasons: ['no-agreement'], agreementId: null });
  });

  it('does not share on an agreement between two other agencies', () => {
    const index = new AgreementIndex([agreement('ag-ab', A, B)]);
    const decision = decisionFor(decideRecipients(facts(OWNER), [B], index), B);
    assert.equal(decision?.share, false);
    assert.equal(decision?.agreementId, null);
  });

  it('uses only the owner’s agreements when several grantors share with the same grantee', () => {
    const index = new AgreementIndex([agreement('from-a', A, C), agreement('from-owner', OWNER, C), agreement('from-b', B, C)]);
    assert.equal(decisionFor(decideRecipients(facts(OWNER), [C], index), C)?.agreementId, 'from-owner');
    assert.equal(decisionFor(decideRecipients(facts(A), [C], index), C)?.agreementId, 'from-a');
  });

  it('decides every candidate, in candidate order', () => {
    const index = new AgreementIndex([agreement('ag-c', OWNER, C), agreement('ag-a', OWNER, A)]);
    const decisions = decideRecipients(facts(OWNER), [C, B, A], index);
    assert.deepEqual(
      decisions.map((d) => [d.recipientAgencyId, d.share, d.agreementId]),
      [
        [C, true, 'ag-c'],
        [B, false, null],
        [A, true, 'ag-a'],
      ],
    );
  });

  it('gives every decision exactly one reason, consistent with share and agreementId', () => {
    const index = new AgreementIndex([agreement('ag-a', OWNER, A)]);
    for (const d of decideRecipients(facts(OWNER), [A, B, C], index)) {
      assert.equal(d.reasons.length, 1);
      assert.equal(d.reasons[0], d.share ? 'agreement' : 'no-agreement');
      assert.equal(d.agreementId !== null, d.share);
    }
  });

  it('returns no decisions for no candidates, or only the owner', () => {
    const index = new AgreementIndex([agreement('ag-a', OWNER, A)]);
    assert.deepEqual(decideRecipients(facts(OWNER), [], index), []);
    assert.deepEqual(decideRecipients(facts(OWNER), [OWNER], index), []);
  });

  it('returns fresh reason arrays, so changing one decision cannot change another', () => {
    const decisions = decideRecipients(facts(OWNER), [A, B], new AgreementIndex([]));
    decisions[0]?.reasons.push('agreement');
    assert.deepEqual(decisions[1]?.reasons, ['no-agreement']);
    assert.deepEqual(decideRecipients(facts(OWNER), [A], new AgreementIndex([]))[0]?.reasons, ['no-agreement']);
  });
});

describe('decideRecipients: TLP 2.0 labels', () => {
  const index = new AgreementIndex([agreement('ag-a', OWNER, A)]);

  for (const tlp of ['CLEAR', 'GREEN', 'AMBER'] as const) {
    it(`${tlp} leaves the decision to the agreements`, () => {
      assert.deepEqual(decideRecipients(facts(OWNER, tlp), [A, B], index), [
        { recipientAgencyId: A, share: true, reasons: ['agreement'], agreementId: 'ag-a' },
        { recipientAgencyId: B, share: false, reasons: ['no-agreement'], agreementId: null },
      ]);
    });
  }

  it('RED is shared with nobody, even with an agreement, because events cannot name recipients', () => {
    assert.deepEqual(decideRecipients(facts(OWNER, 'RED'), [A, B], index), [
      { recipientAgencyId: A, share: false, reasons: ['tlp-red-not-named'], agreementId: null },
      { recipientAgencyId: B, share: false, reasons: ['tlp-red-not-named'], agreementId: null },
    ]);
  });

  it('AMBER+STRICT never leaves the owner, even with an agreement', () => {
    assert.deepEqual(decideRecipients(facts(OWNER, 'AMBER+STRICT'), [A, B], index), [
      { recipientAgencyId: A, share: false, reasons: ['tlp-amber-strict'], agreementId: null },
      { recipientAgencyId: B, share: false, reasons: ['tlp-amber-strict'], agreementId: null },
    ]);
  });

  it('still leaves the owner out of the decisions for a restrictive label', () => {
    for (const tlp of ['RED', 'AMBER+STRICT'] as const) {
      assert.deepEqual(
        decideRecipients(facts(OWNER, tlp), [OWNER, A], index).map((d) => d.recipientAgencyId),
        [A],
      );
    }
  });

  it('never shares a label more restrictive than AMBER, whoever the candidates and agreements', () => {
    const everyone = [OWNER, A, B, C];
    const all = new AgreementIndex(everyone.flatMap((g) => everyone.map((r) => agreement(`${g}->${r}`, g, r))));
    for (const tlp of ['RED', 'AMBER+STRICT'] as const) {
      for (const owner of everyone) {
        assert.ok(
          decideRecipients(facts(owner, tlp), everyone, all).every((d) => !d.share && d.agreementId === null),
          `${tlp} ${owner}`,
        );
      }
    }
  });
});
