/**
 * CLI for the local Kafka cluster.
 *
 *   node dist/tools/kafka/main.js start [--nodes 1|3] [--data-dir DIR] [--base-port N] [--heap-mb N] [--fresh]
 *   node dist/tools/kafka/main.js fetch
 *   node dist/tools/kafka/main.js compose-init --data-dir DIR --host NAME --log-dir DIR [--owner UID:GID] [--ca-out DIR] [--signing-key-out DIR]
 *
 * `start` runs in the foreground, prints the bootstrap brokers string (alone, on stdout) once the
 * cluster serves requests, and stops it cleanly on SIGINT/SIGTERM. Progress goes to stderr.
 * `fetch` only downloads/caches the broker jars (CI uses it to warm the cache).
 * `compose-init` prepares a secured broker for docker-compose.yml (see composeInit below).
 */
import * as path from 'path';
import * as fs from 'fs';
import { BOOTSTRAP_ADMIN_PRINCIPAL } from '@liaison/messaging';
import { KAFKA_VERSION, repoRoot, resolveKafkaClasspath, SCRAM_PRINCIPALS, startKafka, type RunningKafka } from './cluster';
import { newClusterId, nodeLayout, securityJvmProperties, writeNodeConfig } from './node-config';
import { ensureSecurityMaterial } from './security';

