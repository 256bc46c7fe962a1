/**
 * `npm run bench [-- <scenario>...] [--smoke] [--reps N] [--publish]`: runs the named benchmark
 * scenarios (all by default) side by side with their baselines in the same run, prints a table, and
 * writes JSON and an HTML report with charts to bench-results/ (also as latest.json / latest.html);
 * `--publish` copies them to docs/bench/, the report the README links. Uses the cluster at KAFKA_BROKERS, or starts a single-node Apache Kafka of its own
 * on ports 28092/28093 (below the ephemeral port range); PostgreSQL is DATABASE_URL (default: the local server).
 */
import os from 'node:os';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DEFAULT_DATABASE_URL } from '@liaison/config';
import { createKafkaClient } from '@liaison/messaging';
import { KAFKA_VERSION, loadSecurityMaterial, repoRoot, securitySettingsFor, startKafka, type SecurityMaterial } from '../kafka/cluster';
import { policyScenario } from './policy.scenario';
import { ledgerBench } from './scenarios/ledger';
import { rateLimitBench } from './scenarios/rate-limit';
import { rawFanOutSaturation, rawPipeLatency, rawPipeSaturation } from './scenarios/raw-pipe';
import { WebhookBench } from './scenarios/webhook';
import { WholePath } from './scenarios/whole-path';
import { renderReport, type BenchResults, type BenchRow, type MachineFacts } from './report';
import { formatSpread, spreadOf, type Spread } from './stats';

interface BenchContext {
  brokers: string[];
  /** The cluster's CA and credentials: the bench connects with TLS and SCRAM like the services (undefined: no Kafka). */
  security: SecurityMaterial | undefined;
  databaseUrl: string;
  smoke: boolean;
  reps: number;
  log: (line: string) => void;
}

type Scenario = (ctx: BenchContext) => Promise<BenchRow[]>;

/** Scenarios that need no Kafka; the runner starts a broker only when another one is selected. */
const WITHOUT_KAFKA = new Set(['policy', 'ledger', 'webhook', 'rate-limit']);

/** Appends without spreading: a run's expected copies outgrow the call stack's argument limit. */
function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

async function repeat<T>(reps: number, run: (rep: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let rep = 0; rep < reps; rep++) results.push(await run(rep));
  return results;
}

function kafkaSecurityOf(ctx: BenchContext): SecurityMaterial {
  if (ctx.security === undefined) throw new Error('this scenario needs Kafka');
  return ctx.security;
}

/** The bench's own client: the bootstrap admin, over TLS + SCRAM-SHA-512 (what security costs is part of the measure). */
function benchKafka(ctx: BenchContext): ReturnType<typeof createKafkaClient> {
  return createKafkaClient({ brokers: ctx.brokers, clientId: 'liaison-bench', security: securitySettingsFor(kafkaSecurityOf(ctx)) });
}

