import { ArrayMaxSize, ArrayUnique, IsArray, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';

export class CreateSharingGroupDto {
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @IsOptional()
  @IsString()
  @Length(0, 1000)
  description?: string;

  /** Agencies in the group from the start. */
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  memberAgencyIds?: string[];
}

export class UpdateSharingGroupDto {
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name?: string;

  @ValidateIf((o: UpdateSharingGroupDto) => o.description !== null && o.description !== undefined)
  @IsString()
  @Length(0, 1000)
  description?: string | null;
}

export class ListSharingGroupsQuery {
  @IsString()
  @Matches(/^([1-9]|[1-9]\d|1\d\d|200)$/, { message: 'limit must be an integer from 1 to 200' })
  limit: string = '50';

  /** Cursor: the id of the last group of the previous page. */
  @IsOptional()
  @IsUUID('all', { message: 'after must be a group id' })
  after?: string;
}
