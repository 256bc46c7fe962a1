export * from './common-config';
export * from './load-config';
export * from './redact';
export * from './sensitive';
