import type { FieldProblem } from '@liaison/contracts';

/** Every HTTP error Liaison returns, with its status. One code per distinct thing a client can fix. */
export const PROBLEM_STATUS = {
  'validation-failed': 400,
  'malformed-json': 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  unprocessable: 422,
  'rate-limited': 429,
  unavailable: 503,
  internal: 500,
} as const;

export type ProblemCode = keyof typeof PROBLEM_STATUS;

const TITLES: Record<ProblemCode, string> = {
  'validation-failed': 'The request is not valid',
  'malformed-json': 'The request body is not valid JSON',
  unauthenticated: 'Missing, invalid, expired or revoked credentials',
  forbidden: 'The credentials do not allow this action',
  'not-found': 'No such resource',
  conflict: 'The request conflicts with the current state',
  'payload-too-large': 'The request body is too large',
  'unsupported-media-type': 'Unsupported media type',
  unprocessable: 'The request is well-formed but cannot be accepted',
  'rate-limited': 'Too many requests, retry later',
  unavailable: 'Temporarily unavailable, retry later',
  internal: 'Internal error',
};

/** An RFC 9457 problem details document. `errors` lists field problems as JSON pointers. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldProblem[];
  errorId?: string;
}

/** Raised anywhere in an HTTP app; the problem filter renders it as RFC 9457 JSON. */
export class ProblemError extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail?: string,
    readonly errors?: readonly FieldProblem[],
    /** Sent as `Retry-After` (seconds), for 429 and 503. */
    readonly retryAfterSeconds?: number,
  ) {
    super(detail ?? TITLES[code]);
  }

  get status(): number {
    return PROBLEM_STATUS[this.code];
  }

  toDocument(instance?: string): ProblemDocument {
    return problemDocument(this.code, { detail: this.detail, instance, errors: this.errors });
  }
}

export function problemDocument(
  code: ProblemCode,
  extra: {
    detail?: string | undefined;
    instance?: string | undefined;
    errors?: readonly FieldProblem[] | undefined;
    errorId?: string | undefined;
  } = {},
): ProblemDocument {
  const doc: ProblemDocument = { type: `urn:liaison:problem:${code}`, title: TITLES[code], status: PROBLEM_STATUS[code] };
  if (extra.detail !== undefined) doc.detail = extra.detail;
  if (extra.instance !== undefined) doc.instance = extra.instance;
  if (extra.errors !== undefined && extra.errors.length > 0) doc.errors = [...extra.errors];
  if (extra.errorId !== undefined) doc.errorId = extra.errorId;
  return doc;
}
