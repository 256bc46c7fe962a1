export * from './retry-schedule';
export * from './secret-box';
export * from './signature';
export * from './ssrf';
export * from './subscription-filter';
export * from './config-validators';
