import { Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { SubscriptionRepository } from '@liaison/persistence';
import type { AuditContext } from '../audit/audit-context';
import { AuditRecorder } from '../audit/audit-recorder';
import type { Principal } from '../auth/principal';
import { subscriptionView, type SubscriptionView } from './subscription.view';

/**
 * Pauses or resumes a subscription of the agency; a webhook resumes with its pending deliveries,
 * in order. The change and its audit row (before and after) commit together.
 */
@Injectable()
export class ChangeSubscriptionStatusUseCase {
  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly audit: AuditRecorder,
  ) {}

  execute(
    principal: Principal,
    agencyId: string,
    id: string,
    status: 'active' | 'disabled',
    context: AuditContext,
  ): Promise<SubscriptionView> {
    const who = principal.kind === 'operator' ? 'an operator' : 'the agency administrator';
    return this.audit.change(context, async (tx) => {
      const before = await this.subscriptions.lockForAgency(tx.manager, agencyId, id);
      if (before === null) throw new ProblemError('not-found');
      const updated = await this.subscriptions.setStatus(
        agencyId,
        id,
        status,
        status === 'disabled' ? `disabled by ${who}` : null,
        tx.manager,
      );
      if (updated === null) throw new ProblemError('not-found');
      const after = subscriptionView(updated);
      await tx.record({
        action: status === 'disabled' ? 'subscription.disable' : 'subscription.enable',
        objectType: 'subscription',
        objectId: id,
        agencyId,
        before: subscriptionView(before),
        after,
      });
      return after;
    });
  }
}
