import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { CompressionTypes, Partitioners, type Kafka, type Message } from 'kafkajs';
import { ensureTopics } from '@liaison/messaging';
import { summarizeLatencies, type LatencySummary } from '../stats';

/**
 * The baseline every path is compared with: a bare kafkajs producer (acks=all, idempotent, batched
 * sends — the same durability the backbone uses) into one topic, read back by a bare kafkajs batch
 * consumer. No validation, no policy, no database.
 */
export interface RawPipeOptions {
  kafka: Kafka;
  partitions: number;
  valueBytes: number;
  /** Messages per produce request when saturating. */
  batchSize: number;
}

/** A ~`bytes` JSON value shaped like an event payload, so serialisation cost is comparable. */
export function syntheticValue(bytes: number): Buffer {
  const filler = randomBytes(Math.max(0, Math.ceil((bytes - 80) * 0.75))).toString('base64');
  return Buffer.from(JSON.stringify({ type: 'bench', narrative: filler.slice(0, Math.max(0, bytes - 80)) }));
}

const SCHEDULED_HEADER = 'bench-scheduled-ms';

interface Pipe {
  topic: string;
  send(messages: Message[]): Promise<void>;
  /** Resolves when `count` messages have arrived; `onArrival` sees each with its arrival time. */
  received(count: number): Promise<void>;
  onArrival: ((message: { headers: Record<string, string> }, at: number) => void) | undefined;
  close(): Promise<void>;
}

