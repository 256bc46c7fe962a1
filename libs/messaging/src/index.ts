export * from './batch-consumer';
export * from './coalescing-publisher';
export * from './consumed-record';
export * from './dead-letter';
export * from './durable-producer';
export * from './kafka-client';
export * from './topic-admin';
export * from './kafka.module';
