/**
 * CLI for the local Kafka cluster.
 *
 *   node dist/tools/kafka/main.js start [--nodes 1|3] [--data-dir DIR] [--base-port N] [--heap-mb N] [--fresh]
 *   node dist/tools/kafka/main.js fetch
 *
 * `start` runs in the foreground, prints the bootstrap brokers string (alone, on stdout) once the
 * cluster serves requests, and stops it cleanly on SIGINT/SIGTERM. Progress goes to stderr.
 * `fetch` only downloads/caches the broker jars (CI uses it to warm the cache).
 */
import * as path from 'path';
import { KAFKA_VERSION, repoRoot, resolveKafkaClasspath, startKafka, type RunningKafka } from './cluster';

const USAGE = `usage:
  main.js start [--nodes 1|3] [--data-dir DIR] [--base-port N] [--heap-mb N] [--fresh]
      Start a local Kafka ${KAFKA_VERSION} cluster (KRaft) in the foreground; prints the brokers
      string when ready; Ctrl-C (SIGINT) or SIGTERM stops it cleanly.
      Defaults: --nodes 1, --data-dir <repo>/.cache/kafka/data-<nodes>n, --base-port 19092,
      --heap-mb 512 (per node). Data is kept between runs unless --fresh.
  main.js fetch
      Download the broker jars with Maven into <repo>/.cache/kafka/${KAFKA_VERSION}/lib (no-op when cached).
`;

const err = (line: string) => process.stderr.write(`[kafka] ${line}\n`);

function parseArgs(argv: string[]): { command: string | undefined; flags: Map<string, string | true> } {
  const flags = new Map<string, string | true>();
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) {
        flags.set(a.slice(2, eq), a.slice(eq + 1));
      } else {
        const next = argv[i + 1];
        if (next !== undefined && !next.startsWith('--') && a !== '--fresh' && a !== '--help') {
          flags.set(a.slice(2), next);
          i++;
        } else {
          flags.set(a.slice(2), true);
        }
      }
    } else if (a === '-h') {
      flags.set('help', true);
    } else if (command === undefined) {
      command = a;
    } else {
      throw new Error(`unexpected argument: ${a}`);
    }
  }
  return { command, flags };
}

function intFlag(flags: Map<string, string | true>, name: string): number | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v === true || !Number.isInteger(n)) throw new Error(`--${name} needs an integer, got ${String(v)}`);
  return n;
}

async function start(flags: Map<string, string | true>): Promise<void> {
  const known = new Set(['nodes', 'data-dir', 'base-port', 'heap-mb', 'fresh']);
  for (const k of flags.keys()) if (!known.has(k)) throw new Error(`unknown option --${k}\n${USAGE}`);
  const nodes = intFlag(flags, 'nodes') ?? 1;
  if (nodes !== 1 && nodes !== 3) throw new Error(`--nodes must be 1 or 3, got ${nodes}`);
  const dataDirFlag = flags.get('data-dir');
  if (dataDirFlag === true) throw new Error('--data-dir needs a directory');
  const dataDir = path.resolve(dataDirFlag ?? path.join(repoRoot(), '.cache', 'kafka', `data-${nodes}n`));

  const running: { cluster?: RunningKafka } = {};
  let stopping = false;
  const onSignal = (sig: NodeJS.Signals) => {
    if (stopping) {
      err(`${sig} again: exiting now (brokers are SIGKILLed)`);
      process.exit(130);
    }
    stopping = true;
    const cluster = running.cluster;
    if (!cluster) {
      // Still starting: the exit hook in cluster.ts SIGKILLs any spawned broker.
      err(`${sig} during start-up: aborting`);
      process.exit(130);
    }
    err(`${sig}: stopping Kafka (controlled shutdown)...`);
    const t0 = Date.now();
    cluster.stop().then(
      () => {
        err(`stopped in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
        process.exit(0);
      },
      (e: unknown) => {
        err(`stop failed: ${e instanceof Error ? e.message : String(e)}`);
        process.exit(1);
      },
    );
  };
  // Installed before startKafka so cluster.ts leaves signal handling to us.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  let alive = nodes;
  const cluster = await startKafka({
    nodes,
    dataDir,
    basePort: intFlag(flags, 'base-port'),
    heapMb: intFlag(flags, 'heap-mb'),
    fresh: flags.get('fresh') === true,
    log: err,
    onUnexpectedExit: (i) => {
      alive--;
      if (alive <= 0 && !stopping) {
        err(`all nodes are gone (see ${dataDir}/node-${i}/server.log): exiting`);
        process.exit(1);
      }
    },
  });
  running.cluster = cluster;
  err(`cluster id ${cluster.clusterId}, data in ${dataDir}; Ctrl-C to stop`);
  err(
    `clients: SASL_SSL with SCRAM-SHA-512 (or OAUTHBEARER); CA ${cluster.security.caFile}; ` +
      `passwords (bootstrap admin and services) in ${cluster.security.credentialsFile}`,
  );
  process.stdout.write(`${cluster.brokers.join(',')}\n`);
  // Stay in the foreground; the signal handlers end the process.
  setInterval(() => undefined, 1 << 30);
}

async function main(): Promise<void> {
  const { command, flags } = parseArgs(process.argv.slice(2));
  if (flags.has('help') || command === 'help' || command === undefined) {
    process.stdout.write(USAGE);
    if (command === undefined && !flags.has('help')) process.exitCode = 2;
    return;
  }
  switch (command) {
    case 'start':
      await start(flags);
      break;
    case 'fetch': {
      const t0 = Date.now();
      const cp = await resolveKafkaClasspath(err);
      err(`Kafka ${KAFKA_VERSION} classpath ready in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
      process.stdout.write(`${cp}\n`);
      break;
    }
    default:
      throw new Error(`unknown command: ${command}\n${USAGE}`);
  }
}

main().catch((e: unknown) => {
  err(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
