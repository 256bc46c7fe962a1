import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { bearerToken, parseApiKey, secretMatches, sha256 } from '@liaison/auth';
import { ProblemError } from '@liaison/http';
import { AgencyRepository, ApiKeyRepository } from '@liaison/persistence';
import { AdminConfig } from '../admin.config';
import type { AuthenticatedRequest } from './principal';

/**
 * Authenticates every admin request: the bootstrap operator token, or an agency API key with the
 * `manage` scope (its agency must be active). Sets `request.principal`.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly operatorDigest: Buffer;

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly agencies: AgencyRepository,
    @Inject(AdminConfig) config: AdminConfig,
  ) {
    this.operatorDigest = sha256(config.LIAISON_ADMIN_TOKEN);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (request.path === '/health') return true;
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) throw new ProblemError('unauthenticated', 'send `Authorization: Bearer <token>`');
    if (timingSafeEqual(sha256(token), this.operatorDigest)) {
      request.principal = { kind: 'operator' };
      return true;
    }
    const parsed = parseApiKey(token);
    const key = parsed === undefined ? null : await this.keys.findActiveByPrefix(parsed.prefix);
    if (parsed === undefined || key === null || !secretMatches(parsed.secret, key.secretSha256)) {
      throw new ProblemError('unauthenticated', 'the token is unknown, expired or revoked');
    }
    if (!key.scopes.includes('manage')) throw new ProblemError('forbidden', 'the API key lacks the manage scope');
    const agency = await this.agencies.findById(key.agencyId);
    if (agency?.status !== 'active') throw new ProblemError('forbidden', 'the agency is suspended');
    request.principal = { kind: 'agency', agencyId: key.agencyId, keyId: key.id };
    return true;
  }
}
