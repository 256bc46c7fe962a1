import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsString, Length } from 'class-validator';
import { API_KEY_SCOPES, type ApiKeyScope } from '@liaison/persistence';

export class IssueApiKeyDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'CAD integration' })
  @IsString()
  @Length(1, 100)
  label!: string;

  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true, maxItems: API_KEY_SCOPES.length, example: ['publish'] })
  @IsArray()
  @ArrayMaxSize(API_KEY_SCOPES.length)
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(API_KEY_SCOPES, { each: true })
  scopes!: ApiKeyScope[];
}
