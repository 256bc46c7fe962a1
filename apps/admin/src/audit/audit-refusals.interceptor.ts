import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { catchError, from, mergeMap, throwError, type Observable } from 'rxjs';
import { ProblemError } from '@liaison/http';
import type { AuthenticatedRequest } from '../auth/principal';
import { auditContextOf } from './audit-context';
import { AuditRecorder } from './audit-recorder';

/** Errors a use case has already written to the audit log itself (e.g. a failed sign-in). */
const RECORDED = new WeakSet<object>();

export function markAudited<E extends object>(error: E): E {
  RECORDED.add(error);
  return error;
}

/**
 * Records every refused or failed request (a 4xx problem raised after authentication: wrong tenant,
 * missing role, unknown object, conflict, invalid input) in one place, so a refusal is visible in
 * the audit trail even though it changed nothing. Refusals by the auth guard are recorded there.
 */
@Injectable()
export class AuditRefusalsInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditRecorder) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (!(error instanceof ProblemError) || error.status >= 500 || RECORDED.has(error)) return throwError(() => error);
        const audit = auditContextOf(request);
        const route = `${request.method} ${routePath(request)}`;
        const recorded = this.audit.record(audit, {
          action: 'request.refused',
          objectType: 'route',
          objectId: route.slice(0, 128),
          agencyId: audit.actor.agencyId,
          outcome: error.status === 409 || error.status === 400 ? 'failure' : 'denied',
          reason: `${error.status} ${error.code}: ${error.detail ?? ''} (${request.originalUrl})`,
        });
        return from(recorded).pipe(mergeMap(() => throwError(() => error)));
      }),
    );
  }
}

function routePath(request: AuthenticatedRequest): string {
  const route: unknown = request.route;
  if (typeof route === 'object' && route !== null && 'path' in route && typeof route.path === 'string') return route.path;
  return request.path;
}
