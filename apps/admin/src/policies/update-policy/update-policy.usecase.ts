import { Injectable } from '@nestjs/common';
import type { SharingPolicyConfigV1 } from '@liaison/contracts';
import { ProblemError } from '@liaison/http';
import { SharingPolicyRepository, type PolicyContent } from '@liaison/persistence';
import { ConfigChanges } from '../../outbox/config-changes';
import { policyState } from '../../outbox/config-state';
import type { AuditContext } from '../../audit/audit-context';

/**
 * Replaces a policy's content with a new version. The previous version stays, superseded, so the
 * record shows what was in force when. A revoked policy cannot change: create a new one.
 */
@Injectable()
export class UpdatePolicyUseCase {
  constructor(
    private readonly policies: SharingPolicyRepository,
    private readonly changes: ConfigChanges,
  ) {}

  execute(
    grantorAgencyId: string,
    policyId: string,
    content: PolicyContent,
    createdBy: string,
    context: AuditContext,
  ): Promise<SharingPolicyConfigV1> {
    return this.changes.run(context, async ({ manager: m, emit, record }) => {
      const current = await this.policies.lockCurrent(m, grantorAgencyId, policyId);
      if (current === null) throw new ProblemError('not-found');
      if (current.revokedAt !== null) throw new ProblemError('conflict', 'the policy is revoked; create a new one');
      await this.policies.supersede(m, policyId, current.version);
      const next = await this.policies.insert(m, { ...content, id: policyId, grantorAgencyId, version: current.version + 1, createdBy });
      const state = policyState(next);
      await record({
        action: 'policy.update',
        objectType: 'sharing-policy',
        objectId: policyId,
        agencyId: grantorAgencyId,
        before: policyState(current),
        after: state,
      });
      emit('policy', policyId, state);
      return state;
    });
  }
}
