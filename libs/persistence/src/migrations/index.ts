import { Foundation1764050000000 } from './1764050000000-foundation';
import { TenancyPolicies1764100000000 } from './1764100000000-tenancy-policies';

/** Every migration, in order. Listed explicitly so compiled and source trees behave the same. */
export const MIGRATIONS = [Foundation1764050000000, TenancyPolicies1764100000000];
