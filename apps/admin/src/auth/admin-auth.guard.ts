import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { AgencyKeyAuthenticator, AuthError, bearerToken, isSessionToken, parseApiKey, sha256 } from '@liaison/auth';
import { authProblem, identifyCredential, ProblemError } from '@liaison/http';
import { AgencyRepository, SessionRepository } from '@liaison/persistence';
import { AdminConfig } from '../admin.config';
import { auditContextOf } from '../audit/audit-context';
import { AuditRecorder } from '../audit/audit-recorder';
import { RefusalTally } from '../audit/refusal-tally';
import { PUBLIC_ROUTE, type Actor, type AuthenticatedRequest, type Principal } from './principal';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Authenticates every admin request: the bootstrap operator token (break-glass), an operator
 * account's session token, or an agency API key with the `manage` scope (checked by the
 * `AgencyKeyAuthenticator` every service shares). Sets `request.principal`. The caller gets only a
 * generic 401, or a 403 that does not depend on which object was asked for. A refusal of a known
 * actor (403) is audited at once; unauthenticated refusals are tallied (`RefusalTally`).
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly operatorDigest: Buffer;

  constructor(
    private readonly keys: AgencyKeyAuthenticator,
    private readonly agencies: AgencyRepository,
    private readonly sessions: SessionRepository,
    private readonly audit: AuditRecorder,
    private readonly refusals: RefusalTally,
    private readonly reflector: Reflector,
    @Inject(AdminConfig) config: AdminConfig,
  ) {
    this.operatorDigest = sha256(config.LIAISON_ADMIN_TOKEN);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const presentedId = request.headers['x-request-id'];
    request.requestId = typeof presentedId === 'string' && REQUEST_ID.test(presentedId) ? presentedId : randomUUID();
    context.switchToHttp().getResponse<Response>().setHeader('x-request-id', request.requestId);
    if (request.path === '/health') return true;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]) === true) return true;

    const token = bearerToken(request.headers.authorization);
    if (token === undefined) return this.refuse(request, 'no bearer credential');
    const principal = await this.authenticate(request, token);
    request.principal = principal;
    return true;
  }

  private async authenticate(request: AuthenticatedRequest, token: string): Promise<Principal> {
    if (timingSafeEqual(sha256(token), this.operatorDigest)) {
      identifyCredential(request, 'operator-token');
      return { kind: 'operator', actor: { kind: 'bootstrap-token', id: null, agencyId: null, sessionId: null } };
    }
    if (isSessionToken(token)) {
      const active = await this.sessions.findActive(sha256(token));
      if (active === null) return this.refuse(request, 'unknown, expired or revoked session, or disabled account');
      const { account, session } = active;
      identifyCredential(request, `session:${session.id}`);
      const actor: Actor = { kind: 'operator-account', id: account.id, agencyId: account.agencyId, sessionId: session.id };
      if (account.role === 'platform-operator') return { kind: 'operator', actor };
      if (account.agencyId === null) return this.refuse(request, 'agency administrator without an agency');
      await this.requireActiveAgency(request, actor, account.agencyId);
      return { kind: 'agency', agencyId: account.agencyId, keyId: null, actor };
    }
    if (parseApiKey(token) === undefined) return this.refuse(request, 'credential is neither the operator token, a session nor an API key');
    try {
      const caller = await this.keys.authenticateKey(token, Date.now(), 'manage');
      identifyCredential(request, `api-key:${caller.keyId}`);
      const actor: Actor = { kind: 'api-key', id: caller.keyId, agencyId: caller.agencyId, sessionId: null };
      return { kind: 'agency', agencyId: caller.agencyId, keyId: caller.keyId, actor };
    } catch (error: unknown) {
      if (!(error instanceof AuthError)) throw error;
      if (error.caller === undefined) return this.refuse(request, error.message);
      const actor: Actor = { kind: 'api-key', id: error.caller.keyId, agencyId: error.caller.agencyId, sessionId: null };
      await this.deny(request, actor, error.message);
      throw authProblem(error);
    }
  }

  private async requireActiveAgency(request: AuthenticatedRequest, actor: Actor, agencyId: string): Promise<void> {
    const agency = await this.agencies.findById(agencyId);
    if (agency?.status === 'active') return;
    await this.deny(request, actor, 'the agency is suspended');
    throw new ProblemError('forbidden', 'the agency is suspended');
  }

  private refuse(request: AuthenticatedRequest, reason: string): never {
    this.refusals.count({
      sourceIp: auditContextOf(request).sourceIp,
      reason,
      route: `${request.method} ${request.path}`.slice(0, 128),
      requestId: request.requestId ?? null,
    });
    throw new ProblemError('unauthenticated', 'send `Authorization: Bearer <token>` with a valid, unexpired credential');
  }

  private deny(request: AuthenticatedRequest, actor: Actor, reason: string): Promise<void> {
    const context = { ...auditContextOf(request), actor };
    return this.audit.record(context, {
      action: 'auth.refused',
      objectType: 'route',
      objectId: `${request.method} ${request.path}`.slice(0, 128),
      agencyId: actor.agencyId,
      outcome: 'denied',
      reason,
    });
  }
}
