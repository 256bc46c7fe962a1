import { Injectable } from '@nestjs/common';
import { ProblemError } from '@liaison/http';
import { SessionRepository } from '@liaison/persistence';
import type { AuditContext } from '../audit/audit-context';
import { AuditRecorder } from '../audit/audit-recorder';

/** Ends the session the request came with. */
@Injectable()
export class SignOutUseCase {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly audit: AuditRecorder,
  ) {}

  async execute(context: AuditContext): Promise<void> {
    const sessionId = context.actor.sessionId;
    if (sessionId === null) throw new ProblemError('not-found', 'this credential is not a session');
    await this.audit.change(context, async (tx) => {
      if (!(await this.sessions.revoke(sessionId, tx.manager))) throw new ProblemError('not-found');
      await tx.record({
        action: 'session.sign-out',
        objectType: 'session',
        objectId: sessionId,
        agencyId: context.actor.agencyId,
        after: { revoked: true },
      });
    });
  }
}
