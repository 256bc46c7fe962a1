import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CoalescingPublisher } from './coalescing-publisher';
import type { DurableProducer, OutgoingRecord } from './durable-producer';

function record(name: string): OutgoingRecord {
  return { topic: 'liaison.ingest.v1', key: name, value: Buffer.from(name), headers: {} };
}

function records(...names: string[]): OutgoingRecord[] {
  return names.map(record);
}

/** A promise with its settle functions exposed. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Test double with the shape of DurableProducer.send. It records the batches it receives (as
 * lists of record keys) and lets each test decide how every send settles.
 */
class RecordingProducer {
  readonly batches: string[][] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(private readonly settle: (keys: string[], callIndex: number) => Promise<void> = () => Promise.resolve()) {}

  send(batch: readonly OutgoingRecord[]): Promise<void> {
    const keys = batch.map((r) => r.key);
    const index = this.batches.length;
    this.batches.push(keys);
    for (const w of this.waiters.filter((w) => this.batches.length >= w.count)) w.resolve();
    this.waiters = this.waiters.filter((w) => this.batches.length < w.count);
    return this.settle(keys, index);
  }

  /** Resolves once `count` batches have been received (no timers involved). */
  received(count: number): Promise<void> {
    if (this.batches.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  asProducer(): DurableProducer {
    return this as unknown as DurableProducer;
  }
}

/** Records how each publish promise settled, keyed by a label. */
async function outcomes(entries: Record<string, Promise<void>>): Promise<Record<string, string>> {
  const settled = await Promise.allSettled(Object.values(entries));
  const labels = Object.keys(entries);
  return Object.fromEntries(
    settled.map((s, i) => [labels[i] ?? '?', s.status === 'fulfilled' ? 'ok' : `rejected: ${(s.reason as Error).message}`]),
  );
}

describe('CoalescingPublisher', () => {
  it('sends the records of publishes made in the same tick as one batch, in call order', async () => {
    const producer = new RecordingProducer();
    const publisher = new CoalescingPublisher(producer.asProducer());
    await Promise.all([publisher.publish(records('a1', 'a2')), publisher.publish(records('b1')), publisher.publish(records('c1', 'c2'))]);
    assert.deepEqual(producer.batches, [['a1', 'a2', 'b1', 'c1', 'c2']]);
  });

  it('sends nothing before the tick in which publishes were made has ended', () => {
    const producer = new RecordingProducer();
    const publisher = new CoalescingPublisher(producer.asProducer());
    void publisher.publish(records('a'));
    assert.deepEqual(producer.batches, []);
    return publisher.flush();
  });

  it('fills the next batch while one is in flight, and sends it once the first is done', async () => {
    const first = deferred();
    const producer = new RecordingProducer((_, i) => (i === 0 ? first.promise : Promise.resolve()));
    const publisher = new CoalescingPublisher(producer.asProducer());

    const a = publisher.publish(records('a'));
    await producer.received(1);
    const b = publisher.publish(records('b'));
    const c = publisher.publish(records('c'));
    // Nothing more goes out while the first batch is in flight.
    assert.deepEqual(producer.batches, [['a']]);

    first.resolve();
    await Promise.all([a, b, c]);
    assert.deepEqual(producer.batches, [['a'], ['b', 'c']]);
  });

  it('settles a caller only when the batch holding its records is durable', async () => {
    const first = deferred();
    const producer = new RecordingProducer(() => first.promise);
    const publisher = new CoalescingPublisher(producer.asProducer());
    let settled = false;
    const publishing = publisher.publish(records('a')).then(() => {
      settled = true;
    });
    await producer.received(1);
    await Promise.resolve();
    assert.equal(settled, false);
    first.resolve();
    await publishing;
    assert.equal(settled, true);
  });

  it('splits between callers so that no batch exceeds maxBatchRecords', async () => {
    const producer = new RecordingProducer();
    const publisher = new CoalescingPublisher(producer.asProducer(), 3);
    await Promise.all([
      publisher.publish(records('a1', 'a2')),
      publisher.publish(records('b1', 'b2')),
      publisher.publish(records('c1')),
      publisher.publish(records('d1', 'd2', 'd3')),
    ]);
    assert.deepEqual(producer.batches, [
      ['a1', 'a2'],
      ['b1', 'b2', 'c1'],
      ['d1', 'd2', 'd3'],
    ]);
    for (const batch of producer.batches) assert.ok(batch.length <= 3);
  });

  it('fills a batch exactly up to maxBatchRecords', async () => {
    const producer = new RecordingProducer();
    const publisher = new CoalescingPublisher(producer.asProducer(), 2);
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((n) => publisher.publish(records(n))));
    assert.deepEqual(producer.batches, [['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('never splits one caller’s records: a publish larger than the limit goes out alone', async () => {
    const producer = new RecordingProducer();
    const publisher = new CoalescingPublisher(producer.asProducer(), 2);
    await Promise.all([publisher.publish(records('a')), publisher.publish(records('b1', 'b2', 'b3')), publisher.publish(records('c'))]);
    assert.deepEqual(producer.batches, [['a'], ['b1', 'b2', 'b3'], ['c']]);
  });

  it('rejects exactly the callers whose batch failed, with the producer’s error', async () => {
    const boom = new Error('broker unavailable');
    const producer = new RecordingProducer((keys) => (keys.includes('b1') ? Promise.reject(boom) : Promise.resolve()));
    const publisher = new CoalescingPublisher(producer.asProducer(), 2);
    const result = await outcomes({
      a: publisher.publish(records('a1', 'a2')),
      b: publisher.publish(records('b1')),
      c: publisher.publish(records('c1')),
      d: publisher.publish(records('d1', 'd2')),
    });
    assert.deepEqual(producer.batches, [
      ['a1', 'a2'],
      ['b1', 'c1'],
      ['d1', 'd2'],
    ]);
    assert.deepEqual(result, { a: 'ok', b: 'rejected: broker unavailable', c: 'rejected: broker unavailable', d: 'ok' });
  });

  it('rejects with the very error object the producer threw', async () => {
    const boom = new Error('not durable');
    const producer = new RecordingProducer(() => Promise.reject(boom));
    const publisher = new CoalescingPublisher(producer.asProducer());
    await assert.rejects(publisher.publish(records('a')), (error: unknown) => error === boom);
  });

  it('keeps working after a failed batch: later publishes succeed', async () => {
    const producer = new RecordingProducer((_, i) => (i === 0 ? Promise.reject(new Error('first fails')) : Promise.resolve()));
    const publisher = new CoalescingPublisher(producer.asProducer());
    await assert.rejects(publisher.publish(records('a')), /first fails/);
    await publisher.publish(records('b'));
    await Promise.all([publisher.publish(records('c')), publisher.publish(records('d'))]);
    assert.deepEqual(producer.batches, [['a'], ['b'], ['c', 'd']]);
  });

  it('treats a producer that throws synchronously like one that rejects', async () => {
    let calls = 0;
    const producer = {
      send: (): Promise<void> => {
        calls++;
        if (calls === 1) throw new Error('sync failure');
        return Promise.resolve();
      },
    } as unknown as DurableProducer;
    const publisher = new CoalescingPublisher(producer);
    await assert.rejects(publisher.publish(records('a')), /sync failure/);
    await publisher.publish(records('b'));
    assert.equal(calls, 2);
  });

  it('flush() waits until everything published so far has been sent', async () => {
    const first = deferred();
    const producer = new RecordingProducer((_, i) => (i === 0 ? first.promise : Promise.resolve()));
    const publisher = new CoalescingPublisher(producer.asProducer(), 1);
    const settled: string[] = [];
    for (const n of ['a', 'b', 'c']) {
      void publisher.publish(records(n)).then(() => settled.push(n));
    }
    let flushed = false;
    const flushing = publisher.flush().then(() => {
      flushed = true;
    });
    await producer.received(1);
    await Promise.resolve();
    assert.equal(flushed, false, 'flush resolved while a batch was in flight');

    first.resolve();
    await flushing;
    assert.deepEqual(producer.batches, [['a'], ['b'], ['c']]);
    assert.deepEqual(settled, ['a', 'b', 'c']);
  });

  it('flush() resolves, not rejects, when a batch failed', async () => {
    const producer = new RecordingProducer(() => Promise.reject(new Error('down')));
    const publisher = new CoalescingPublisher(producer.asProducer());
    const publishing = publisher.publish(records('a'));
    await publisher.flush();
    await assert.rejects(publishing, /down/);
    assert.deepEqual(producer.batches, [['a']]);
  });

  it('flush() resolves at once when nothing was published', async () => {
    const producer = new RecordingProducer();
    const publisher = new CoalescingPublisher(producer.asProducer());
    await publisher.flush();
    assert.deepEqual(producer.batches, []);
  });

  it('passes the records themselves through unchanged', async () => {
    const sent: OutgoingRecord[][] = [];
    const producer = {
      send: (batch: readonly OutgoingRecord[]): Promise<void> => {
        sent.push([...batch]);
        return Promise.resolve();
      },
    } as unknown as DurableProducer;
    const publisher = new CoalescingPublisher(producer);
    const one: OutgoingRecord = { topic: 't1', key: 'k', value: Buffer.from('v'), headers: { h: '1' } };
    const two: OutgoingRecord = { topic: 't2', key: 'k2', value: Buffer.from('w'), headers: {} };
    await Promise.all([publisher.publish([one]), publisher.publish([two])]);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.[0], one);
    assert.equal(sent[0]?.[1], two);
  });
});
