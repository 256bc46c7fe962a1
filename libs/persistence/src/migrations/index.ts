import { Foundation1764050000000 } from './1764050000000-foundation';

/** Every migration, in order. Listed explicitly so compiled and source trees behave the same. */
export const MIGRATIONS = [Foundation1764050000000];
