import { Injectable } from '@nestjs/common';
import type { SharingPolicyConfigV1 } from '@liaison/contracts';
import { SharingPolicyRepository, type PolicyContent } from '@liaison/persistence';
import { ConfigChanges } from '../../outbox/config-changes';
import { policyState } from '../../outbox/config-state';

/** The grantor agency creates a policy (version 1). Content comes checked from PolicyContentResolver. */
@Injectable()
export class CreatePolicyUseCase {
  constructor(
    private readonly policies: SharingPolicyRepository,
    private readonly changes: ConfigChanges,
  ) {}

  execute(grantorAgencyId: string, content: PolicyContent, createdBy: string): Promise<SharingPolicyConfigV1> {
    return this.changes.run(async (m, emit) => {
      const policy = await this.policies.insert(m, { ...content, grantorAgencyId, version: 1, createdBy });
      const state = policyState(policy);
      emit('policy', policy.id, state);
      return state;
    });
  }
}
