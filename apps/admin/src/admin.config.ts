import { IsString, MinLength } from 'class-validator';
import { CommonConfig } from '@liaison/config';

export class AdminConfig extends CommonConfig {
  /**
   * Bootstrap platform-operator credential, sent as `Authorization: Bearer <token>`. Required, and
   * long enough not to be guessed. Never logged.
   */
  @IsString()
  @MinLength(24, { message: 'LIAISON_ADMIN_TOKEN must be at least 24 characters' })
  LIAISON_ADMIN_TOKEN: string = '';
}

export const ADMIN_SENSITIVE: (keyof AdminConfig)[] = ['LIAISON_ADMIN_TOKEN', 'DATABASE_URL'];
