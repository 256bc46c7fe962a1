import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configKey, decodeConfigRecord } from './config-records';

const ID = '00000000-0000-4000-8000-0000000000a1';
const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('configuration topic records', () => {
  it('decodes a state, and a missing value as a tombstone', () => {
    const group = { id: ID, name: 'TF', memberAgencyIds: [], updatedAt: 'x' };
    assert.deepEqual(decodeConfigRecord(configKey('group', ID), json(group)), {
      ok: true,
      record: { kind: 'group', id: ID, state: group },
    });
    assert.deepEqual(decodeConfigRecord(`policy:${ID}`, null), { ok: true, record: { kind: 'policy', id: ID, state: null } });
  });

  it('refuses unreadable keys, non-JSON, malformed states and a value for another id, naming the key when it can', () => {
    assert.equal(decodeConfigRecord('what', json({})).ok, false);
    assert.equal(decodeConfigRecord(`widget:${ID}`, json({})).ok, false);
    assert.deepEqual(decodeConfigRecord(`policy:${ID}`, Buffer.from('{')), {
      ok: false,
      kind: 'policy',
      id: ID,
      reason: 'value is not JSON',
    });
    const bad = decodeConfigRecord(`agency:${ID}`, json({ id: ID, ori: 'X', name: 'n', kind: 'local', status: 'gone' }));
    assert.ok(!bad.ok && bad.kind === 'agency' && /status/.test(bad.reason), JSON.stringify(bad));
    const other = decodeConfigRecord(`group:${ID}`, json({ id: '00000000-0000-4000-8000-0000000000a2', name: 'x', memberAgencyIds: [] }));
    assert.ok(!other.ok && /differs/.test(other.reason));
  });
});
