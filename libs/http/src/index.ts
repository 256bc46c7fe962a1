export * from './body-parsing';
export * from './problem';
export * from './problem.filter';
export * from './validation.pipe';
export * from './bootstrap';
export * from './health.controller';
export * from './omittable';
