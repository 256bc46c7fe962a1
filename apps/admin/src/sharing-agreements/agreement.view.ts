import type { SharingAgreementEntity } from '@liaison/persistence';

export interface AgreementView {
  id: string;
  grantorAgencyId: string;
  granteeAgencyId: string;
  purpose: string;
  createdAt: string;
}

export function agreementView(a: SharingAgreementEntity): AgreementView {
  return {
    id: a.id,
    grantorAgencyId: a.grantorAgencyId,
    granteeAgencyId: a.granteeAgencyId,
    purpose: a.purpose,
    createdAt: a.createdAt.toISOString(),
  };
}
