import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConsumedRecord } from './consumed-record';
import { DEAD_LETTER_HEADERS, toDeadLetter } from './dead-letter';

const NOW = new Date('2026-11-25T08:14:07.123Z');

function consumed(overrides: Partial<ConsumedRecord> = {}): ConsumedRecord {
  return {
    topic: 'liaison.ingest.v1',
    partition: 2,
    offset: '1234',
    key: 'MCPD-2026-118734',
    value: Buffer.from('{"priority":"high"}'),
    headers: { 'content-type': 'application/json', ce_id: 'evt-1', ce_tlp: 'AMBER' },
    timestamp: '1764058447000',
    ...overrides,
  };
}

describe('toDeadLetter', () => {
  it('addresses the dead-letter topic and keeps key and value', () => {
    const original = consumed();
    const dead = toDeadLetter('liaison.deadletter.v1', original, 'invalid event', 'router', NOW);
    assert.equal(dead.topic, 'liaison.deadletter.v1');
    assert.equal(dead.key, 'MCPD-2026-118734');
    assert.deepEqual(dead.value, original.value);
  });

  it('writes reason, origin topic, partition, offset, consumer and time as headers', () => {
    const dead = toDeadLetter('liaison.deadletter.v1', consumed(), 'invalid event: /data/priority', 'router', NOW);
    assert.equal(dead.headers[DEAD_LETTER_HEADERS.reason], 'invalid event: /data/priority');
    assert.equal(dead.headers[DEAD_LETTER_HEADERS.topic], 'liaison.ingest.v1');
    assert.equal(dead.headers[DEAD_LETTER_HEADERS.partition], '2');
    assert.equal(dead.headers[DEAD_LETTER_HEADERS.offset], '1234');
    assert.equal(dead.headers[DEAD_LETTER_HEADERS.consumer], 'router');
    assert.equal(dead.headers[DEAD_LETTER_HEADERS.at], '2026-11-25T08:14:07.123Z');
  });

  it('uses the documented header names', () => {
    assert.deepEqual(DEAD_LETTER_HEADERS, {
      reason: 'liaison-dlq-reason',
      topic: 'liaison-dlq-topic',
      partition: 'liaison-dlq-partition',
      offset: 'liaison-dlq-offset',
      consumer: 'liaison-dlq-consumer',
      at: 'liaison-dlq-at',
    });
  });

  it('keeps every original header beside the dead-letter headers', () => {
    const dead = toDeadLetter('dlq', consumed(), 'why', 'router', NOW);
    assert.deepEqual(dead.headers, {
      'content-type': 'application/json',
      ce_id: 'evt-1',
      ce_tlp: 'AMBER',
      'liaison-dlq-reason': 'why',
      'liaison-dlq-topic': 'liaison.ingest.v1',
      'liaison-dlq-partition': '2',
      'liaison-dlq-offset': '1234',
      'liaison-dlq-consumer': 'router',
      'liaison-dlq-at': '2026-11-25T08:14:07.123Z',
    });
  });

  it('does not modify the consumed record', () => {
    const original = consumed();
    const headersBefore = { ...original.headers };
    toDeadLetter('dlq', original, 'why', 'router', NOW);
    assert.deepEqual(original.headers, headersBefore);
  });

  it('truncates the reason to 2000 characters', () => {
    const reason = 'x'.repeat(1_999) + 'ABCDEFG';
    const dead = toDeadLetter('dlq', consumed(), reason, 'router', NOW);
    const written = dead.headers[DEAD_LETTER_HEADERS.reason] ?? '';
    assert.equal(written.length, 2_000);
    assert.equal(written, reason.slice(0, 2_000));
    assert.ok(written.endsWith('A'));
  });

  it('keeps a reason of exactly 2000 characters, and a short one, whole', () => {
    const exact = 'y'.repeat(2_000);
    assert.equal(toDeadLetter('dlq', consumed(), exact, 'c', NOW).headers[DEAD_LETTER_HEADERS.reason], exact);
    assert.equal(toDeadLetter('dlq', consumed(), '', 'c', NOW).headers[DEAD_LETTER_HEADERS.reason], '');
  });

  it('writes the dead-letter headers over original headers of the same name', () => {
    // A record dead-lettered twice (e.g. replayed from the dead-letter topic) says why it failed last.
    const original = consumed({ headers: { [DEAD_LETTER_HEADERS.reason]: 'old reason', [DEAD_LETTER_HEADERS.consumer]: 'old' } });
    const dead = toDeadLetter('dlq', original, 'new reason', 'replayer', NOW);
    assert.equal(dead.headers[DEAD_LETTER_HEADERS.reason], 'new reason');
    assert.equal(dead.headers[DEAD_LETTER_HEADERS.consumer], 'replayer');
  });

  it('keys a record that had no key by its origin, topic/partition/offset', () => {
    const dead = toDeadLetter('dlq', consumed({ key: null }), 'why', 'router', NOW);
    assert.equal(dead.key, 'liaison.ingest.v1/2/1234');
  });

  it('keeps an empty-string key as it is', () => {
    assert.equal(toDeadLetter('dlq', consumed({ key: '' }), 'why', 'router', NOW).key, '');
  });

  it('writes an empty value for a record that had none', () => {
    const dead = toDeadLetter('dlq', consumed({ value: null }), 'record has no value', 'router', NOW);
    assert.ok(Buffer.isBuffer(dead.value));
    assert.equal(dead.value.length, 0);
  });

  it('writes every header value as a string', () => {
    const dead = toDeadLetter('dlq', consumed({ partition: 0, offset: '0' }), 'why', 'router', NOW);
    for (const [name, value] of Object.entries(dead.headers)) assert.equal(typeof value, 'string', name);
    assert.equal(dead.headers[DEAD_LETTER_HEADERS.partition], '0');
  });
});
