import { Inject, Injectable } from '@nestjs/common';
import { AgreementIndex } from '@liaison/policy';
import { agreementsInForce, type PolicyModel } from '../config/federation-state';
import { RouterConfig } from '../router.config';

export interface Snapshot {
  activeAgencyIds: string[];
  agreements: AgreementIndex;
}

/**
 * The federation as the router decides over it, kept in memory and replaced whole by the
 * configuration topic reader whenever a change arrives (no database query on the hot path).
 * `model()` is the policy engine's input; `get()` derives the agreement view the current
 * decision function takes, re-derived at most every ROUTER_SNAPSHOT_TTL_MS for validity windows.
 */
@Injectable()
export class SharingSnapshot {
  private current: PolicyModel = { agencies: [], groups: [], policies: [] };
  private derived: { snapshot: Snapshot; until: number; from: PolicyModel } | undefined;

  constructor(@Inject(RouterConfig) private readonly config: RouterConfig) {}

  /** Called by the configuration reader with the whole new model. */
  replace(model: PolicyModel): void {
    this.current = model;
  }

  /** Agencies, groups and policies, shaped as libs/policy/src/model.ts. */
  model(): PolicyModel {
    return this.current;
  }

  get(now: number): Promise<Snapshot> {
    const d = this.derived;
    if (d !== undefined && d.from === this.current && d.until > now) return Promise.resolve(d.snapshot);
    const { activeAgencyIds, agreements } = agreementsInForce(this.current, now);
    const snapshot = { activeAgencyIds, agreements: new AgreementIndex(agreements) };
    this.derived = { snapshot, until: now + this.config.ROUTER_SNAPSHOT_TTL_MS, from: this.current };
    return Promise.resolve(snapshot);
  }
}
