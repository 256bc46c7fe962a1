import { Injectable } from '@nestjs/common';
import { PolicyIndex } from '@liaison/policy';
import type { PolicyModel } from '../config/federation-state';

export interface Snapshot {
  /** The candidate recipients of every event: the active agencies (the engine skips the owner). */
  activeAgencyIds: string[];
  /** Every known agency (suspended ones too, so decisions can say so), group and policy. */
  index: PolicyIndex;
}

/**
 * The federation as the router decides over it, kept in memory and replaced whole by the
 * configuration topic reader whenever a change arrives (no database query on the hot path).
 * The policy engine's index is built once per configuration change, not per batch; validity
 * windows need no rebuild because the engine checks them against the `now` it is given.
 */
@Injectable()
export class SharingSnapshot {
  private current: PolicyModel = { agencies: [], groups: [], policies: [] };
  private built: { snapshot: Snapshot; from: PolicyModel } | undefined;

  /** Called by the configuration reader with the whole new model. */
  replace(model: PolicyModel): void {
    this.current = model;
  }

  /** Agencies, groups and policies, shaped as libs/policy/src/model.ts. */
  model(): PolicyModel {
    return this.current;
  }

  /** The index over the current model, rebuilt only when the reader has replaced the model since. */
  get(): Snapshot {
    if (this.built?.from === this.current) return this.built.snapshot;
    const model = this.current;
    const snapshot: Snapshot = {
      activeAgencyIds: model.agencies.filter((a) => a.status === 'active').map((a) => a.id),
      index: new PolicyIndex(model),
    };
    this.built = { snapshot, from: model };
    return snapshot;
  }
}
