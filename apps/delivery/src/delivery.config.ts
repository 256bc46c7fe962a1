import { IsInt, IsString, Max, Min, Validate, type ValidatorConstraintInterface, ValidatorConstraint } from 'class-validator';
import { CommonConfig, Sensitive } from '@liaison/config';
import { DEFAULT_RETRY_SCHEDULE, parseRetrySchedule, parseSecretKey, SealingSecretKey, WebhookAllowList } from '@liaison/webhooks';

@ValidatorConstraint({ name: 'retrySchedule' })
class RetrySchedule implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && parseRetrySchedule(value) !== undefined;
  }
  defaultMessage(): string {
    return 'WEBHOOK_RETRY_SCHEDULE must be a comma-separated list of delays like 5s,5m,2h or 50ms';
  }
}

export class DeliveryConfig extends CommonConfig {
  /** How often the set of agency delivery topics is re-read, so a new agency is served without a restart. */
  @IsInt()
  @Min(200)
  @Max(300_000)
  DELIVERY_TOPIC_REFRESH_MS: number = 2_000;

  /** Deployment key that seals webhook signing secrets (AES-256-GCM) and signs pull cursors. Never logged. */
  @Sensitive()
  @IsString()
  @Validate(SealingSecretKey)
  LIAISON_SECRET_KEY: string = '';

  /** Delays after each failed webhook attempt; past the last one the copy is given up on (replay brings it back). */
  @IsString()
  @Validate(RetrySchedule)
  WEBHOOK_RETRY_SCHEDULE: string = DEFAULT_RETRY_SCHEDULE;

  /** An endpoint failing without a single success for this long is disabled (default 5 days). */
  @IsInt()
  @Min(0)
  WEBHOOK_DISABLE_AFTER_MS: number = 5 * 24 * 3_600_000;

  /** Operator allow-list of non-public webhook targets, e.g. `127.0.0.1:*,hooks.internal:8443`. Empty: public addresses only. */
  @IsString()
  @Validate(WebhookAllowList)
  WEBHOOK_ALLOWED_HOSTS: string = '';

  @IsInt()
  @Min(100)
  @Max(60_000)
  WEBHOOK_CONNECT_TIMEOUT_MS: number = 5_000;

  /** Time for the whole exchange (connect, send, response headers and body). */
  @IsInt()
  @Min(100)
  @Max(120_000)
  WEBHOOK_RESPONSE_TIMEOUT_MS: number = 15_000;

  /** How often the dispatcher looks for due deliveries (it is also woken when copies arrive). */
  @IsInt()
  @Min(10)
  @Max(60_000)
  WEBHOOK_POLL_MS: number = 500;

  /** Concurrent requests to one endpoint (different subjects; one subject is always sequential). */
  @IsInt()
  @Min(1)
  @Max(100)
  WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT: number = 8;

  /** Comment lines sent on an idle live stream so proxies keep it open. */
  @IsInt()
  @Min(100)
  @Max(300_000)
  SSE_HEARTBEAT_MS: number = 15_000;

  /** How long a verified consumer key is trusted before it is looked up again (revocation delay). */
  @IsInt()
  @Min(0)
  @Max(60_000)
  DELIVERY_KEY_CACHE_TTL_MS: number = 5_000;

  retrySchedule(): number[] {
    return parseRetrySchedule(this.WEBHOOK_RETRY_SCHEDULE) ?? [];
  }

  secretKey(): Buffer {
    const key = parseSecretKey(this.LIAISON_SECRET_KEY);
    if (key === undefined) throw new Error('LIAISON_SECRET_KEY is not a 32-byte base64 key');
    return key;
  }
}
