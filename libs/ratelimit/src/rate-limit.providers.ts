import type { Provider } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import type { CommonConfig } from '@liaison/config';
import { rateLimitsFrom } from './policies';
import { RateLimitGuard, RateLimitInterceptor } from './rate-limit.guard';
import { RATE_LIMITS, RateLimiter } from './rate-limiter';

/**
 * The rate-limit guard (per source) and interceptor (per credential) as global enhancers of a
 * service, with its limits from config. Spread these first into the service's root providers:
 * Nest runs global guards in the order they are provided, and the source limit must come before
 * authentication.
 */
export function rateLimitProviders(service: string, config: CommonConfig): Provider[] {
  return [
    { provide: RATE_LIMITS, useValue: rateLimitsFrom(service, config) },
    RateLimiter,
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_INTERCEPTOR, useClass: RateLimitInterceptor },
  ];
}
