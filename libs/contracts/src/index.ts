import 'reflect-metadata';

export * from './envelope';
export * from './event-types';
export * from './kafka-binding';
export * from './markings';
export * from './payloads/common';
export * from './payloads/incident';
export * from './topics';
export * from './validation';
