import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { decodeCursor, encodeCursor } from './cursor';

describe('pull cursors', () => {
  const key = randomBytes(32);

  it('round-trip the seq and are opaque', () => {
    const cursor = encodeCursor(key, '12345');
    assert.doesNotMatch(cursor, /12345/);
    assert.equal(decodeCursor(key, cursor), '12345');
  });

  it('refuse forged, altered and foreign cursors', () => {
    const cursor = encodeCursor(key, '7');
    assert.equal(decodeCursor(randomBytes(32), cursor), undefined);
    const forged = `${Buffer.from('v1:999').toString('base64url')}.${cursor.split('.')[1]}`;
    assert.equal(decodeCursor(key, forged), undefined);
    assert.equal(decodeCursor(key, 'garbage'), undefined);
    assert.equal(decodeCursor(key, `${cursor}.x`), undefined);
  });
});
