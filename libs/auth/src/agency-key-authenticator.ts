import { ProblemError } from '@liaison/http';
import type { AgencyRepository, ApiKeyRepository, ApiKeyScope } from '@liaison/persistence';
import { bearerToken, parseApiKey, secretMatches } from './api-keys';

/** The agency a request acts for, established from its API key. */
export interface AgencyCaller {
  agencyId: string;
  keyId: string;
  scopes: readonly ApiKeyScope[];
}

interface CachedKey {
  caller: AgencyCaller;
  secretSha256: Buffer;
  agencyActive: boolean;
  until: number;
}

/**
 * Turns an `Authorization: Bearer lsk_…` header into the calling agency, for every service that
 * agencies call with their keys (gateway, delivery). Verified keys are cached for `cacheTtlMs` so a
 * hot path does not query Postgres per request; a revoked key or a suspended agency stops working
 * within that time.
 */
export class AgencyKeyAuthenticator {
  private readonly cache = new Map<string, CachedKey>();

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly agencies: AgencyRepository,
    private readonly cacheTtlMs: number,
  ) {}

  async authenticate(authorization: string | undefined, now: number): Promise<AgencyCaller> {
    const token = bearerToken(authorization);
    const parsed = token === undefined ? undefined : parseApiKey(token);
    if (parsed === undefined) throw new ProblemError('unauthenticated', 'send an agency API key as `Authorization: Bearer lsk_…`');
    const entry = await this.lookup(parsed.prefix, now);
    if (entry === undefined || !secretMatches(parsed.secret, entry.secretSha256)) {
      throw new ProblemError('unauthenticated', 'the API key is unknown or revoked');
    }
    if (!entry.agencyActive) throw new ProblemError('forbidden', 'the agency is suspended');
    return entry.caller;
  }

  private async lookup(prefix: string, now: number): Promise<CachedKey | undefined> {
    const hit = this.cache.get(prefix);
    if (hit !== undefined && hit.until > now) return hit;
    this.cache.delete(prefix);
    const key = await this.keys.findActiveByPrefix(prefix);
    if (key === null) return undefined;
    const agency = await this.agencies.findById(key.agencyId);
    const entry: CachedKey = {
      caller: { agencyId: key.agencyId, keyId: key.id, scopes: key.scopes },
      secretSha256: key.secretSha256,
      agencyActive: agency?.status === 'active',
      until: now + this.cacheTtlMs,
    };
    this.cache.set(prefix, entry);
    return entry;
  }
}
