import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { bearerToken, isSessionToken, parseApiKey, secretMatches, sha256 } from '@liaison/auth';
import { ProblemError } from '@liaison/http';
import { AgencyRepository, ApiKeyRepository, SessionRepository } from '@liaison/persistence';
import { AdminConfig } from '../admin.config';
import { ANONYMOUS, auditContextOf } from '../audit/audit-context';
import { AuditRecorder } from '../audit/audit-recorder';
import { PUBLIC_ROUTE, type Actor, type AuthenticatedRequest, type Principal } from './principal';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Authenticates every admin request: the bootstrap operator token (break-glass), an operator
 * account's session token, or an agency API key with the `manage` scope (its agency must be active).
 * Sets `request.principal`. Every refusal is audited with its true reason; the caller gets only a
 * generic 401, or a 403 that does not depend on which object was asked for.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly operatorDigest: Buffer;

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly agencies: AgencyRepository,
    private readonly sessions: SessionRepository,
    private readonly audit: AuditRecorder,
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
      return { kind: 'operator', actor: { kind: 'bootstrap-token', id: null, agencyId: null, sessionId: null } };
    }
    if (isSessionToken(token)) {
      const active = await this.sessions.findActive(sha256(token));
      if (active === null) return this.refuse(request, 'unknown, expired or revoked session, or disabled account');
      const { account, session } = active;
      const actor: Actor = { kind: 'operator-account', id: account.id, agencyId: account.agencyId, sessionId: session.id };
      if (account.role === 'platform-operator') return { kind: 'operator', actor };
      if (account.agencyId === null) return this.refuse(request, 'agency administrator without an agency');
      await this.requireActiveAgency(request, actor, account.agencyId);
      return { kind: 'agency', agencyId: account.agencyId, keyId: null, actor };
    }
    const parsed = parseApiKey(token);
    if (parsed === undefined) return this.refuse(request, 'credential is neither the operator token, a session nor an API key');
    const key = await this.keys.findActiveByPrefix(parsed.prefix);
    if (key === null || !secretMatches(parsed.secret, key.secretSha256)) {
      return this.refuse(request, `unknown or revoked API key (prefix ${parsed.prefix})`);
    }
    const actor: Actor = { kind: 'api-key', id: key.id, agencyId: key.agencyId, sessionId: null };
    if (!key.scopes.includes('manage')) {
      await this.deny(request, actor, 'the API key lacks the manage scope');
      throw new ProblemError('forbidden', 'the API key lacks the manage scope');
    }
    await this.requireActiveAgency(request, actor, key.agencyId);
    return { kind: 'agency', agencyId: key.agencyId, keyId: key.id, actor };
  }

  private async requireActiveAgency(request: AuthenticatedRequest, actor: Actor, agencyId: string): Promise<void> {
    const agency = await this.agencies.findById(agencyId);
    if (agency?.status === 'active') return;
    await this.deny(request, actor, 'the agency is suspended');
    throw new ProblemError('forbidden', 'the agency is suspended');
  }

  private async refuse(request: AuthenticatedRequest, reason: string): Promise<never> {
    await this.deny(request, ANONYMOUS, reason);
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
