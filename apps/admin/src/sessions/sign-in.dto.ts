import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, MaxLength } from 'class-validator';
import { OperatorView } from '../operators/operator.view';

export class SignInDto {
  @ApiProperty({ example: 'dispatch.lead@example.org', maxLength: 254 })
  @IsString()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'a long passphrase of your own', writeOnly: true, maxLength: 128 })
  @IsString()
  @Length(1, 128)
  password!: string;
}

export class SessionView {
  @ApiProperty({ description: 'bearer token for `Authorization: Bearer …`; shown once, stored only as a digest', example: 'lss_…' })
  token!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;

  @ApiProperty({ type: OperatorView })
  account!: OperatorView;
}
