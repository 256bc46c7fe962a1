import { Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { OperatorAccountRepository, SessionRepository, type OperatorAccountEntity } from '@liaison/persistence';
import type { AuditContext } from '../audit/audit-context';
import { AuditRecorder } from '../audit/audit-recorder';
import type { Principal } from '../auth/principal';
import { operatorView, type OperatorView } from './operator.view';

/** True when the principal may see (and so manage) the account: its own agency's administrators only. */
export function canSeeAccount(principal: Principal, account: OperatorAccountEntity): boolean {
  return principal.kind === 'operator' || account.agencyId === principal.agencyId;
}

/** Disables an account and ends its open sessions, at once. Disabling twice is harmless. */
@Injectable()
export class DisableOperatorUseCase {
  constructor(
    private readonly accounts: OperatorAccountRepository,
    private readonly sessions: SessionRepository,
    private readonly audit: AuditRecorder,
  ) {}

  async execute(principal: Principal, accountId: string, context: AuditContext): Promise<OperatorView> {
    return this.audit.change(context, async (tx) => {
      const before = await this.accounts.findById(accountId, tx.manager);
      if (before === null || !canSeeAccount(principal, before)) throw new ProblemError('not-found');
      const after = await this.accounts.disable(accountId, tx.manager);
      if (after === null) throw new ProblemError('not-found');
      const revokedSessions = await this.sessions.revokeAllForAccount(accountId, tx.manager);
      const view = operatorView(after);
      await tx.record({
        action: 'operator-account.disable',
        objectType: 'operator-account',
        objectId: accountId,
        agencyId: after.agencyId,
        before: operatorView(before),
        after: { ...view, revokedSessions },
      });
      return view;
    });
  }
}
