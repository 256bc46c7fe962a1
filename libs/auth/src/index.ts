export * from './api-keys';
export * from './passwords';
export * from './sessions';
