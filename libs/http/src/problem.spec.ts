import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PROBLEM_STATUS, ProblemError, problemDocument, type ProblemCode } from './problem';

const CODES = Object.keys(PROBLEM_STATUS) as ProblemCode[];

describe('problemDocument', () => {
  it('always has type, title and status, and nothing else when given nothing else', () => {
    assert.deepEqual(problemDocument('not-found'), {
      type: 'urn:liaison:problem:not-found',
      title: 'No such resource',
      status: 404,
    });
  });

  for (const code of CODES) {
    it(`gives ${code} a urn type, a non-empty title and the status ${PROBLEM_STATUS[code]}`, () => {
      const doc = problemDocument(code);
      assert.equal(doc.type, `urn:liaison:problem:${code}`);
      assert.equal(typeof doc.title, 'string');
      assert.ok(doc.title.length > 0);
      assert.equal(doc.status, PROBLEM_STATUS[code]);
      assert.deepEqual(Object.keys(doc).sort(), ['status', 'title', 'type']);
    });
  }

  it('maps codes to the HTTP statuses clients rely on', () => {
    assert.deepEqual(PROBLEM_STATUS, {
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
    });
  });

  it('gives every code its own title', () => {
    const titles = CODES.map((c) => problemDocument(c).title);
    assert.equal(new Set(titles).size, titles.length);
  });

  it('includes errors only when there is at least one', () => {
    assert.equal('errors' in problemDocument('validation-failed', { errors: [] }), false);
    assert.equal('errors' in problemDocument('validation-failed', { errors: undefined }), false);
    const errors = [{ pointer: '/data/priority', detail: 'priority must be an integer' }];
    assert.deepEqual(problemDocument('validation-failed', { errors }).errors, errors);
  });

  it('copies the errors list instead of sharing it', () => {
    const errors = [{ pointer: '/tlp', detail: 'bad' }];
    const doc = problemDocument('validation-failed', { errors });
    assert.notEqual(doc.errors, errors);
    errors.push({ pointer: '/id', detail: 'also bad' });
    assert.equal(doc.errors?.length, 1);
  });

  it('includes detail, instance and errorId only when given', () => {
    const doc = problemDocument('internal', { detail: 'boom', instance: '/v1/events', errorId: 'err-1' });
    assert.deepEqual(doc, {
      type: 'urn:liaison:problem:internal',
      title: 'Internal error',
      status: 500,
      detail: 'boom',
      instance: '/v1/events',
      errorId: 'err-1',
    });
    const bare = problemDocument('internal', { detail: undefined, instance: undefined, errorId: undefined });
    assert.deepEqual(Object.keys(bare).sort(), ['status', 'title', 'type']);
  });

  it('keeps an empty detail string (only undefined is left out)', () => {
    assert.equal(problemDocument('conflict', { detail: '' }).detail, '');
  });

  it('serialises to JSON without undefined members', () => {
    const json = JSON.parse(JSON.stringify(problemDocument('forbidden', { errors: [] }))) as Record<string, unknown>;
    assert.deepEqual(json, { type: 'urn:liaison:problem:forbidden', title: 'The credentials do not allow this action', status: 403 });
  });
});

describe('ProblemError', () => {
  it('carries the status of its code', () => {
    for (const code of CODES) assert.equal(new ProblemError(code).status, PROBLEM_STATUS[code]);
  });

  it('uses the detail as its message, or the title when there is none', () => {
    assert.equal(new ProblemError('conflict', 'agreement exists').message, 'agreement exists');
    assert.equal(new ProblemError('conflict').message, 'The request conflicts with the current state');
  });

  it('renders as a problem document with detail, instance and errors', () => {
    const errors = [{ pointer: '/data/location/point/lat', detail: 'lat must be a latitude' }];
    const doc = new ProblemError('validation-failed', 'the event is not valid', errors).toDocument('/v1/events');
    assert.deepEqual(doc, {
      type: 'urn:liaison:problem:validation-failed',
      title: 'The request is not valid',
      status: 400,
      detail: 'the event is not valid',
      instance: '/v1/events',
      errors,
    });
  });

  it('renders without optional members when it has none', () => {
    assert.deepEqual(new ProblemError('unauthenticated', undefined, []).toDocument(), {
      type: 'urn:liaison:problem:unauthenticated',
      title: 'Missing, invalid, expired or revoked credentials',
      status: 401,
    });
  });

  it('is an Error', () => {
    assert.ok(new ProblemError('internal') instanceof Error);
  });
});
