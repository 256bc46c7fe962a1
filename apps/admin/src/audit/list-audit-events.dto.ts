import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { MAX_TIMESTAMP_LENGTH } from '@liaison/contracts';

export class ListAuditEventsQuery {
  @ApiPropertyOptional({ description: 'actor id: an operator account id or an API key id', minLength: 1, maxLength: 128 })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  actor?: string;

  @ApiPropertyOptional({ example: 'session.sign-in', minLength: 1, maxLength: 64 })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  action?: string;

  @ApiPropertyOptional({ example: 'operator-account', minLength: 1, maxLength: 64 })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  objectType?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 128 })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  objectId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'agency scope; agency administrators always see only their own' })
  @IsOptional()
  @IsUUID()
  agencyId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'inclusive', maxLength: MAX_TIMESTAMP_LENGTH })
  @IsOptional()
  @MaxLength(MAX_TIMESTAMP_LENGTH)
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'exclusive', maxLength: MAX_TIMESTAMP_LENGTH })
  @IsOptional()
  @MaxLength(MAX_TIMESTAMP_LENGTH)
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ default: '50', pattern: '^([1-9]|[1-9]\\d|1\\d\\d|200)$' })
  @IsString()
  @Matches(/^([1-9]|[1-9]\d|1\d\d|200)$/, { message: 'limit must be an integer from 1 to 200' })
  limit: string = '50';

  @ApiPropertyOptional({ description: 'cursor: the `next` of the previous page', pattern: '^[1-9]\\d{0,18}$' })
  @IsOptional()
  @Matches(/^[1-9]\d{0,18}$/, { message: 'after must be a cursor returned as `next`' })
  after?: string;
}
