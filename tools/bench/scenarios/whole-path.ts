import { performance } from 'node:perf_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Kafka } from 'kafkajs';
import { topicNames } from '@liaison/contracts';
import { dropDatabase, migrate, serviceDatabaseUrl, withDatabase } from '@liaison/persistence';
import { provisionNamespace } from '@liaison/messaging';
import { repoRoot, serviceKafkaEnv, type SecurityMaterial } from '../../kafka/cluster';
import { startService, type RunningService, type ServiceName } from '../../stack/service-process';
import { summarizeLatencies, type LatencySummary } from '../stats';

/**
 * The whole path: events posted to the real gateway, routed by the real router under a realistic
 * federation, read back from every recipient's delivery topic by a bare consumer. Every run ends
 * with a ledger check: what the router recorded as shared must equal what arrived.
 */
export interface WholePathOptions {
  kafka: Kafka;
  brokers: string[];
  /** Each service connects as its own principal; `kafka` (the bootstrap admin) provisions the namespace. */
  security: SecurityMaterial;
  databaseUrl: string;
  agencies: number;
  /** Agreements each agency grants (to distinct others); agencies × this = the federation's policies. */
  grantsPerAgency: number;
  publishers: number;
  log: (line: string) => void;
}

/** How long a run may take to deliver every copy before it counts as stuck (the ledger check then reports what is missing). */
const DRAIN_TIMEOUT_MS = 600_000;
/** How long the ledger may lag the last arrived copy before the check counts what is there. */
const LEDGER_SETTLE_MS = 60_000;

const TLP_MIX: readonly [string, number][] = [
  ['CLEAR', 0.2],
  ['GREEN', 0.4],
  ['AMBER', 0.3],
  ['AMBER+STRICT', 0.05],
  ['RED', 0.05],
];

interface Federation {
  agencyIds: string[];
  publisherKeys: { agencyId: string; key: string }[];
  grantees: Map<string, Set<string>>;
}

export interface LedgerCheck {
  published: number;
  expectedCopies: number;
  ledgerShared: number;
  arrived: number;
  missing: number;
  duplicates: number;
  unknown: number;
}

export class WholePath {
  private readonly services: RunningService[] = [];
  private readonly arrivals = new Map<string, number>();
  private arrivalsTotal = 0;
  private onCopy: ((correlation: string, at: number) => void) | undefined;
  private federation: Federation | undefined;
  private consumerStop: (() => Promise<void>) | undefined;
  private readonly namespace = `bench-${randomBytes(3).toString('hex')}`;
  private readonly dbUrl: string;
  private readonly adminToken = randomBytes(24).toString('base64url');
  private readonly example = JSON.parse(
    readFileSync(join(repoRoot(), 'docs', 'examples', 'gov.liaison.incident.reported.v1.json'), 'utf8'),
  ) as Record<string, unknown>;

  constructor(private readonly options: WholePathOptions) {
    this.dbUrl = withDatabase(options.databaseUrl, `liaison_bench_${randomBytes(4).toString('hex')}`);
  }

