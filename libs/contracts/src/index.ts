import 'reflect-metadata';

export * from './config-records';
export * from './envelope';
export * from './event-types';
export * from './json-limits';
export * from './kafka-binding';
export * from './markings';
export * from './payloads/alert';
export * from './payloads/common';
export * from './payloads/entities';
export * from './payloads/incident';
export * from './payloads/intel';
export * from './payloads/sensor';
export * from './topics';
export * from './validation';