const USAGE = `usage:
  main.js start [--nodes 1|3] [--data-dir DIR] [--base-port N] [--heap-mb N] [--fresh]
      Start a local Kafka ${KAFKA_VERSION} cluster (KRaft) in the foreground; prints the brokers
      string when ready; Ctrl-C (SIGINT) or SIGTERM stops it cleanly.
      Defaults: --nodes 1, --data-dir <repo>/.cache/kafka/data-<nodes>n, --base-port 19092,
      --heap-mb 512 (per node). Data is kept between runs unless --fresh.
  main.js fetch
      Download the broker jars with Maven into <repo>/.cache/kafka/${KAFKA_VERSION}/lib (no-op when cached).
  main.js compose-init --data-dir DIR --host NAME --log-dir DIR [--owner UID:GID] [--ca-out DIR] [--signing-key-out DIR]
      For docker-compose.yml: create DIR/security/ (CA, broker certificate for NAME, signing key, JWKS; SCRAM
      passwords from KAFKA_PASSWORD_BROKER, _BOOTSTRAP_ADMIN, _GATEWAY, _ROUTER, _DELIVERY, _ADMIN), the
      broker's DIR/node-0/server.properties (data in --log-dir), DIR/start.sh (format with the SCRAM users
      once, then run the broker) and DIR/client.properties (the bootstrap admin, for Kafka's CLI tools);
      copies ca.pem and oauth-signing-key.pem to the --ca-out and --signing-key-out directories.
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

/** KAFKA_PASSWORD_GATEWAY for liaison-gateway, KAFKA_PASSWORD_BOOTSTRAP_ADMIN for liaison-bootstrap-admin, … */
function passwordVariable(principal: string): string {
  return `KAFKA_PASSWORD_${principal
    .replace(/^liaison-/, '')
    .toUpperCase()
    .replace(/-/g, '_')}`;
}

/**
 * Everything the apache/kafka container needs to run secured like the project's own broker, made
 * by the same code (security.ts, node-config.ts) so the two cannot drift. Idempotent: existing
 * material and cluster id are kept; the configuration files are rewritten.
 */
async function composeInit(flags: Map<string, string | true>): Promise<void> {
  const known = new Set(['data-dir', 'host', 'log-dir', 'owner', 'ca-out', 'signing-key-out']);
  for (const k of flags.keys()) if (!known.has(k)) throw new Error(`unknown option --${k}\n${USAGE}`);
  const value = (name: string): string => {
    const v = flags.get(name);
    if (typeof v !== 'string' || v === '') throw new Error(`compose-init needs --${name}\n${USAGE}`);
    return v;
  };
  const dataDir = path.resolve(value('data-dir'));
  const host = value('host');
  const logDir = value('log-dir');
  const problems: string[] = [];
  const passwords: Record<string, string> = {};
  for (const principal of SCRAM_PRINCIPALS) {
    const name = passwordVariable(principal);
    const password = process.env[name] ?? '';
    // Hex or base64url: nothing that the format tool's or JAAS syntax would need quoted.
    if (!/^[A-Za-z0-9_-]{16,}$/.test(password))
      problems.push(`${name} must be at least 16 characters of [A-Za-z0-9_-] (e.g. openssl rand -hex 24)`);
    else passwords[principal] = password;
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));

  fs.mkdirSync(dataDir, { recursive: true });
  const security = await ensureSecurityMaterial(dataDir, err, { hostnames: [host], passwords });
  const mismatched = SCRAM_PRINCIPALS.filter((p) => security.passwords[p] !== passwords[p]);
  if (mismatched.length > 0) {
    // SCRAM users were written when the storage was formatted; changing them takes Kafka's own tooling.
    throw new Error(`${security.credentialsFile} holds other passwords for ${mismatched.join(', ')} than the environment gives`);
  }
  const metaFile = path.join(dataDir, 'cluster.json');
  const clusterId = fs.existsSync(metaFile)
    ? (JSON.parse(fs.readFileSync(metaFile, 'utf8')) as { clusterId: string }).clusterId
    : newClusterId();
  fs.writeFileSync(metaFile, JSON.stringify({ clusterId, nodes: 1, kafkaVersion: KAFKA_VERSION }, null, 2) + '\n');
  const node = { ...nodeLayout(dataDir, 0, 9092), logDir };
  fs.mkdirSync(node.dir, { recursive: true });
  writeNodeConfig(node, 1, `1@127.0.0.1:${node.controllerPort}`, security, { bind: '0.0.0.0', advertised: host });
  const scram = SCRAM_PRINCIPALS.map((p) => `--add-scram 'SCRAM-SHA-512=[name=${p},password=${passwords[p]}]'`).join(' ');
  const start = [
    '#!/bin/sh',
    '# Generated by tools/kafka/main.ts compose-init. Formats the storage once (with the SCRAM users), then runs the broker.',
    'set -e',
    `/opt/kafka/bin/kafka-storage.sh format --ignore-formatted -t ${clusterId} -c ${node.props} ${scram}`,
    `export KAFKA_OPTS="${securityJvmProperties(security).join(' ')}"`,
    `exec /opt/kafka/bin/kafka-server-start.sh ${node.props}`,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dataDir, 'start.sh'), start, { mode: 0o700 });
  const client = [
    "# The bootstrap admin, for Kafka's CLI tools (healthcheck, operators): --command-config this file.",
    'security.protocol=SASL_SSL',
    'sasl.mechanism=SCRAM-SHA-512',
    `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${BOOTSTRAP_ADMIN_PRINCIPAL}" password="${passwords[BOOTSTRAP_ADMIN_PRINCIPAL]}";`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${security.caFile}`,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dataDir, 'client.properties'), client, { mode: 0o600 });
  // Copies for the services, so each container mounts only what it needs: every service the CA,
  // the admin service also the signing key; none of them the broker's key or the passwords.
  const copies: string[] = [];
  for (const [flag, file] of [
    ['ca-out', security.caFile],
    ['signing-key-out', security.oauthSigningKeyFile],
  ] as const) {
    const out = flags.get(flag);
    if (typeof out !== 'string') continue;
    fs.mkdirSync(out, { recursive: true });
    fs.copyFileSync(file, path.join(out, path.basename(file)));
    fs.chmodSync(path.join(out, path.basename(file)), 0o600);
    copies.push(out);
  }
  const owner = flags.get('owner');
  if (typeof owner === 'string') {
    const [uid, gid] = owner.split(':').map(Number);
    if (uid === undefined || gid === undefined || !Number.isInteger(uid) || !Number.isInteger(gid))
      throw new Error('--owner needs UID:GID');
    const chownAll = (p: string): void => {
      fs.chownSync(p, uid, gid);
      if (fs.statSync(p).isDirectory()) for (const child of fs.readdirSync(p)) chownAll(path.join(p, child));
    };
    for (const dir of [dataDir, ...copies]) chownAll(dir);
  }
  err(`compose broker prepared in ${dataDir} (cluster id ${clusterId}, certificate for ${host})`);
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
    case 'compose-init':
      await composeInit(flags);
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
