import { ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { parseSecretKey } from './secret-box';
import { parseAllowList } from './ssrf';

/** Config check of WEBHOOK_ALLOWED_HOSTS, for every service that applies the SSRF guard. */
@ValidatorConstraint({ name: 'allowList' })
export class WebhookAllowList implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && parseAllowList(value) !== undefined;
  }
  defaultMessage(): string {
    return 'WEBHOOK_ALLOWED_HOSTS must be a comma-separated list of host:port or host:* entries';
  }
}

/** Config check of LIAISON_SECRET_KEY, for every service that seals or opens webhook secrets. */
@ValidatorConstraint({ name: 'secretKey' })
export class SealingSecretKey implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && parseSecretKey(value) !== undefined;
  }
  defaultMessage(): string {
    return 'LIAISON_SECRET_KEY must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)';
  }
}
