import { Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { SharingAgreementRepository } from '@liaison/persistence';
import type { AuditContext } from '../audit/audit-context';
import { AuditRecorder } from '../audit/audit-recorder';
import { agreementView } from './agreement.view';

/** The grantor ends an agreement; the audit row commits with the revocation. */
@Injectable()
export class RevokeSharingAgreementUseCase {
  constructor(
    private readonly agreements: SharingAgreementRepository,
    private readonly audit: AuditRecorder,
  ) {}

  execute(grantorAgencyId: string, agreementId: string, context: AuditContext): Promise<void> {
    return this.audit.change(context, async (tx) => {
      const before = await this.agreements.findActiveForGrantor(grantorAgencyId, agreementId, tx.manager);
      if (before === null || !(await this.agreements.revoke(grantorAgencyId, agreementId, tx.manager))) throw new ProblemError('not-found');
      await tx.record({
        action: 'sharing-agreement.revoke',
        objectType: 'sharing-agreement',
        objectId: agreementId,
        agencyId: grantorAgencyId,
        before: agreementView(before),
        after: { ...agreementView(before), revoked: true },
      });
    });
  }
}
