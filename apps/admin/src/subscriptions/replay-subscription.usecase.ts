import { Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { InboxRepository, SubscriptionRepository, WebhookDeliveryRepository } from '@liaison/persistence';
import { passesFilters } from '@liaison/webhooks';
import type { AuditContext } from '../audit/audit-context';
import { AuditRecorder } from '../audit/audit-recorder';

const CHUNK = 1_000;
/** A replay covers at most this span, so one request cannot queue a whole retention period by mistake. */
export const MAX_REPLAY_SPAN_MS = 31 * 24 * 3_600_000;

/**
 * Sends again every copy the agency received in [from, to) that passes the webhook's filters,
 * delivered or not, with a fresh retry budget. Copies keep their webhook-id, so a partner that
 * already has one can recognise it. The requeue and its audit row commit together.
 */
@Injectable()
export class ReplaySubscriptionUseCase {
  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly inbox: InboxRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly audit: AuditRecorder,
  ) {}

  async execute(agencyId: string, id: string, from: Date, to: Date, context: AuditContext): Promise<{ queued: number }> {
    if (to.getTime() <= from.getTime())
      throw new ProblemError('validation-failed', 'see errors', [{ pointer: '/to', detail: 'to must be after from' }]);
    if (to.getTime() - from.getTime() > MAX_REPLAY_SPAN_MS) {
      throw new ProblemError('validation-failed', 'see errors', [{ pointer: '/to', detail: 'a replay covers at most 31 days' }]);
    }
    const subscription = await this.subscriptions.findForAgency(agencyId, id);
    if (subscription === null) throw new ProblemError('not-found');
    if (subscription.channel !== 'webhook')
      throw new ProblemError('conflict', 'only webhook subscriptions are replayed; pull and SSE re-read with a cursor');
    return this.audit.change(context, async (tx) => {
      let queued = 0;
      let after = '0';
      for (;;) {
        const rows = await this.inbox.receivedBetween(agencyId, from, to, after, CHUNK);
        const wanted = rows.filter((r) => passesFilters(r.event, subscription.filters));
        queued += await this.deliveries.requeue(
          id,
          wanted.map((r) => r.seq),
          wanted.map((r) => r.subject),
          tx.manager,
        );
        const last = rows[rows.length - 1];
        if (last === undefined || rows.length < CHUNK) break;
        after = last.seq;
      }
      await tx.record({
        action: 'subscription.replay',
        objectType: 'subscription',
        objectId: id,
        agencyId,
        after: { from: from.toISOString(), to: to.toISOString(), queued },
      });
      return { queued };
    });
  }
}
