import { Inject, Injectable } from '@nestjs/common';
import { bearerToken, parseApiKey, secretMatches } from '@liaison/auth';
import { ProblemError } from '@liaison/http';
import { AgencyRepository, ApiKeyRepository } from '@liaison/persistence';
import { GatewayConfig } from '../gateway.config';
import type { Publisher } from './publisher';

interface CachedKey {
  publisher: Publisher;
  secretSha256: Buffer;
  agencyActive: boolean;
  until: number;
}

/**
 * Turns an `Authorization: Bearer lsk_…` header into the publishing agency. Verified keys are
 * cached for a few seconds so the hot path does not query Postgres per request; a revoked key or a
 * suspended agency stops working within that time.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, CachedKey>();

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly agencies: AgencyRepository,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
  ) {}

  async authenticate(authorization: string | undefined, now: number): Promise<Publisher> {
    const token = bearerToken(authorization);
    const parsed = token === undefined ? undefined : parseApiKey(token);
    if (parsed === undefined) throw new ProblemError('unauthenticated', 'send an agency API key as `Authorization: Bearer lsk_…`');
    const entry = await this.lookup(parsed.prefix, now);
    if (entry === undefined || !secretMatches(parsed.secret, entry.secretSha256)) {
      throw new ProblemError('unauthenticated', 'the API key is unknown or revoked');
    }
    if (!entry.agencyActive) throw new ProblemError('forbidden', 'the agency is suspended');
    return entry.publisher;
  }

  private async lookup(prefix: string, now: number): Promise<CachedKey | undefined> {
    const hit = this.cache.get(prefix);
    if (hit !== undefined && hit.until > now) return hit;
    this.cache.delete(prefix);
    const key = await this.keys.findActiveByPrefix(prefix);
    if (key === null) return undefined;
    const agency = await this.agencies.findById(key.agencyId);
    const entry: CachedKey = {
      publisher: { agencyId: key.agencyId, keyId: key.id, scopes: key.scopes },
      secretSha256: key.secretSha256,
      agencyActive: agency?.status === 'active',
      until: now + this.config.GATEWAY_KEY_CACHE_TTL_MS,
    };
    this.cache.set(prefix, entry);
    return entry;
  }
}
