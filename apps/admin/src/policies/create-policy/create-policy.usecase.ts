import { Injectable } from '@nestjs/common';
import type { SharingPolicyConfigV1 } from '@liaison/contracts';
import { SharingPolicyRepository, type PolicyContent } from '@liaison/persistence';
import { ConfigChanges } from '../../outbox/config-changes';
import { policyState } from '../../outbox/config-state';
import type { AuditContext } from '../../audit/audit-context';

/** The grantor agency creates a policy (version 1). Content comes checked from PolicyContentResolver. */
@Injectable()
export class CreatePolicyUseCase {
  constructor(
    private readonly policies: SharingPolicyRepository,
    private readonly changes: ConfigChanges,
  ) {}

  execute(grantorAgencyId: string, content: PolicyContent, createdBy: string, context: AuditContext): Promise<SharingPolicyConfigV1> {
    return this.changes.run(context, async ({ manager: m, emit, record }) => {
      const policy = await this.policies.insert(m, { ...content, grantorAgencyId, version: 1, createdBy });
      const state = policyState(policy);
      await record({ action: 'policy.create', objectType: 'sharing-policy', objectId: policy.id, agencyId: grantorAgencyId, after: state });
      emit('policy', policy.id, state);
      return state;
    });
  }
}
