import type { ApiKeyScope } from '@liaison/persistence';

/** The agency a request acts for, established from its API key. */
export interface Publisher {
  agencyId: string;
  keyId: string;
  scopes: readonly ApiKeyScope[];
}
