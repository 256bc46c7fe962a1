export * from './expect-eventually';
export * from './http';
export * from './kafka';
export * from './stack';
export * from './test-env';
export * from './federation';
export * from './admin';
export * from './receivers';
