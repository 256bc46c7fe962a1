import { SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { RateLimitPolicy } from './policies';

export const RATE_LIMIT_ROUTE = 'liaison:rate-limit';

export interface RouteRateLimit {
  policy: RateLimitPolicy;
  /** A further key the policy's source limit also applies to (e.g. the email a sign-in names), read before the handler runs. */
  alsoPer?: (request: Request) => string | undefined;
}

/** The rate-limit policy of a route or controller; routes without one are limited as `default`. */
export const RateLimit = (policy: RateLimitPolicy, alsoPer?: RouteRateLimit['alsoPer']): MethodDecorator & ClassDecorator =>
  SetMetadata(RATE_LIMIT_ROUTE, { policy, alsoPer } satisfies RouteRateLimit);
