import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ProblemError } from '@liaison/http';
import { RoutedEventRepository, SharingPolicyRepository, type PolicyContent } from '@liaison/persistence';
import { compareOutcomes, PolicyIndex, type SharingPolicy } from '@liaison/policy';
import { ConfigStateReader } from '../../outbox/config-state-reader';
import { PolicyContentResolver } from '../policy-content';
import type { PolicyDto } from '../policy.dto';
import type { SimulateDto, SimulationView } from './simulate-policy.dto';

const DEFAULT_LIMIT = 200;

/**
 * What a proposed policy change would do to the agency's recent events: each is decided under the
 * current model and under the model with the change applied in memory, by the router's engine.
 * Nothing is written (no policy version, no outbox record, no audit change). The proposed policy
 * goes through the same checks as create and update (PolicyContentResolver).
 */
@Injectable()
export class SimulatePolicyUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly state: ConfigStateReader,
    private readonly policies: SharingPolicyRepository,
    private readonly content: PolicyContentResolver,
    private readonly routedEvents: RoutedEventRepository,
  ) {}

  async execute(grantorAgencyId: string, dto: SimulateDto): Promise<SimulationView> {
    const now = new Date();
    const current = await this.state.policyModel(this.dataSource.manager);
    const changed = await this.proposedPolicies(grantorAgencyId, dto, current.policies);
    const events = await this.routedEvents.recent(grantorAgencyId, dto.limit ?? DEFAULT_LIMIT);
    const candidates = current.agencies.filter((a) => a.status === 'active').map((a) => a.id);
    const partners = compareOutcomes(events, candidates, new PolicyIndex(current), new PolicyIndex({ ...current, policies: changed }), now);
    return { eventsEvaluated: events.length, partners };
  }

  /** The current policies with the change applied (a new list; the current one is untouched). */
  private async proposedPolicies(grantorAgencyId: string, dto: SimulateDto, policies: SharingPolicy[]): Promise<SharingPolicy[]> {
    const change = dto.change;
    switch (change.kind) {
      case 'create': {
        const content = await this.resolve(grantorAgencyId, change.policy);
        return [...policies, proposed(randomUUID(), grantorAgencyId, content)];
      }
      case 'update': {
        const policyId = await this.existing(grantorAgencyId, change.policyId, true);
        const content = await this.resolve(grantorAgencyId, change.policy);
        return policies.map((p) => (p.id === policyId ? proposed(policyId, grantorAgencyId, content) : p));
      }
      case 'revoke': {
        if (change.policy !== undefined) throw fieldProblem('/change/policy', 'a revoke takes no policy');
        const policyId = await this.existing(grantorAgencyId, change.policyId, false);
        return policies.map((p) => (p.id === policyId ? { ...p, revoked: true } : p));
      }
    }
  }

  /** The policy id of an update or revoke: it must be one of the agency's (another agency's is a 404 like every route). */
  private async existing(grantorAgencyId: string, policyId: string | undefined, mustBeLive: boolean): Promise<string> {
    if (policyId === undefined) throw fieldProblem('/change/policyId', 'an update or revoke names the policy');
    const id = policyId.toLowerCase();
    const row = await this.policies.findCurrent(grantorAgencyId, id);
    if (row === null) throw new ProblemError('not-found');
    // As UpdatePolicyUseCase refuses it: a revoked policy cannot change.
    if (mustBeLive && row.revokedAt !== null) throw new ProblemError('conflict', 'the policy is revoked; create a new one');
    return id;
  }

  /** The create/update checks, with problems pointing into this body. */
  private async resolve(grantorAgencyId: string, policy: PolicyDto | undefined): Promise<PolicyContent> {
    if (policy === undefined) throw fieldProblem('/change/policy', 'a create or update needs the policy');
    try {
      return await this.content.resolve(grantorAgencyId, policy);
    } catch (error: unknown) {
      if (!(error instanceof ProblemError) || error.errors === undefined) throw error;
      const errors = error.errors.map((e) => ({ pointer: `/change/policy${e.pointer}`, detail: e.detail }));
      throw new ProblemError(error.code, error.detail, errors);
    }
  }
}

function fieldProblem(pointer: string, detail: string): ProblemError {
  return new ProblemError('validation-failed', 'see errors for each field', [{ pointer, detail }]);
}

/** A checked policy content as the engine sees it: the version a create or update would write. */
function proposed(id: string, grantorAgencyId: string, c: PolicyContent): SharingPolicy {
  return {
    id,
    grantorAgencyId,
    grantee:
      c.granteeGroupId !== null ? { kind: 'group', groupId: c.granteeGroupId } : { kind: 'agency', agencyId: c.granteeAgencyId ?? '' },
    feeds: c.feeds,
    eventTypes: c.eventTypes,
    maxTlp: c.maxTlp,
    geoScope: c.geoScope,
    purpose: c.purpose,
    validFrom: c.validFrom?.toISOString() ?? null,
    validUntil: c.validUntil?.toISOString() ?? null,
    fieldRules: c.fieldRules,
    revoked: false,
  };
}
