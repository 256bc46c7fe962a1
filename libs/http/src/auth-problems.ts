import { AuthError, type AuthErrorCode } from '@liaison/auth';
import { ProblemError, type ProblemCode } from './problem';

/** What HTTP answers for each refused credential: never more than "who are you" (401) or "not allowed" (403). */
export function problemCodeForAuth(code: AuthErrorCode): ProblemCode {
  switch (code) {
    case 'missing-credential':
    case 'unknown-credential':
      return 'unauthenticated';
    case 'agency-suspended':
    case 'scope-missing':
      return 'forbidden';
  }
}

/** The problem a client sees for an `AuthError`; the detail never says more than the code does. */
export function authProblem(error: AuthError): ProblemError {
  switch (error.code) {
    case 'missing-credential':
      return new ProblemError(problemCodeForAuth(error.code), 'send a valid credential as `Authorization: Bearer …`');
    case 'unknown-credential':
      return new ProblemError(problemCodeForAuth(error.code), 'the credential is unknown, expired or revoked');
    case 'agency-suspended':
    case 'scope-missing':
      return new ProblemError(problemCodeForAuth(error.code), error.message);
  }
}