async function openPipe(options: RawPipeOptions, label: string): Promise<Pipe> {
  const topic = `bench.raw.${label}.${randomBytes(4).toString('hex')}`;
  await ensureTopics(options.kafka, [{ topic, numPartitions: options.partitions }]);
  const producer = options.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const consumer = options.kafka.consumer({ groupId: `${topic}.reader`, maxWaitTimeInMs: 20, minBytes: 1 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let arrived = 0;
  const waiters: { count: number; resolve: () => void }[] = [];
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  const pipe: Pipe = {
    topic,
    onArrival: undefined,
    send: async (messages) => {
      await producer.sendBatch({ acks: -1, compression: CompressionTypes.None, topicMessages: [{ topic, messages }] });
    },
    received: (count) =>
      new Promise<void>((resolve) => {
        if (arrived >= count) resolve();
        else waiters.push({ count, resolve });
      }),
    close: async () => {
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
  await consumer.run({
    eachBatch: ({ batch }) => {
      const at = performance.now();
      if (pipe.onArrival !== undefined) {
        for (const m of batch.messages) {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(m.headers ?? {})) if (v !== undefined && !Array.isArray(v)) headers[k] = v.toString();
          pipe.onArrival({ headers }, at);
        }
      }
      arrived += batch.messages.length;
      for (const w of waiters.filter((x) => arrived >= x.count)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      return Promise.resolve();
    },
  });
  await joined;
  return pipe;
}

/** Saturation: `events` messages as fast as batched, acknowledged sends allow; events/s end to end. */
export async function rawPipeSaturation(options: RawPipeOptions, events: number): Promise<number> {
  const pipe = await openPipe(options, 'sat');
  try {
    const value = syntheticValue(options.valueBytes);
    const started = performance.now();
    for (let sent = 0; sent < events; sent += options.batchSize) {
      const n = Math.min(options.batchSize, events - sent);
      await pipe.send(Array.from({ length: n }, (_, i) => ({ key: `subject-${(sent + i) % 1000}`, value })));
    }
    await pipe.received(events);
    return events / ((performance.now() - started) / 1000);
  } finally {
    await pipe.close();
  }
}

/**
 * Open-model latency: events are due at a fixed rate, sent in one batch per tick with whatever is
 * due (the producer's linger, done by hand: kafkajs has none), and latency counts from the time
 * each event was due, so a stalled sender shows up as latency instead of being hidden.
 */
export async function rawPipeLatency(
  options: RawPipeOptions,
  ratePerSecond: number,
  seconds: number,
  warmupSeconds: number,
): Promise<LatencySummary> {
  const pipe = await openPipe(options, 'lat');
  const samples: number[] = [];
  const total = Math.round(ratePerSecond * (seconds + warmupSeconds));
  const measureFrom = Math.round(ratePerSecond * warmupSeconds);
  try {
    const value = syntheticValue(options.valueBytes);
    const start = performance.now() + 50;
    pipe.onArrival = (message, at) => {
      const index = Number(message.headers['bench-index']);
      if (index >= measureFrom) samples.push(at - Number(message.headers[SCHEDULED_HEADER]));
    };
    let next = 0;
    while (next < total) {
      const now = performance.now();
      const due = Math.min(total, Math.floor(((now - start) / 1000) * ratePerSecond) + 1);
      if (due <= next) {
        await new Promise((r) => setTimeout(r, 1));
        continue;
      }
      const batch: Message[] = [];
      for (; next < due; next++) {
        const scheduled = start + (next / ratePerSecond) * 1000;
        batch.push({
          key: `subject-${next % 1000}`,
          value,
          headers: { [SCHEDULED_HEADER]: String(scheduled), 'bench-index': String(next) },
        });
      }
      await pipe.send(batch);
    }
    await pipe.received(total);
    return summarizeLatencies(samples);
  } finally {
    await pipe.close();
  }
}

/**
 * The raw pipe with the whole path's fan-out, for a like-with-like ratio: `events` records are
 * produced into one topic, a bare relay consumes each batch, produces `copies` copies of every record
 * spread over `topics` output topics (acks=all, idempotent, one `sendBatch` per batch) and commits only
 * after that, and a bare reader consumes every output topic. No validation, policy or database.
 * Events/s until the last copy has arrived.
 */
export async function rawFanOutSaturation(options: RawPipeOptions, events: number, copies: number, topics: number): Promise<number> {
  const label = `bench.rawfan.${randomBytes(4).toString('hex')}`;
  const input = `${label}.in`;
  const outputs = Array.from({ length: topics }, (_, i) => `${label}.out.${i}`);
  await ensureTopics(
    options.kafka,
    [input, ...outputs].map((topic) => ({ topic, numPartitions: options.partitions })),
  );
  const producerOptions = {
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  };
  const producer = options.kafka.producer(producerOptions);
  const relayProducer = options.kafka.producer(producerOptions);
  const relay = options.kafka.consumer({ groupId: `${label}.relay`, maxWaitTimeInMs: 20, minBytes: 1 });
  const reader = options.kafka.consumer({ groupId: `${label}.reader`, maxWaitTimeInMs: 20, minBytes: 1 });
  await Promise.all([producer.connect(), relayProducer.connect(), relay.connect(), reader.connect()]);
  try {
    await relay.subscribe({ topic: input, fromBeginning: true });
    await reader.subscribe({ topics: outputs, fromBeginning: true });
    const joined = (c: typeof relay): Promise<void> => new Promise<void>((resolve) => c.on(c.events.GROUP_JOIN, () => resolve()));
    const relayJoined = joined(relay);
    const readerJoined = joined(reader);
    await relay.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        const last = batch.messages[batch.messages.length - 1];
        if (last === undefined) return;
        const byTopic = new Map<string, Message[]>();
        for (const [i, m] of batch.messages.entries()) {
          for (let c = 0; c < copies; c++) {
            const topic = outputs[(i + c) % topics] as string;
            const list = byTopic.get(topic) ?? [];
            list.push({ key: m.key, value: m.value, headers: m.headers });
            byTopic.set(topic, list);
          }
        }
        await relayProducer.sendBatch({
          acks: -1,
          compression: CompressionTypes.None,
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        });
        payload.resolveOffset(last.offset);
        await relay.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
      },
    });
    let arrived = 0;
    const expected = events * copies;
    let done: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (done = resolve));
    await reader.run({
      eachBatch: ({ batch }) => {
        arrived += batch.messages.length;
        if (arrived >= expected) done();
        return Promise.resolve();
      },
    });
    await Promise.all([relayJoined, readerJoined]);
    const value = syntheticValue(options.valueBytes);
    const started = performance.now();
    for (let sent = 0; sent < events; sent += options.batchSize) {
      const n = Math.min(options.batchSize, events - sent);
      await producer.sendBatch({
        acks: -1,
        compression: CompressionTypes.None,
        topicMessages: [{ topic: input, messages: Array.from({ length: n }, (_, i) => ({ key: `subject-${(sent + i) % 1000}`, value })) }],
      });
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      all,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`raw fan-out: ${arrived} of ${expected} copies after 600 s`)), 600_000);
      }),
    ]).finally(() => clearTimeout(timer));
    return events / ((performance.now() - started) / 1000);
  } finally {
    await Promise.all([relay.disconnect(), reader.disconnect()]);
    await Promise.all([producer.disconnect(), relayProducer.disconnect()]);
  }
}
