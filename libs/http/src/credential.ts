import type { Request } from 'express';

const CREDENTIALS = new WeakMap<Request, string>();

/**
 * Names the credential a request was authenticated with (an API key id, a session id, the
 * operator token), so limits per credential apply to it. Set by each service's authentication.
 */
export function identifyCredential(request: Request, id: string): void {
  CREDENTIALS.set(request, id);
}

/** The credential `identifyCredential` named for this request, if it was authenticated. */
export function credentialOf(request: Request): string | undefined {
  return CREDENTIALS.get(request);
}
