import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ProblemError } from '@liaison/http';

/** Who is calling: the platform operator, or an agency administrator acting for one agency. */
export type Principal = { kind: 'operator' } | { kind: 'agency'; agencyId: string; keyId: string };

export interface AuthenticatedRequest extends Request {
  principal?: Principal;
}

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (principal === undefined) throw new ProblemError('unauthenticated');
  return principal;
});

/**
 * Tenant isolation: an agency principal may touch only its own agency. Anything else is reported
 * as not found, so the answer never confirms that another tenant's object exists.
 */
export function assertAgencyAccess(principal: Principal, agencyId: string): void {
  if (principal.kind === 'agency' && principal.agencyId !== agencyId) throw new ProblemError('not-found');
}

export function assertOperator(principal: Principal): void {
  if (principal.kind !== 'operator') throw new ProblemError('forbidden', 'this action needs a platform operator');
}
