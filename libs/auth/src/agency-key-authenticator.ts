import type { AgencyRepository, ApiKeyRepository, ApiKeyScope } from '@liaison/persistence';
import { bearerToken, parseApiKey, secretMatches } from './api-keys';
import { AuthError } from './auth-error';

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
 * Turns an agency API key (`lsk_…`) into the calling agency, for every service that agencies call
 * with their keys (gateway, delivery, admin). Verified keys are cached for `cacheTtlMs` so a hot path
 * does not query Postgres per request; a revoked key or a suspended agency stops working within that
 * time (0: looked up on every request). Refusals are `AuthError`s; the transport decides the answer.
 */
export class AgencyKeyAuthenticator {
  private readonly cache = new Map<string, CachedKey>();

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly agencies: AgencyRepository,
    private readonly cacheTtlMs: number,
  ) {}

  /** Authenticates an `Authorization` header value carrying `Bearer lsk_…`. */
  async authenticate(authorization: string | undefined, now: number, scope?: ApiKeyScope): Promise<AgencyCaller> {
    const token = bearerToken(authorization);
    if (token === undefined) throw new AuthError('missing-credential', 'send an agency API key as `Authorization: Bearer lsk_…`');
    return this.authenticateKey(token, now, scope);
  }

  /** Authenticates a presented key; with `scope`, the key must also carry it. */
  async authenticateKey(presented: string, now: number, scope?: ApiKeyScope): Promise<AgencyCaller> {
    const parsed = parseApiKey(presented);
    if (parsed === undefined) throw new AuthError('missing-credential', 'send an agency API key as `Authorization: Bearer lsk_…`');
    const entry = await this.lookup(parsed.prefix, now);
    if (entry === undefined || !secretMatches(parsed.secret, entry.secretSha256)) {
      throw new AuthError('unknown-credential', `unknown or revoked API key (prefix ${parsed.prefix})`);
    }
    if (scope !== undefined && !entry.caller.scopes.includes(scope)) {
      throw new AuthError('scope-missing', `the API key lacks the ${scope} scope`, entry.caller);
    }
    if (!entry.agencyActive) throw new AuthError('agency-suspended', 'the agency is suspended', entry.caller);
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
    if (this.cacheTtlMs > 0) this.cache.set(prefix, entry);
    return entry;
  }
}
