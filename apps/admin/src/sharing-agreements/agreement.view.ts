import { ApiProperty } from '@nestjs/swagger';
import type { SharingAgreementEntity } from '@liaison/persistence';

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

export function agreementView(a: SharingAgreementEntity): AgreementView {
  return {
    id: a.id,
    grantorAgencyId: a.grantorAgencyId,
    granteeAgencyId: a.granteeAgencyId,
    purpose: a.purpose,
    createdAt: a.createdAt.toISOString(),
  };
}
