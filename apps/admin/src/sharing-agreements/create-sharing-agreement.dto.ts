import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUUID, Length } from 'class-validator';

export class CreateSharingAgreementDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  granteeAgencyId!: string;

  /** The need-to-know / right-to-know for this sharing, as an auditor would read it. */
  @ApiProperty({ minLength: 1, maxLength: 500, example: 'joint task force on vehicle crime' })
  @IsString()
  @Length(1, 500)
  purpose!: string;
}
