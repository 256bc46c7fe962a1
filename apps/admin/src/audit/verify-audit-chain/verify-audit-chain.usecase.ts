import { Injectable, Logger } from '@nestjs/common';
import { AuditLogRepository } from '@liaison/persistence';
import { assertOperator, type Principal } from '../../auth/principal';
import type { AuditContext } from '../audit-context';
import { AuditRecorder } from '../audit-recorder';
import type { AuditChainVerificationView } from './audit-chain-verification.view';

/**
 * Walks the audit chain and names the first row that does not hold (platform operators only). The
 * check is itself audited, with its finding, after the walk.
 */
@Injectable()
export class VerifyAuditChainUseCase {
  private readonly logger = new Logger(VerifyAuditChainUseCase.name);

  constructor(
    private readonly log: AuditLogRepository,
    private readonly audit: AuditRecorder,
  ) {}

  async execute(principal: Principal, context: AuditContext): Promise<AuditChainVerificationView> {
    assertOperator(principal);
    const started = Date.now();
    const result = await this.log.verifyChain();
    const view: AuditChainVerificationView = { ...result, checkedAt: new Date(started).toISOString(), durationMs: Date.now() - started };
    if (!result.intact) this.logger.error(`audit chain broken at row ${result.firstBrokenId} (${result.problem})`);
    await this.audit.record(context, { action: 'audit.verify', objectType: 'audit-chain', after: view });
    return view;
  }
}
