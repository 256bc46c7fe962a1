export * from './api-keys';
export * from './agency-key-authenticator';
