import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { Omittable } from '@liaison/http';
import { OPERATOR_ROLES, type OperatorRole } from '@liaison/persistence';

export class CreateOperatorDto {
  @ApiProperty({ example: 'dispatch.lead@example.org', maxLength: 254 })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'Dispatch Lead', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  displayName!: string;

  @ApiProperty({ enum: OPERATOR_ROLES, example: 'agency-admin' })
  @IsIn(OPERATOR_ROLES)
  role!: OperatorRole;

  @ApiPropertyOptional({ format: 'uuid', description: 'required for agency-admin, absent for platform-operator' })
  @Omittable()
  @IsUUID()
  agencyId?: string;

  /** Length is what makes a password strong; 12 is NIST SP 800-63B's floor raised for privileged users. */
  @ApiProperty({ minLength: 12, maxLength: 128, example: 'a long passphrase of your own', writeOnly: true })
  @IsString()
  @Length(12, 128)
  password!: string;
}

export class ListOperatorsQuery {
  @ApiPropertyOptional({ default: '50', pattern: '^([1-9]|[1-9]\\d|1\\d\\d|200)$' })
  @IsString()
  @Matches(/^([1-9]|[1-9]\d|1\d\d|200)$/, { message: 'limit must be an integer from 1 to 200' })
  limit: string = '50';

  @ApiPropertyOptional({ format: 'uuid', description: 'cursor: the `next` of the previous page' })
  @IsOptional()
  @IsUUID()
  after?: string;
}
