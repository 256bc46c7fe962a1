import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AUTH_ERROR_CODES, AuthError } from '@liaison/auth';
import { authProblem, problemCodeForAuth } from './auth-problems';

describe('auth errors as problems', () => {
  it('answers 401 for a missing or unknown credential and 403 for a valid one that may not act', () => {
    assert.deepEqual(Object.fromEntries(AUTH_ERROR_CODES.map((code) => [code, authProblem(new AuthError(code, 'why')).status])), {
      'missing-credential': 401,
      'unknown-credential': 401,
      'agency-suspended': 403,
      'scope-missing': 403,
    });
  });

  it('never tells the caller the server-side reason of a 401 (it may name a key prefix)', () => {
    const problem = authProblem(new AuthError('unknown-credential', 'unknown or revoked API key (prefix abcdefgh2345)'));
    assert.equal(problem.code, problemCodeForAuth('unknown-credential'));
    assert.doesNotMatch(problem.detail ?? '', /abcdefgh2345/);
  });
});
