import type { SharingPolicyEntity } from '@liaison/persistence';

/** The agreement shape of the original API; an agreement is a policy with an agency grantee and no restrictions. */
export interface AgreementView {
  id: string;
  grantorAgencyId: string;
  granteeAgencyId: string;
  purpose: string;
  createdAt: string;
}

export function agreementView(p: SharingPolicyEntity): AgreementView {
  return {
    id: p.id,
    grantorAgencyId: p.grantorAgencyId,
    granteeAgencyId: p.granteeAgencyId ?? '',
    purpose: p.purpose,
    createdAt: p.createdAt.toISOString(),
  };
}
