export * from './policies';
export * from './rate-limiter';
export * from './rate-limit.decorator';
export * from './rate-limit.guard';
export * from './rate-limit.providers';
