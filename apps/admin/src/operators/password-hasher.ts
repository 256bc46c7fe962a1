import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_SCRYPT_PARAMS, hashPassword, verifyPassword, type PasswordHash, type ScryptParams } from '@liaison/auth';
import { AdminConfig } from '../admin.config';

/** Hashes new passwords at the configured cost, and keeps a dummy hash for unknown emails. */
@Injectable()
export class PasswordHasher {
  private readonly params: ScryptParams;
  private dummy: Promise<PasswordHash> | undefined;

  constructor(@Inject(AdminConfig) config: AdminConfig) {
    this.params = { ...DEFAULT_SCRYPT_PARAMS, N: config.ADMIN_SCRYPT_COST };
  }

  hash(password: string): Promise<PasswordHash> {
    return hashPassword(password, this.params);
  }

  /**
   * Verifies against the stored hash, or — when no account has the email — against a dummy hash of
   * the same cost, so an unknown email takes as long as a wrong password and cannot be enumerated.
   */
  async verify(password: string, stored: PasswordHash | null): Promise<boolean> {
    if (stored !== null) return verifyPassword(password, stored);
    this.dummy ??= hashPassword('no account has this password', this.params);
    await verifyPassword(password, await this.dummy);
    return false;
  }
}
