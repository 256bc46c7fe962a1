import type { AgencyCaller } from '@liaison/auth';

/** The agency a request acts for, established from its API key. */
export type Publisher = AgencyCaller;
