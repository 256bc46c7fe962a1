import { Injectable, type CallHandler, type CanActivate, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { from, mergeMap, type Observable } from 'rxjs';
import { credentialOf, ProblemError } from '@liaison/http';
import { credentialLimit, sourceKey, sourceLimit } from './policies';
import { RATE_LIMIT_ROUTE, type RouteRateLimit } from './rate-limit.decorator';
import { RateLimiter, type RateVerdict } from './rate-limiter';

const DEFAULT_ROUTE: RouteRateLimit = { policy: 'default' };

function routeLimit(reflector: Reflector, context: ExecutionContext): RouteRateLimit {
  return (
    reflector.getAllAndOverride<RouteRateLimit | undefined>(RATE_LIMIT_ROUTE, [context.getHandler(), context.getClass()]) ?? DEFAULT_ROUTE
  );
}

/** 429 with Retry-After when any verdict refuses; the longest wait wins. */
function enforce(verdicts: readonly RateVerdict[], what: string): void {
  let waitMs = -1;
  for (const verdict of verdicts) if (!verdict.allowed) waitMs = Math.max(waitMs, verdict.retryAfterMs);
  if (waitMs < 0) return;
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  throw new ProblemError('rate-limited', `too many requests ${what}; retry after ${seconds} s`, undefined, seconds);
}

/**
 * Limits every route per source address before anything else runs (authentication, body
 * validation, the handler): a refused request costs neither a credential lookup nor a password hash.
 * Register it before the service's authentication guard.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const { policy, alsoPer } = routeLimit(this.reflector, context);
    const request = context.switchToHttp().getRequest<Request>();
    const limits = this.limiter.limits;
    const limit = sourceLimit(limits, policy);
    const scope = policy === 'sign-in' ? 'sign-in' : 'any';
    const checks = [this.limiter.hit(`${limits.service}:${scope}:src:${sourceKey(request.ip ?? request.socket.remoteAddress)}`, limit)];
    const extra = alsoPer?.(request);
    if (extra !== undefined) checks.push(this.limiter.hit(`${limits.service}:${scope}:${extra}`, limit));
    enforce(await Promise.all(checks), 'from this source');
    return true;
  }
}

/**
 * Limits per credential once authentication has named it (`identifyCredential`), at the route's
 * policy rate: publish, pull and stream per agency key; everything else per key, session or token.
 */
@Injectable()
export class RateLimitInterceptor implements NestInterceptor {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const credential = credentialOf(context.switchToHttp().getRequest<Request>());
    if (credential === undefined) return next.handle();
    const { policy } = routeLimit(this.reflector, context);
    const limits = this.limiter.limits;
    return from(this.limiter.hit(`${limits.service}:${policy}:cred:${credential}`, credentialLimit(limits, policy))).pipe(
      mergeMap((verdict) => {
        enforce([verdict], 'with this credential');
        return next.handle();
      }),
    );
  }
}
