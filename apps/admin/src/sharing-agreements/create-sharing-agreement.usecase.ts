import { Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { AgencyRepository, isUniqueViolation, SharingAgreementRepository } from '@liaison/persistence';
import type { AuditContext } from '../audit/audit-context';
import { AuditRecorder } from '../audit/audit-recorder';
import type { CreateSharingAgreementDto } from './create-sharing-agreement.dto';
import { agreementView, type AgreementView } from './agreement.view';

/** The grantor agency agrees to share its events with a partner agency. */
@Injectable()
export class CreateSharingAgreementUseCase {
  constructor(
    private readonly agencies: AgencyRepository,
    private readonly agreements: SharingAgreementRepository,
    private readonly audit: AuditRecorder,
  ) {}

  async execute(grantorAgencyId: string, dto: CreateSharingAgreementDto, context: AuditContext): Promise<AgreementView> {
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
    try {
      return await this.audit.change(context, async (tx) => {
        const view = agreementView(await this.agreements.create({ grantorAgencyId, granteeAgencyId, purpose: dto.purpose }, tx.manager));
        await tx.record({
          action: 'sharing-agreement.create',
          objectType: 'sharing-agreement',
          objectId: view.id,
          agencyId: grantorAgencyId,
          after: view,
        });
        return view;
      });
    } catch (error: unknown) {
      if (isUniqueViolation(error)) throw new ProblemError('conflict', 'an active agreement with this partner already exists');
      throw error;
    }
  }
}