const SCENARIOS: Record<string, Scenario> = {
  policy: (ctx) => {
    ctx.log('policy evaluation: small vs large federation');
    const result = policyScenario.run({ smoke: ctx.smoke });
    console.log(result.report);
    const ratios = (result.json['ratios'] ?? []) as { mode: string; ratio: number; withinTarget: boolean }[];
    return Promise.resolve(
      ratios.map((r) => ({
        scenario: 'policy',
        metric: `cost large/small, ${r.mode}`,
        value: spreadOf([r.ratio]),
        target: '≤ 2×',
        met: r.withinTarget,
      })),
    );
  },
  'raw-pipe': async (ctx) => {
    const kafka = benchKafka(ctx);
    const options = { kafka, partitions: 3, valueBytes: 1024, batchSize: ctx.smoke ? 100 : 1000 };
    const events = ctx.smoke ? 2_000 : 100_000;
    ctx.log(`raw pipe: warm-up, then ${ctx.reps} × ${events} events`);
    await rawPipeSaturation(options, Math.min(events, 10_000));
    const saturation = spreadOf(await repeat(ctx.reps, () => rawPipeSaturation(options, events)));
    const rate = Math.max(100, Math.round(saturation.median / 2));
    ctx.log(`raw pipe: latency at ${rate} events/s (half of saturation)`);
    const latency = await rawPipeLatency(options, rate, ctx.smoke ? 1 : 10, ctx.smoke ? 0.2 : 2);
    return [
      { scenario: 'raw-pipe', metric: 'events/s (saturation)', value: saturation },
      { scenario: 'raw-pipe', metric: `p99 ms at ${rate}/s`, value: spreadOf([latency.p99]), latency },
    ];
  },
  'whole-path': async (ctx) => {
    const kafka = benchKafka(ctx);
    const raw = { kafka, partitions: 3, valueBytes: 1024, batchSize: ctx.smoke ? 100 : 1000 };
    const events = ctx.smoke ? 500 : 20_000;
    const singles = ctx.smoke ? 200 : 4_000;
    const path = new WholePath({
      kafka,
      brokers: ctx.brokers,
      security: kafkaSecurityOf(ctx),
      databaseUrl: ctx.databaseUrl,
      agencies: ctx.smoke ? 8 : 50,
      grantsPerAgency: ctx.smoke ? 3 : 10,
      publishers: ctx.smoke ? 2 : 5,
      log: ctx.log,
    });
    await path.start();
    try {
      const expected: string[] = [];
      let published = 0;
      ctx.log('whole path: warm-up');
      const warmup = await path.saturation(Math.min(events, 2_000), 100, 4);
      append(expected, warmup.expected);
      published += Math.min(events, 2_000);
      // The like-with-like baseline copies each record as often as policy did in the warm-up, over as many topics as agencies.
      const copies = Math.max(1, Math.round(warmup.expected.length / Math.min(events, 2_000)));
      const fanOutTopics = ctx.smoke ? 8 : 50;
      const fanOutRuns: number[] = [];
      const rawRuns: number[] = [];
      const batchRuns: number[] = [];
      const singleRuns: number[] = [];
      for (let rep = 0; rep < ctx.reps; rep++) {
        ctx.log(
          `whole path: repetition ${rep + 1}/${ctx.reps} (raw pipe, then ${events} events in batches of 100, then ${singles} single requests)`,
        );
        rawRuns.push(await rawPipeSaturation(raw, events));
        fanOutRuns.push(await rawFanOutSaturation(raw, events, copies, fanOutTopics));
        const batch = await path.saturation(events, 100, 4);
        batchRuns.push(batch.eventsPerSecond);
        append(expected, batch.expected);
        const single = await path.saturation(singles, 1, 16);
        singleRuns.push(single.eventsPerSecond);
        append(expected, single.expected);
        published += events + singles;
      }
      const rate = Math.max(50, Math.round(Math.min(...singleRuns) / 2));
      ctx.log(`whole path: latency at ${rate} events/s (half of single-request saturation), single requests`);
      const latency = await path.latency(rate, ctx.smoke ? 1 : 10, ctx.smoke ? 0.2 : 2);
      append(expected, latency.expected);
      published += Math.round(rate * (ctx.smoke ? 1.2 : 12));
      const check = await path.ledgerCheck(published, expected);
      ctx.log(`ledger check: ${JSON.stringify(check)}`);
      if (check.missing !== 0 || check.unknown !== 0 || check.ledgerShared !== check.expectedCopies) {
        throw new Error(`whole path ledger check FAILED: ${JSON.stringify(check)}`);
      }
      const ratio = (runs: number[]): Spread => spreadOf(runs.map((r, i) => r / (rawRuns[i] ?? Number.NaN)));
      const rawSpread = spreadOf(rawRuns);
      const batchRatio = ratio(batchRuns);
      return [
        {
          scenario: 'whole-path',
          metric: 'events/s, batch requests',
          value: spreadOf(batchRuns),
          baseline: { metric: 'raw pipe events/s', value: rawSpread },
          ratio: batchRatio,
          target: '≥ 0.5×',
          met: batchRatio.median >= 0.5,
        },
        {
          scenario: 'whole-path',
          metric: 'events/s, batch requests, vs fan-out',
          value: spreadOf(batchRuns),
          baseline: { metric: `raw fan-out pipe (×${copies} copies) events/s`, value: spreadOf(fanOutRuns) },
          ratio: spreadOf(batchRuns.map((r, i) => r / (fanOutRuns[i] ?? Number.NaN))),
        },
        {
          scenario: 'whole-path',
          metric: 'events/s, single requests',
          value: spreadOf(singleRuns),
          baseline: { metric: 'raw pipe events/s', value: rawSpread },
          ratio: ratio(singleRuns),
        },
        {
          scenario: 'whole-path',
          metric: `p99 ms accept→topic at ${rate}/s`,
          value: spreadOf([latency.summary.p99]),
          latency: latency.summary,
          target: '≤ 50 ms',
          met: latency.summary.p99 <= 50,
        },
        {
          scenario: 'whole-path',
          metric: 'ledger check (copies arrived)',
          value: spreadOf([check.arrived]),
          target: `${check.expectedCopies} expected, ${check.missing} missing, ${check.duplicates} duplicate deliveries of a stable id`,
          met: check.missing === 0,
        },
      ];
    } finally {
      await path.stop();
    }
  },
  ledger: async (ctx) => {
    // One batch is n events × 49 candidate recipients (50 agencies): 1, 10 and 100 events.
    const batchSizes = [49, 490, 4_900];
    const rows = ctx.smoke ? 9_800 : 49_000;
    const rounds = ctx.smoke ? 2 : 5;
    ctx.log(`ledger: ${ctx.reps} × ${rows} rows per batch size (${batchSizes.join(', ')}) vs one INSERT per row, interleaved`);
    const runs = await repeat(ctx.reps, () => ledgerBench(ctx.databaseUrl, rows, batchSizes, rounds));
    const single = spreadOf(runs.map((r) => r.singleRowsPerSecond));
    return batchSizes.map((batchRows, k) => {
      const rates = runs.map((r) => r.batched[k]?.rowsPerSecond ?? Number.NaN);
      const ratio = spreadOf(rates.map((rate, i) => rate / (runs[i]?.singleRowsPerSecond ?? Number.NaN)));
      return {
        scenario: 'ledger',
        metric: `rows/s, ${batchRows}-row batches (${batchRows / 49} event${batchRows === 49 ? '' : 's'} × 49)`,
        value: spreadOf(rates),
        baseline: { metric: 'rows/s one INSERT per row', value: single },
        ratio,
        target: '≥ 20×',
        met: ratio.median >= 20,
      };
    });
  },
  'rate-limit': async (ctx) => {
    const hits = ctx.smoke ? 2_000 : 20_000;
    const concurrency = 64;
    ctx.log(`rate limit: ${ctx.reps} × ${hits} hits, sequential and ${concurrency} in flight on one key, vs SELECT 1 round trips`);
    const runs = await repeat(ctx.reps, () => rateLimitBench(ctx.databaseUrl, hits, concurrency));
    const floor = spreadOf(runs.map((r) => r.roundTripsPerSecond));
    const sequential = spreadOf(runs.map((r) => r.sequentialHitsPerSecond));
    return [
      {
        scenario: 'rate-limit',
        metric: 'checks/s, one request at a time',
        value: sequential,
        baseline: { metric: 'SELECT 1 round trips/s', value: floor },
        ratio: spreadOf(runs.map((r) => r.sequentialHitsPerSecond / r.roundTripsPerSecond)),
      },
      { scenario: 'rate-limit', metric: 'µs per check, one request at a time', value: spreadOf(runs.map((r) => r.sequentialMicrosPerHit)) },
      {
        scenario: 'rate-limit',
        metric: `checks/s, ${concurrency} requests in flight on one key`,
        value: spreadOf(runs.map((r) => r.concurrentHitsPerSecond)),
        baseline: { metric: 'SELECT 1 round trips/s', value: floor },
        ratio: spreadOf(runs.map((r) => r.concurrentHitsPerSecond / r.roundTripsPerSecond)),
      },
      {
        scenario: 'rate-limit',
        metric: `checks per upsert, ${concurrency} in flight (coalesced)`,
        value: spreadOf(runs.map((r) => r.checksPerUpsert)),
      },
    ];
  },
  webhook: async (ctx) => {
    const bench = new WebhookBench({
      databaseUrl: ctx.databaseUrl,
      endpoints: ctx.smoke ? 2 : 4,
      inFlightPerEndpoint: ctx.smoke ? 8 : 16,
      subjects: ctx.smoke ? 50 : 500,
    });
    const copies = ctx.smoke ? 200 : 5_000;
    const endpoints = ctx.smoke ? 2 : 4;
    const deliveries = copies * endpoints;
    await bench.start();
    try {
      ctx.log(
        `webhook: warm-up, then ${ctx.reps} × (${deliveries} signed deliveries, ${deliveries} bare POSTs) at concurrency ${bench.concurrency}`,
      );
      await bench.signedSaturation(Math.min(copies, 500));
      await bench.bareSaturation(Math.min(deliveries, 1_000));
      const signedRuns: number[] = [];
      const bareRuns: number[] = [];
      for (let rep = 0; rep < ctx.reps; rep++) {
        bareRuns.push(await bench.bareSaturation(deliveries));
        signedRuns.push(await bench.signedSaturation(copies));
      }
      const signed = spreadOf(signedRuns);
      const rate = Math.max(20, Math.round(signed.median / 2));
      ctx.log(`webhook: latency at ${rate} deliveries/s (half of signed saturation)`);
      const latency = await bench.signedLatency(rate / endpoints, ctx.smoke ? 1 : 10, ctx.smoke ? 0.2 : 2);
      const check = await bench.ledgerCheck();
      ctx.log(`webhook ledger check: ${JSON.stringify(check)}`);
      if (
        check.missing !== 0 ||
        check.duplicates !== 0 ||
        check.unknown !== 0 ||
        check.forged !== 0 ||
        check.notDelivered !== 0 ||
        check.ledgerDelivered !== check.expected
      ) {
        throw new Error(`webhook ledger check FAILED: ${JSON.stringify(check)}`);
      }
      const ratio = spreadOf(signedRuns.map((s, i) => s / (bareRuns[i] ?? Number.NaN)));
      return [
        {
          scenario: 'webhook',
          metric: 'signed deliveries/s',
          value: signed,
          baseline: { metric: 'bare POSTs/s', value: spreadOf(bareRuns) },
          ratio,
          target: '≥ 0.5× and ≥ 2,000/s',
          met: ratio.median >= 0.5 && signed.median >= 2_000,
        },
        ...(['p50', 'p95', 'p99'] as const).map((q) => ({
          scenario: 'webhook',
          metric: `${q} ms due→received at ${rate}/s`,
          value: spreadOf([latency[q]]),
          latency,
        })),
        {
          scenario: 'webhook',
          metric: 'ledger check (deliveries arrived)',
          value: spreadOf([check.arrived]),
          target: `${check.expected} expected, ${check.missing} missing, ${check.duplicates} duplicate, ${check.forged} forged`,
          met: check.missing === 0 && check.duplicates === 0,
        },
      ];
    } finally {
      await bench.stop();
    }
  },
};

