import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withoutSecrets } from './without-secrets';

describe('withoutSecrets', () => {
  it('drops secrets, digests and buffers at any depth and keeps the rest', () => {
    const at = new Date('2026-11-25T12:00:00Z');
    const cleaned = withoutSecrets({
      id: 'k1',
      key: 'lsk_abc_def',
      secretSha256: Buffer.alloc(32),
      nested: { passwordHash: 'x', token: 't', label: 'ops', when: at },
      list: [{ salt: 's', name: 'n' }],
    });
    assert.deepEqual(cleaned, { id: 'k1', nested: { label: 'ops', when: at.toISOString() }, list: [{ name: 'n' }] });
  });

  it('keeps null as null', () => {
    assert.equal(withoutSecrets(null), null);
  });
});
