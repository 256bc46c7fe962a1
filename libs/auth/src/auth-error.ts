import type { AgencyCaller } from './agency-key-authenticator';

/** Why a credential was not accepted. The HTTP layer maps each code to a problem (libs/http). */
export const AUTH_ERROR_CODES = ['missing-credential', 'unknown-credential', 'agency-suspended', 'scope-missing'] as const;
export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number];

/**
 * A refused credential, raised by libs/auth without knowing the transport. `caller` is set when the
 * credential itself was valid (suspended agency, missing scope), so the refusal can name its actor.
 */
export class AuthError extends Error {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    readonly caller?: AgencyCaller,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}
