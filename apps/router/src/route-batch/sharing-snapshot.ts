import { Inject, Injectable } from '@nestjs/common';
import { NO_FIELD_RULES, PolicyIndex, type AgencyFacts, type SharingPolicy } from '@liaison/policy';
import { AgencyRepository, SharingAgreementRepository, type AgencyEntity, type SharingAgreementEntity } from '@liaison/persistence';
import { RouterConfig } from '../router.config';

export interface Snapshot {
  /** The candidate recipients of every event. */
  activeAgencyIds: string[];
  index: PolicyIndex;
  /** Policy ids that are sharing agreements, so the ledger can still fill `agreement_id`. */
  agreementIds: ReadonlySet<string>;
}

/** Agencies are read in pages of this size (keyset by ORI), so no single query grows with the federation. */
const AGENCY_PAGE = 1_000;

/**
 * The federation as the router needs it — agencies and the policies between them — loaded from
 * Postgres and reused for a short time, so a batch costs a few queries at most, never one per event.
 *
 * Until the policy tables exist, every active sharing agreement stands for one agency policy: any
 * feed and type, up to AMBER, no geographic scope, the agreement's purpose, no field rules. Every
 * agency counts as law enforcement and accepts no exercise or test alerts.
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
    const agencies = await this.allAgencies();
    const activeAgencyIds = agencies.filter((a) => a.status === 'active').map((a) => a.id);
    const agreements = await this.agreements.listActiveForGrantors(activeAgencyIds);
    const snapshot: Snapshot = {
      activeAgencyIds,
      index: new PolicyIndex({ agencies: agencies.map(agencyFacts), groups: [], policies: agreements.map(agreementPolicy) }),
      agreementIds: new Set(agreements.map((a) => a.id)),
    };
    this.current = { snapshot, until: now + this.config.ROUTER_SNAPSHOT_TTL_MS };
    return snapshot;
  }

  private async allAgencies(): Promise<AgencyEntity[]> {
    const all: AgencyEntity[] = [];
    for (;;) {
      const page = await this.agencies.list(AGENCY_PAGE, all.at(-1)?.ori);
      all.push(...page);
      if (page.length < AGENCY_PAGE) return all;
    }
  }
}

function agencyFacts(a: AgencyEntity): AgencyFacts {
  return { id: a.id, ori: a.ori, kind: a.kind, status: a.status, lawEnforcement: true, acceptsStatuses: [] };
}

/** An agreement read as the agency policy it amounts to. */
function agreementPolicy(a: SharingAgreementEntity): SharingPolicy {
  return {
    id: a.id,
    grantorAgencyId: a.grantorAgencyId,
    grantee: { kind: 'agency', agencyId: a.granteeAgencyId },
    feeds: null,
    eventTypes: null,
    maxTlp: 'AMBER',
    geoScope: null,
    purpose: a.purpose,
    validFrom: null,
    validUntil: null,
    fieldRules: NO_FIELD_RULES,
    revoked: false,
  };
}
