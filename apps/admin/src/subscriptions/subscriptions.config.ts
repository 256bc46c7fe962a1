import { IsInt, IsString, Max, Min, Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { Sensitive } from '@liaison/config';
import { parseSecretKey } from '@liaison/webhooks';

@ValidatorConstraint({ name: 'secretKey' })
class SecretKey implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && parseSecretKey(value) !== undefined;
  }
  defaultMessage(): string {
    return 'LIAISON_SECRET_KEY must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)';
  }
}

/** Settings of the subscriptions feature of the admin service (read from the environment at boot). */
export class SubscriptionsConfig {
  /** Deployment key that seals webhook signing secrets; the delivery service must have the same. Never logged. */
  @Sensitive()
  @IsString()
  @Validate(SecretKey)
  LIAISON_SECRET_KEY: string = '';

  /** After a rotation, how long the previous secret keeps signing next to the new one (default 24 h). */
  @IsInt()
  @Min(0)
  @Max(30 * 24 * 3_600_000)
  WEBHOOK_ROTATION_OVERLAP_MS: number = 24 * 3_600_000;

  secretKey(): Buffer {
    const key = parseSecretKey(this.LIAISON_SECRET_KEY);
    if (key === undefined) throw new Error('LIAISON_SECRET_KEY is not a 32-byte base64 key');
    return key;
  }
}

/** The AES-GCM associated data of sealed webhook secrets; the delivery service opens with the same. */
export const WEBHOOK_SECRET_PURPOSE = 'webhook-signing-secret';
