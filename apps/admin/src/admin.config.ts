import { IsIn, IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { CommonConfig, Sensitive } from '@liaison/config';

/** scrypt N values accepted: powers of two from 2^10 (tests) to 2^20. */
const SCRYPT_COSTS = Array.from({ length: 11 }, (_, i) => 2 ** (10 + i));

export class AdminConfig extends CommonConfig {
  /**
   * Bootstrap platform-operator credential, sent as `Authorization: Bearer <token>`. Required, and
   * long enough not to be guessed. Never logged. It stays as the break-glass operator once people
   * have accounts.
   */
  @Sensitive()
  @IsString()
  @MinLength(24, { message: 'LIAISON_ADMIN_TOKEN must be at least 24 characters' })
  LIAISON_ADMIN_TOKEN: string = '';

  /** How long a session token from `POST /v1/sessions` is valid (no sliding renewal). */
  @IsInt()
  @Min(60_000)
  @Max(86_400_000)
  ADMIN_SESSION_TTL_MS: number = 1_800_000;

  /** Consecutive failed sign-ins that lock an account. */
  @IsInt()
  @Min(1)
  @Max(100)
  ADMIN_LOCKOUT_THRESHOLD: number = 5;

  /** How long a locked account refuses every sign-in, even with the right password. */
  @IsInt()
  @Min(1_000)
  @Max(86_400_000)
  ADMIN_LOCKOUT_MS: number = 900_000;

  /** scrypt cost N for new password hashes (a power of two; memory is 1 KiB · N). */
  @IsInt()
  @IsIn(SCRYPT_COSTS, { message: 'ADMIN_SCRYPT_COST must be a power of two from 1024 to 1048576' })
  ADMIN_SCRYPT_COST: number = 131_072;

  /**
   * How often the outbox relay looks for rows written by other admin instances. Rows this instance
   * writes are published at once, without waiting for the poll.
   */
  @IsInt()
  @Min(10)
  @Max(60_000)
  OUTBOX_POLL_MS: number = 250;

  /** How long a verified agency API key is trusted before it is looked up again; 0 (default): every request. */
  @IsInt()
  @Min(0)
  @Max(60_000)
  ADMIN_KEY_CACHE_TTL_MS: number = 0;

  /** Unauthenticated refusals are counted and written as one audit row per source and reason per this window. */
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  ADMIN_REFUSAL_AUDIT_WINDOW_MS: number = 60_000;
}
