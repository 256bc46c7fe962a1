import { Inject, Injectable } from '@nestjs/common';
import { AgreementIndex } from '@liaison/policy';
import { AgencyRepository, SharingAgreementRepository } from '@liaison/persistence';
import { RouterConfig } from '../router.config';

export interface Snapshot {
  activeAgencyIds: string[];
  agreements: AgreementIndex;
}

/**
 * The federation as the router needs it — active agencies and agreements — loaded from Postgres
 * and reused for a short time, so a batch costs at most two queries, never one per event.
 */
@Injectable()
export class SharingSnapshot {
  private current: { snapshot: Snapshot; until: number } | undefined;

  constructor(
    private readonly agencies: AgencyRepository,
    private readonly agreements: SharingAgreementRepository,
    @Inject(RouterConfig) private readonly config: RouterConfig,
  ) {}

  async get(now: number): Promise<Snapshot> {
    if (this.current !== undefined && this.current.until > now) return this.current.snapshot;
    const activeAgencyIds = await this.agencies.activeIds();
    const agreements = await this.agreements.listActiveForGrantors(activeAgencyIds);
    const snapshot = { activeAgencyIds, agreements: new AgreementIndex(agreements) };
    this.current = { snapshot, until: now + this.config.ROUTER_SNAPSHOT_TTL_MS };
    return snapshot;
  }
}
