import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ProblemError } from '@liaison/http';

/**
 * Who acted, for the audit trail: the break-glass bootstrap token, a person's operator account
 * (signed in with a session), or an agency API key. `anonymous` only ever appears on refusals.
 */
export interface Actor {
  kind: 'bootstrap-token' | 'operator-account' | 'api-key' | 'anonymous';
  /** Account id or API key id; null for the bootstrap token and anonymous callers. */
  id: string | null;
  /** The agency the actor belongs to, if any. */
  agencyId: string | null;
  /** The session the request came with, when the actor signed in. */
  sessionId: string | null;
}

/** Who is calling: a platform operator, or an agency administrator acting for one agency. */
export type Principal = { kind: 'operator'; actor: Actor } | { kind: 'agency'; agencyId: string; keyId: string | null; actor: Actor };

export interface AuthenticatedRequest extends Request {
  principal?: Principal;
  /** Correlates the request's audit rows and logs; echoed as the `x-request-id` response header. */
  requestId?: string;
}

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (principal === undefined) throw new ProblemError('unauthenticated');
  return principal;
});

export const PUBLIC_ROUTE = 'liaison:public-route';

/** Marks a route that needs no credential (sign-in). Everything else is authenticated. */
export const PublicRoute = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

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
