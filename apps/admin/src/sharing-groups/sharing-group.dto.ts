import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import { Omittable } from '@liaison/http';

export class CreateSharingGroupDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Regional gun-violence task force' })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiPropertyOptional({ maxLength: 1000, example: 'Agencies of the county task force' })
  @Omittable()
  @IsString()
  @Length(0, 1000)
  description?: string;

  /** Agencies in the group from the start. */
  @ApiPropertyOptional({ type: 'array', items: { type: 'string', format: 'uuid' }, maxItems: 1000 })
  @Omittable()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  memberAgencyIds?: string[];
}

export class UpdateSharingGroupDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200, example: 'Regional gun-violence task force' })
  @Omittable()
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 1000, example: 'Agencies of the county task force' })
  @ValidateIf((o: UpdateSharingGroupDto) => o.description !== null && o.description !== undefined)
  @IsString()
  @Length(0, 1000)
  description?: string | null;
}

export class ListSharingGroupsQuery {
  @ApiPropertyOptional({ default: '50', pattern: '^([1-9]|[1-9]\\d|1\\d\\d|200)$' })
  @IsString()
  @Matches(/^([1-9]|[1-9]\d|1\d\d|200)$/, { message: 'limit must be an integer from 1 to 200' })
  limit: string = '50';

  /** Cursor: the id of the last group of the previous page. */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'after must be a group id' })
  after?: string;
}
