import { IsInt, IsString, Max, Min, Validate } from 'class-validator';
import { Sensitive } from '@liaison/config';
import { parseAllowList, parseSecretKey, SealingSecretKey, WebhookAllowList, type AllowEntry } from '@liaison/webhooks';

/** Settings of the subscriptions feature of the admin service (read from the environment at boot). */
export class SubscriptionsConfig {
  /** Deployment key that seals webhook signing secrets; the delivery service must have the same. Never logged. */
  @Sensitive()
  @IsString()
  @Validate(SealingSecretKey)
  LIAISON_SECRET_KEY: string = '';

  /** After a rotation, how long the previous secret keeps signing next to the new one (default 24 h). */
  @IsInt()
  @Min(0)
  @Max(30 * 24 * 3_600_000)
  WEBHOOK_ROTATION_OVERLAP_MS: number = 24 * 3_600_000;

  /**
   * The operator allow-list of non-public webhook targets, as the delivery service has it: a URL the
   * SSRF guard would refuse there is refused here when the subscription is created.
   */
  @IsString()
  @Validate(WebhookAllowList)
  WEBHOOK_ALLOWED_HOSTS: string = '';

  allowList(): AllowEntry[] {
    return parseAllowList(this.WEBHOOK_ALLOWED_HOSTS) ?? [];
  }

  secretKey(): Buffer {
    const key = parseSecretKey(this.LIAISON_SECRET_KEY);
    if (key === undefined) throw new Error('LIAISON_SECRET_KEY is not a 32-byte base64 key');
    return key;
  }
}

/** The AES-GCM associated data of sealed webhook secrets; the delivery service opens with the same. */
export const WEBHOOK_SECRET_PURPOSE = 'webhook-signing-secret';
