import type { AgencyCaller } from '@liaison/auth';
import { ProblemError } from '@liaison/http';

/**
 * Who may read an agency's copies: a key of that very agency with the `consume` scope. Any other
 * agency's key gets 404 for the path, never a 403 that would confirm the agency exists.
 */
export function authorizeConsumer(caller: AgencyCaller, agencyId: string): void {
  if (caller.agencyId !== agencyId.toLowerCase()) throw new ProblemError('not-found');
  if (!caller.scopes.includes('consume')) throw new ProblemError('forbidden', 'the API key lacks the consume scope');
}