async function postgresVersion(url: string): Promise<string> {
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    const result = await client.query<{ server_version: string }>('SHOW server_version');
    return result.rows[0]?.server_version ?? 'unknown';
  } finally {
    await client.end();
  }
}

function printTable(rows: readonly BenchRow[]): void {
  const lines = rows.map((r) => [
    r.scenario,
    r.metric,
    formatSpread(r.value, r.metric.startsWith('p') ? 1 : r.metric.startsWith('cost') ? 2 : 0),
    r.baseline ? `${r.baseline.metric}: ${formatSpread(r.baseline.value)}` : '',
    r.ratio ? `${formatSpread(r.ratio, 2)}×` : '',
    r.target ? `${r.target} ${r.met ? 'met' : 'MISSED'}` : '',
  ]);
  const header = ['scenario', 'metric', 'median (min–max)', 'baseline', 'ratio', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const smoke = args.includes('--smoke');
  const publish = args.includes('--publish');
  const repsFlag = args.indexOf('--reps');
  const reps = repsFlag >= 0 ? Number(args[repsFlag + 1]) : smoke ? 1 : 3;
  const names = args.filter((a, i) => !a.startsWith('--') && !(repsFlag >= 0 && i === repsFlag + 1));
  const unknown = names.filter((n) => !(n in SCENARIOS));
  if (unknown.length > 0 || !Number.isInteger(reps) || reps < 1) {
    console.error(`usage: npm run bench -- [${Object.keys(SCENARIOS).join('|')}]... [--smoke] [--reps N] [--publish]`);
    return 2;
  }
  const log = (line: string): void => console.error(`[bench] ${line}`);
  const databaseUrl = process.env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL;
  const selected = names.length > 0 ? names : Object.keys(SCENARIOS);
  const external = process.env['KAFKA_BROKERS'];
  const kafka =
    (external !== undefined && external !== '') || selected.every((n) => WITHOUT_KAFKA.has(n))
      ? undefined
      : await startKafka({
          nodes: 1,
          dataDir: join(repoRoot(), '.liaison', 'bench-kafka'),
          basePort: Number(process.env['LIAISON_BENCH_KAFKA_PORT'] ?? 28092),
          fresh: true,
          log,
        });
  const brokers = kafka?.brokers ?? (external ?? '').split(',');
  const securityDir = process.env['LIAISON_KAFKA_SECURITY_DIR'] ?? '';
  if (kafka === undefined && external !== undefined && external !== '' && securityDir === '') {
    console.error("KAFKA_BROKERS is set: also set LIAISON_KAFKA_SECURITY_DIR to that cluster's security/ directory (CA, credentials.json)");
    return 2;
  }
  const security = kafka?.security ?? (securityDir === '' ? undefined : loadSecurityMaterial(securityDir));
  try {
    const machine: MachineFacts = {
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      kafka: kafka ? KAFKA_VERSION : brokers.length > 0 && brokers[0] !== '' ? `external (${brokers.join(',')})` : 'not used',
      postgres: await postgresVersion(databaseUrl),
    };
    log(`machine: ${JSON.stringify(machine)}`);
    const ctx: BenchContext = { brokers, security, databaseUrl, smoke, reps, log };
    const rows: BenchRow[] = [];
    for (const name of selected) {
      const scenario = SCENARIOS[name];
      if (scenario !== undefined) rows.push(...(await scenario(ctx)));
    }
    console.log(`cores ${machine.cores} · ${machine.cpu} · Node ${machine.node} · Kafka ${machine.kafka} · PostgreSQL ${machine.postgres}`);
    printTable(rows);
    const results: BenchResults = { at: new Date().toISOString(), smoke, reps, machine, rows };
    const dir = join(repoRoot(), 'bench-results');
    mkdirSync(dir, { recursive: true });
    const stem = join(dir, `bench-${results.at.replace(/[:.]/g, '-')}`);
    const json = `${JSON.stringify(results, null, 2)}\n`;
    const html = renderReport(results);
    for (const [file, text] of [
      [`${stem}.json`, json],
      [`${stem}.html`, html],
      [join(dir, 'latest.json'), json],
      [join(dir, 'latest.html'), html],
    ] as const) {
      writeFileSync(file, text);
    }
    log(`results: ${stem}.json, report: ${stem}.html (and bench-results/latest.*)`);
    if (publish) {
      const docs = join(repoRoot(), 'docs', 'bench');
      mkdirSync(docs, { recursive: true });
      copyFileSync(`${stem}.json`, join(docs, 'results.json'));
      copyFileSync(`${stem}.html`, join(docs, 'report.html'));
      log(`published to docs/bench/report.html and docs/bench/results.json: commit them`);
    }
    return 0;
  } finally {
    await kafka?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
