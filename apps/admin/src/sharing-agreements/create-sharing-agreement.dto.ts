import { IsString, IsUUID, Length } from 'class-validator';

export class CreateSharingAgreementDto {
  @IsUUID()
  granteeAgencyId!: string;

  /** The need-to-know / right-to-know for this sharing, as an auditor would read it. */
  @IsString()
  @Length(1, 500)
  purpose!: string;
}
