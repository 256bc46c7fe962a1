import {
  applyDecorators,
  createParamDecorator,
  Injectable,
  SetMetadata,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
  type Provider,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AgencyKeyAuthenticator, type AgencyCaller } from '@liaison/auth';
import { AgencyRepository, ApiKeyRepository, type ApiKeyScope } from '@liaison/persistence';
import { identifyCredential } from './credential';
import { ProblemError } from './problem';

const AGENCY_KEY_ROUTE = 'liaison:agency-key';
const CALLERS = new WeakMap<Request, AgencyCaller>();

/**
 * Authenticates the agency API key of every request to the routes it guards (`@AgencyKeyRoute`), with
 * the one `AgencyKeyAuthenticator` every service shares, and names the key for per-credential rate
 * limits. Refusals are the authenticator's `AuthError`s, which the problem filter maps to 401/403.
 */
@Injectable()
export class AgencyKeyGuard implements CanActivate {
  constructor(
    private readonly authenticator: AgencyKeyAuthenticator,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const route = this.reflector.getAllAndOverride<{ scope?: ApiKeyScope } | undefined>(AGENCY_KEY_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (route === undefined) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const caller = await this.authenticator.authenticate(request.headers.authorization, Date.now(), route.scope);
    CALLERS.set(request, caller);
    identifyCredential(request, `api-key:${caller.keyId}`);
    return true;
  }
}

/** Routes called with an agency API key (`Authorization: Bearer lsk_…`); with `scope`, the key must carry it. */
export const AgencyKeyRoute = (scope?: ApiKeyScope): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(AGENCY_KEY_ROUTE, { scope }), UseGuards(AgencyKeyGuard));

/** The agency the request's key belongs to (only on `@AgencyKeyRoute` routes). */
export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext): AgencyCaller => {
  const caller = CALLERS.get(context.switchToHttp().getRequest<Request>());
  if (caller === undefined) throw new ProblemError('unauthenticated');
  return caller;
});

/** The service's one `AgencyKeyAuthenticator`, trusting a verified key for `cacheTtlMs` (0: never cached). */
export function agencyKeyAuthenticatorProvider(cacheTtlMs: number): Provider {
  return {
    provide: AgencyKeyAuthenticator,
    useFactory: (keys: ApiKeyRepository, agencies: AgencyRepository) => new AgencyKeyAuthenticator(keys, agencies, cacheTtlMs),
    inject: [ApiKeyRepository, AgencyRepository],
  };
}
