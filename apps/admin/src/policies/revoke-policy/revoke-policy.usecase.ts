import { Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { SharingPolicyRepository } from '@liaison/persistence';
import { ConfigChanges } from '../../outbox/config-changes';
import { policyState } from '../../outbox/config-state';
import type { AuditContext } from '../../audit/audit-context';

/**
 * Revokes a policy: it shares nothing from then on but stays in the record (and on the
 * configuration topic, marked revoked, so decisions can say why). Returns false when it was
 * already revoked.
 */
@Injectable()
export class RevokePolicyUseCase {
  constructor(
    private readonly policies: SharingPolicyRepository,
    private readonly changes: ConfigChanges,
  ) {}

  execute(grantorAgencyId: string, policyId: string, context: AuditContext, action = 'policy.revoke'): Promise<boolean> {
    return this.changes.run(context, async ({ manager: m, emit, record }) => {
      const current = await this.policies.lockCurrent(m, grantorAgencyId, policyId);
      if (current === null) throw new ProblemError('not-found');
      if (current.revokedAt !== null) return false;
      await this.policies.revoke(m, policyId, current.version);
      const revoked = await this.policies.findCurrent(grantorAgencyId, policyId, m);
      if (revoked === null) throw new ProblemError('not-found');
      await record({
        action,
        objectType: 'sharing-policy',
        objectId: policyId,
        agencyId: grantorAgencyId,
        before: policyState(current),
        after: policyState(revoked),
      });
      emit('policy', policyId, policyState(revoked));
      return true;
    });
  }
}
