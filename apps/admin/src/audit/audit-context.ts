import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor, AuthenticatedRequest } from '../auth/principal';

/** Who did it, from where, in which request: the part of every audit row the request provides. */
export interface AuditContext {
  actor: Actor;
  sourceIp: string | null;
  requestId: string | null;
}

export const ANONYMOUS: Actor = { kind: 'anonymous', id: null, agencyId: null, sessionId: null };

export function auditContextOf(request: AuthenticatedRequest): AuditContext {
  return {
    actor: request.principal?.actor ?? ANONYMOUS,
    sourceIp: request.ip ?? request.socket.remoteAddress ?? null,
    requestId: request.requestId ?? null,
  };
}

/** The audit context of the current request, for use cases that record what they change. */
export const CurrentAuditContext = createParamDecorator((_: unknown, context: ExecutionContext): AuditContext =>
  auditContextOf(context.switchToHttp().getRequest<AuthenticatedRequest>()),
);
