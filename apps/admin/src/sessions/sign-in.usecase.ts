import { Inject, Injectable } from '@nestjs/common';
import { issueSessionToken } from '@liaison/auth';
import { ProblemError } from '@liaison/http';
import { AgencyRepository, OperatorAccountRepository, SessionRepository } from '@liaison/persistence';
import { AdminConfig } from '../admin.config';
import type { AuditContext } from '../audit/audit-context';
import { AuditRecorder } from '../audit/audit-recorder';
import { markAudited } from '../audit/audit-refusals.interceptor';
import { operatorView } from '../operators/operator.view';
import { PasswordHasher } from '../operators/password-hasher';
import { decideSignIn } from './sign-in.decision';
import type { SessionView, SignInDto } from './sign-in.dto';

/**
 * Signs an operator account in with email and password and opens a short-lived session. Every
 * refusal looks the same to the caller (one generic 401); the audit log records the true reason.
 */
@Injectable()
export class SignInUseCase {
  constructor(
    private readonly accounts: OperatorAccountRepository,
    private readonly agencies: AgencyRepository,
    private readonly sessions: SessionRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditRecorder,
    @Inject(AdminConfig) private readonly config: AdminConfig,
  ) {}

  async execute(dto: SignInDto, context: AuditContext): Promise<SessionView> {
    const account = await this.accounts.findByEmail(dto.email);
    const stored = account === null ? null : { hash: account.passwordHash, salt: account.passwordSalt, params: account.passwordParams };
    const passwordMatches = await this.hasher.verify(dto.password, stored);
    const agency = account?.agencyId == null ? null : await this.agencies.findById(account.agencyId);
    const verdict = decideSignIn({
      account,
      passwordMatches,
      agencyActive: account?.agencyId == null || agency?.status === 'active',
      now: new Date(),
    });
    const actorContext: AuditContext =
      account === null
        ? context
        : { ...context, actor: { kind: 'operator-account', id: account.id, agencyId: account.agencyId, sessionId: null } };
    const subject = { objectType: 'operator-account', objectId: account?.id ?? null, agencyId: account?.agencyId ?? null };

    if (!verdict.ok || account === null) {
      const reason = verdict.ok ? 'unknown-email' : verdict.reason;
      const counts = !verdict.ok && verdict.countsAsFailure;
      const lockedUntil = counts && account !== null ? await this.recordFailure(account.id) : null;
      await this.audit.record(actorContext, {
        action: 'session.sign-in',
        ...subject,
        after: { email: dto.email },
        outcome: 'failure',
        reason,
      });
      if (lockedUntil !== null) {
        await this.audit.record(actorContext, {
          action: 'operator-account.lock',
          ...subject,
          after: { lockedUntil },
          reason: `${this.config.ADMIN_LOCKOUT_THRESHOLD} consecutive failed sign-ins`,
        });
      }
      throw markAudited(new ProblemError('unauthenticated', 'the email or password is wrong, or the account cannot sign in now'));
    }

    const signedIn = account;
    const token = issueSessionToken();
    const expiresAt = new Date(Date.now() + this.config.ADMIN_SESSION_TTL_MS);
    return this.audit.change(actorContext, async (tx) => {
      await this.accounts.recordSuccess(signedIn.id, tx.manager);
      const session = await this.sessions.create({ tokenSha256: token.sha256, accountId: signedIn.id, expiresAt }, tx.manager);
      await tx.record({ action: 'session.sign-in', ...subject, after: { sessionId: session.id, expiresAt } });
      return {
        token: token.plaintext,
        expiresAt: expiresAt.toISOString(),
        account: operatorView({ ...signedIn, failedAttempts: 0, lockedUntil: null }),
      };
    });
  }

  private recordFailure(accountId: string): Promise<Date | null> {
    return this.accounts.recordFailure(accountId, this.config.ADMIN_LOCKOUT_THRESHOLD, this.config.ADMIN_LOCKOUT_MS);
  }
}
