import { IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { CommonConfig } from '@liaison/config';

export class AdminConfig extends CommonConfig {
  /**
   * Bootstrap platform-operator credential, sent as `Authorization: Bearer <token>`. Required, and
   * long enough not to be guessed. Never logged.
   */
  @IsString()
  @MinLength(24, { message: 'LIAISON_ADMIN_TOKEN must be at least 24 characters' })
  LIAISON_ADMIN_TOKEN: string = '';

  /**
   * How often the outbox relay looks for rows written by other admin instances. Rows this instance
   * writes are published at once, without waiting for the poll.
   */
  @IsInt()
  @Min(10)
  @Max(60_000)
  OUTBOX_POLL_MS: number = 250;
}

export const ADMIN_SENSITIVE: (keyof AdminConfig)[] = ['LIAISON_ADMIN_TOKEN', 'DATABASE_URL'];
