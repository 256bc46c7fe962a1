import { Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { AgencyRepository, SharingPolicyRepository } from '@liaison/persistence';
import type { AuditContext } from '../audit/audit-context';
import type { Principal } from '../auth/principal';
import { ConfigChanges } from '../outbox/config-changes';
import { policyState } from '../outbox/config-state';
import { actor } from '../policies/policy-content';
import type { CreateSharingAgreementDto } from './create-sharing-agreement.dto';
import { agreementView, type AgreementView } from './agreement.view';

/**
 * The original "share everything with this partner" agreement, kept as a shorthand: it creates a
 * policy granting the partner every feed and type up to TLP AMBER, with no field rules. One such
 * policy per partner at a time (409 otherwise).
 */
@Injectable()
export class CreateSharingAgreementUseCase {
  constructor(
    private readonly agencies: AgencyRepository,
    private readonly policies: SharingPolicyRepository,
    private readonly changes: ConfigChanges,
  ) {}

  async execute(
    grantorAgencyId: string,
    dto: CreateSharingAgreementDto,
    principal: Principal,
    context: AuditContext,
  ): Promise<AgreementView> {
    const granteeAgencyId = dto.granteeAgencyId.toLowerCase();
    if (granteeAgencyId === grantorAgencyId) {
      throw new ProblemError('validation-failed', 'an agency cannot grant itself', [
        { pointer: '/granteeAgencyId', detail: 'must be another agency' },
      ]);
    }
    if ((await this.agencies.findById(granteeAgencyId)) === null) {
      throw new ProblemError('validation-failed', 'no such partner agency', [
        { pointer: '/granteeAgencyId', detail: 'no agency has this id' },
      ]);
    }
    return this.changes.run(context, async ({ manager: m, emit, record }) => {
      // Serialises agreement creation per grantor, so the duplicate check below holds.
      await this.agencies.lockById(m, grantorAgencyId);
      if ((await this.policies.activeAgreementLike(grantorAgencyId, granteeAgencyId)).length > 0) {
        throw new ProblemError('conflict', 'an active agreement with this partner already exists');
      }
      const policy = await this.policies.insert(m, {
        grantorAgencyId,
        version: 1,
        granteeAgencyId,
        granteeGroupId: null,
        feeds: null,
        eventTypes: null,
        maxTlp: 'AMBER',
        geoScope: null,
        purpose: dto.purpose,
        validFrom: null,
        validUntil: null,
        fieldRules: { redact: [], coarsenLocationDegrees: null, dropNarrative: false },
        createdBy: actor(principal),
      });
      const view = agreementView(policy);
      await record({
        action: 'sharing-agreement.create',
        objectType: 'sharing-policy',
        objectId: policy.id,
        agencyId: grantorAgencyId,
        after: view,
      });
      emit('policy', policy.id, policyState(policy));
      return view;
    });
  }
}