  async start(): Promise<void> {
    await migrate(this.dbUrl);
    await provisionNamespace(this.options.kafka, this.namespace, { partitions: 3 });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KAFKA_BROKERS: this.options.brokers.join(','),
      LIAISON_TOPIC_NAMESPACE: this.namespace,
      LIAISON_ADMIN_TOKEN: this.adminToken,
      LIAISON_SECRET_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'warn',
      // The limits stay on (their cost is part of the measurement) but are sized so they never refuse.
      RATE_LIMIT_PER_SOURCE: '100000000',
      RATE_LIMIT_PER_CREDENTIAL: '100000000',
      RATE_LIMIT_PUBLISH: '100000000',
    };
    const names: ServiceName[] = ['admin', 'gateway', 'router', 'delivery'];
    for (const name of names) {
      this.services.push(
        await startService({
          name,
          distDir: join(repoRoot(), 'dist'),
          // Each service as its own principal and database role, as in a deployment.
          env: { ...env, ...serviceKafkaEnv(this.options.security, name), DATABASE_URL: serviceDatabaseUrl(this.dbUrl, name) },
          onLine: (line) => {
            if (/\bERROR\b/.test(line)) this.options.log(`${name}: ${line}`);
          },
        }),
      );
    }
    this.federation = await this.seed();
    await this.startConsumer();
  }

  private url(name: ServiceName): string {
    const s = this.services.find((x) => x.name === name);
    if (s === undefined) throw new Error(`${name} is not running`);
    return s.url;
  }

  private async call(method: string, path: string, body: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.url('admin')}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  }

  private async seed(): Promise<Federation> {
    const { agencies, grantsPerAgency, publishers } = this.options;
    const agencyIds: string[] = [];
    for (let i = 0; i < agencies; i++) {
      const ori = `ZB${randomBytes(2).toString('hex').toUpperCase().slice(0, 3)}${String(i).padStart(4, '0')}`;
      const created = await this.call('POST', '/v1/agencies', { ori, name: `Bench agency ${i}`, kind: i % 10 === 0 ? 'state' : 'local' });
      agencyIds.push(String(created['id']));
    }
    const grantees = new Map<string, Set<string>>();
    for (const [i, grantor] of agencyIds.entries()) {
      const set = new Set<string>();
      for (let g = 1; set.size < Math.min(grantsPerAgency, agencies - 1); g++) {
        const grantee = agencyIds[(i + g * 7) % agencies];
        if (grantee !== undefined && grantee !== grantor) set.add(grantee);
      }
      for (const grantee of set) {
        await this.call('POST', `/v1/agencies/${grantor}/sharing-agreements`, {
          granteeAgencyId: grantee,
          purpose: 'benchmark: regional analysis',
        });
      }
      grantees.set(grantor, set);
    }
    const publisherKeys: Federation['publisherKeys'] = [];
    for (const agencyId of agencyIds.slice(0, publishers)) {
      const issued = await this.call('POST', `/v1/agencies/${agencyId}/api-keys`, { label: 'bench', scopes: ['publish'] });
      publisherKeys.push({ agencyId, key: String(issued['key']) });
    }
    this.options.log(
      `federation: ${agencies} agencies, ${agencies * Math.min(grantsPerAgency, agencies - 1)} agreements, ${publishers} publishers`,
    );
    return { agencyIds, publisherKeys, grantees };
  }

  private async startConsumer(): Promise<void> {
    const topics = topicNames(this.namespace);
    const consumer = this.options.kafka.consumer({ groupId: `${this.namespace}.bench-reader`, maxWaitTimeInMs: 20 });
    await consumer.connect();
    const ids = this.federation?.agencyIds ?? [];
    await consumer.subscribe({ topics: ids.map((id) => topics.delivery(id)), fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachBatch: ({ batch }) => {
        const at = performance.now();
        for (const m of batch.messages) {
          const id = m.headers?.['ce_id']?.toString() ?? '';
          const key = `${batch.topic}|${id}`;
          this.arrivals.set(key, (this.arrivals.get(key) ?? 0) + 1);
          this.arrivalsTotal += 1;
          const correlation = m.headers?.['ce_correlationid']?.toString();
          if (correlation !== undefined) this.onCopy?.(correlation, at);
        }
        return Promise.resolve();
      },
    });
    await joined;
    this.consumerStop = () => consumer.disconnect();
  }

  /** A realistic event of publisher `p`, its TLP drawn from the mix; returns it with the copies policy should make. */
  private event(p: number, correlation: string): { body: Record<string, unknown>; expected: string[] } {
    const federation = this.requireFederation();
    const publisher = federation.publisherKeys[p % federation.publisherKeys.length];
    if (publisher === undefined) throw new Error('no publishers');
    let draw = Math.random();
    let tlp = 'GREEN';
    for (const [label, share] of TLP_MIX) {
      if ((draw -= share) <= 0) {
        tlp = label;
        break;
      }
    }
    const id = randomUUID();
    const shareable = tlp === 'CLEAR' || tlp === 'GREEN' || tlp === 'AMBER';
    const topics = topicNames(this.namespace);
    const expected = shareable ? [...(federation.grantees.get(publisher.agencyId) ?? [])].map((g) => `${topics.delivery(g)}|${id}`) : [];
    return { body: { ...this.example, id, subject: `INC-${id.slice(0, 8)}`, tlp, correlationid: correlation }, expected };
  }

  private requireFederation(): Federation {
    if (this.federation === undefined) throw new Error('start() first');
    return this.federation;
  }

  private async post(p: number, bodies: Record<string, unknown>[]): Promise<void> {
    const federation = this.requireFederation();
    const publisher = federation.publisherKeys[p % federation.publisherKeys.length];
    const batch = bodies.length > 1;
    const response = await fetch(`${this.url('gateway')}/v1/events`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${publisher?.key ?? ''}`,
        'content-type': batch ? 'application/cloudevents-batch+json' : 'application/cloudevents+json',
      },
      body: JSON.stringify(batch ? bodies : bodies[0]),
    });
    const text = await response.text();
    if (response.status !== 202) throw new Error(`gateway answered ${response.status}: ${text.slice(0, 300)}`);
  }

  /**
   * When every expected copy has arrived. Arrivals only grow, so each copy is looked up until it is
   * found and never again: checking the whole list every few milliseconds cost the load generator
   * more CPU than the router used (quadratic in the run's size, on the same two cores).
   */
  private async waitFor(expected: readonly string[], timeoutMs: number): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    let found = 0;
    for (;;) {
      while (found < expected.length && this.arrivals.has(expected[found] as string)) found += 1;
      if (found === expected.length) return performance.now();
      if (performance.now() > deadline) return Number.NaN;
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Saturation: `clients` concurrent publishers posting batches of `batchSize` until `events` are accepted; events/s until every copy arrived. */
  async saturation(events: number, batchSize: number, clients: number): Promise<{ eventsPerSecond: number; expected: string[] }> {
    const expected: string[] = [];
    let next = 0;
    const cpuBefore = this.cpuSeconds();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        while (next < events) {
          const n = Math.min(batchSize, events - next);
          next += n;
          const made = Array.from({ length: n }, () => this.event(c, 'sat'));
          for (const m of made) expected.push(...m.expected);
          await this.post(
            c,
            made.map((m) => m.body),
          );
        }
      }),
    );
    const done = await this.waitFor(expected, DRAIN_TIMEOUT_MS);
    if (Number.isNaN(done)) {
      const arrived = expected.filter((k) => this.arrivals.has(k)).length;
      throw new Error(
        `saturation: only ${arrived} of ${expected.length} copies arrived within ${DRAIN_TIMEOUT_MS / 1000} s of the first send`,
      );
    }
    const eventsPerSecond = events / ((done - started) / 1000);
    this.options.log(
      `saturation: ${events} events, ${batchSize} per request, ${clients} clients: ${Math.round(eventsPerSecond)} events/s, ` +
        `${expected.length} copies; ${describeCpu(cpuBefore, this.cpuSeconds(), events, (done - started) / 1000)}`,
    );
    return { eventsPerSecond, expected };
  }

  /** Open model: single-event requests due at `rate`/s; latency of each copy from the time its event was due. */
  async latency(rate: number, seconds: number, warmupSeconds: number): Promise<{ summary: LatencySummary; expected: string[] }> {
    const samples: number[] = [];
    const expected: string[] = [];
    const total = Math.round(rate * (seconds + warmupSeconds));
    const measureFrom = Math.round(rate * warmupSeconds);
    const start = performance.now() + 50;
    this.onCopy = (correlation, at) => {
      const match = /^lat:(\d+):([\d.]+)$/.exec(correlation);
      if (match !== null && Number(match[1]) >= measureFrom) samples.push(at - Number(match[2]));
    };
    const inflight: Promise<void>[] = [];
    const cpuBefore = this.cpuSeconds();
    const began = performance.now();
    let next = 0;
    while (next < total) {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
      if (due <= next) {
        await new Promise((r) => setTimeout(r, 1));
        continue;
      }
      for (; next < due; next++) {
        const scheduled = start + (next / rate) * 1000;
        const made = this.event(next, `lat:${next}:${scheduled.toFixed(3)}`);
        expected.push(...made.expected);
        inflight.push(this.post(next, [made.body]));
      }
    }
    await Promise.all(inflight);
    await this.waitFor(expected, DRAIN_TIMEOUT_MS);
    this.onCopy = undefined;
    const summary = summarizeLatencies(samples);
    this.options.log(
      `latency: ${total} single requests at ${rate}/s: p50 ${summary.p50.toFixed(1)} ms, p99 ${summary.p99.toFixed(1)} ms; ` +
        describeCpu(cpuBefore, this.cpuSeconds(), total, (performance.now() - began) / 1000),
    );
    return { summary, expected };
  }

  /** events published = arrived + missing, against the ledger's shared decisions. */
  async ledgerCheck(published: number, expected: readonly string[]): Promise<LedgerCheck> {
    const client = new Client({ connectionString: this.dbUrl });
    await client.connect();
    try {
      const expectedSet = new Set(expected);
      // The router writes a batch's copies and its ledger rows at once and commits only when both are
      // durable, so the last copies can arrive a moment before their rows are visible: let it settle.
      const countShared = async (): Promise<number> =>
        Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM dissemination WHERE decision = 'shared'`)).rows[0]?.n ?? 0);
      const settleUntil = performance.now() + LEDGER_SETTLE_MS;
      let ledgerShared = await countShared();
      while (ledgerShared < expectedSet.size && performance.now() < settleUntil) {
        await new Promise((r) => setTimeout(r, 200));
        ledgerShared = await countShared();
      }
      let arrived = 0;
      let duplicates = 0;
      let unknown = 0;
      for (const [key, count] of this.arrivals) {
        if (expectedSet.has(key)) arrived += 1;
        else unknown += 1;
        duplicates += count - 1;
      }
      return {
        published,
        expectedCopies: expectedSet.size,
        ledgerShared,
        arrived,
        missing: expectedSet.size - arrived,
        duplicates,
        unknown,
      };
    } finally {
      await client.end();
    }
  }

  /**
   * CPU seconds (user + system) used so far by each service process, the benchmark process itself,
   * and the whole machine (all cores, every process: Kafka, PostgreSQL, other workloads). Linux only;
   * empty elsewhere.
   */
  private cpuSeconds(): Map<string, number> {
    const seconds = new Map<string, number>();
    try {
      const tick = clockTicks();
      const ofPid = (pid: number): number => {
        // Fields after the command name (which may hold spaces) start at index 2 of the split.
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
        return (Number(fields[11]) + Number(fields[12])) / tick;
      };
      for (const s of this.services) if (s.child.pid !== undefined) seconds.set(s.name, ofPid(s.child.pid));
      seconds.set('bench', ofPid(process.pid));
      const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
      // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
      seconds.set('machine', cpu.slice(0, 8).reduce((a, b, i) => (i === 3 || i === 4 ? a : a + b), 0) / tick);
    } catch {
      seconds.clear();
    }
    return seconds;
  }

  get totalArrivals(): number {
    return this.arrivalsTotal;
  }

  async stop(): Promise<void> {
    await this.consumerStop?.();
    for (const s of [...this.services].reverse()) await s.stop();
    await dropDatabase(this.dbUrl);
  }
}

let ticks: number | undefined;
function clockTicks(): number {
  ticks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticks;
}

/** CPU milliseconds per event of each process between two readings, and the machine's busy share. */
function describeCpu(before: Map<string, number>, after: Map<string, number>, events: number, wallSeconds: number): string {
  if (before.size === 0 || after.size === 0) return 'CPU not measured (no /proc)';
  const parts: string[] = [];
  let ours = 0;
  for (const [name, end] of after) {
    if (name === 'machine') continue;
    const used = end - (before.get(name) ?? end);
    ours += used;
    parts.push(`${name} ${((used * 1000) / events).toFixed(2)}`);
  }
  const machine = (after.get('machine') ?? 0) - (before.get('machine') ?? 0);
  return (
    `CPU ms per event: ${parts.join(', ')}; these processes ${ours.toFixed(1)} s, the whole machine ${machine.toFixed(1)} s ` +
    `of ${wallSeconds.toFixed(1)} s wall (the rest: Kafka, PostgreSQL, other workloads)`
  );
}
