import { ApiProperty } from '@nestjs/swagger';
import { API_KEY_SCOPES, type ApiKeyEntity } from '@liaison/persistence';

/** An API key as listed: never its secret or digest. */
export class ApiKeyView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'public part of the key, to recognise it' })
  prefix!: string;

  @ApiProperty()
  label!: string;

  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true })
  scopes!: string[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  revokedAt!: string | null;
}

export class IssuedApiKeyView extends ApiKeyView {
  @ApiProperty({ description: 'the whole key; shown only in this response', example: 'lsk_…' })
  key!: string;
}

export class ApiKeyList {
  @ApiProperty({ type: [ApiKeyView] })
  items!: ApiKeyView[];
}

export function apiKeyView(k: ApiKeyEntity): ApiKeyView {
  return {
    id: k.id,
    prefix: k.prefix,
    label: k.label,
    scopes: k.scopes,
    createdAt: k.createdAt.toISOString(),
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}
