export * from './api-keys';
export * from './passwords';
export * from './sessions';
export * from './agency-key-authenticator';
export * from './auth-error';
