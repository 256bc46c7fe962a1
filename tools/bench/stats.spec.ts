import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatSpread, quantileSorted, spreadOf, summarizeLatencies } from './stats';

describe('bench statistics', () => {
  it('takes nearest-rank quantiles', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(quantileSorted(sorted, 0.5), 50);
    assert.equal(quantileSorted(sorted, 0.95), 95);
    assert.equal(quantileSorted(sorted, 0.99), 99);
    assert.equal(quantileSorted(sorted, 1), 100);
    assert.equal(quantileSorted([7], 0.99), 7);
    assert.ok(Number.isNaN(quantileSorted([], 0.5)));
  });

  it('summarises unsorted latencies without changing them', () => {
    const samples = [5, 1, 4, 2, 3];
    const summary = summarizeLatencies(samples);
    assert.deepEqual(summary, { count: 5, p50: 3, p95: 5, p99: 5, max: 5 });
    assert.deepEqual(samples, [5, 1, 4, 2, 3]);
  });

  it('reports the median and the range of repetitions', () => {
    const s = spreadOf([30, 10, 20]);
    assert.equal(s.median, 20);
    assert.equal(s.min, 10);
    assert.equal(s.max, 30);
    assert.equal(formatSpread({ ...s, median: 12345.6, min: 11900, max: 12800 }), '12,346 (11,900–12,800)');
  });
});
