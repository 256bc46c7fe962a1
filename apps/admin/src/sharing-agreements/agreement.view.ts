import { ApiProperty } from '@nestjs/swagger';
import type { SharingPolicyEntity } from '@liaison/persistence';

/** The agreement shape of the original API; an agreement is a policy with an agency grantee and no restrictions. */
export class AgreementView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  grantorAgencyId!: string;

  @ApiProperty({ format: 'uuid' })
  granteeAgencyId!: string;

  @ApiProperty()
  purpose!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class AgreementList {
  @ApiProperty({ type: [AgreementView] })
  items!: AgreementView[];
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
