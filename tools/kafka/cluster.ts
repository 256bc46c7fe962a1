/**
 * Local Apache Kafka (KRaft, combined broker+controller) on the JVM, for development and tests.
 *
 * No Docker: the broker jars come from Maven Central (see tools/kafka/pom.xml) and are cached in
 * <repo>/.cache/kafka/<version>/lib. Each node is a `java ... kafka.Kafka server.properties` child
 * process whose data, config and logs live under `<dataDir>/node-<i>/`.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { Kafka, logLevel } from 'kafkajs';

/** Broker version; must match <kafka.version> in tools/kafka/pom.xml (checked at resolve time). */
export const KAFKA_VERSION = '3.9.1';

export interface KafkaClusterOptions {
  nodes: 1 | 3;
  dataDir: string;
  /** Default 19092. Node i listens on basePort+i*2 (PLAINTEXT clients) and basePort+i*2+1 (CONTROLLER). */
  basePort?: number;
  /** JVM heap per node in MiB (-Xms = -Xmx). Default 512. */
  heapMb?: number;
  /** Progress messages (not the broker's own log, which goes to <dataDir>/node-<i>/server.log). */
  log?: (line: string) => void;
  /** Wipe dataDir before starting. */
  fresh?: boolean;
  /** Readiness timeout per start-up attempt. Default 90 000 ms. */
  startTimeoutMs?: number;
  /** Called when a node exits after start-up without stop()/kill()/restart() having asked it to. */
  onUnexpectedExit?: (nodeIndex: number, code: number | null, signal: NodeJS.Signals | null) => void;
}

export interface RunningKafka {
  /** host:port of each node's client listener, e.g. ['127.0.0.1:19092']. */
  brokers: string[];
  clusterId: string;
  nodes: number;
  /** SIGTERM every node (controlled shutdown), wait for a clean exit, SIGKILL after 30 s. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL one node and wait for it to be gone (fault tests). */
  kill(nodeIndex: number): Promise<void>;
  /** Stop one node (gracefully if running), start it again, and wait until it is back in the cluster. */
  restart(nodeIndex: number): Promise<void>;
}

const DEFAULT_BASE_PORT = 19092;
const DEFAULT_HEAP_MB = 512;
const DEFAULT_START_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 30_000;
const QUORUM_LOST_GRACE_MS = 7_000;
const HOST = '127.0.0.1';
const MARKER = '.complete';

// ---------------------------------------------------------------------------------------------
// Paths

function findUp(start: string, file: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, file))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The repository root: the nearest directory above this file (or, failing that, the cwd) holding package.json. */
export function repoRoot(): string {
  const root = findUp(__dirname, 'package.json') ?? findUp(process.cwd(), 'package.json');
  if (!root) throw new Error(`cannot find the repository root (a package.json above ${__dirname} or ${process.cwd()})`);
  return root;
}

function pomPath(root: string): string {
  const candidates = [path.join(root, 'tools', 'kafka', 'pom.xml'), path.join(__dirname, 'pom.xml')];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`tools/kafka/pom.xml not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** <repo>/.cache/kafka/<version>/lib */
export function kafkaLibDir(): string {
  return path.join(repoRoot(), '.cache', 'kafka', KAFKA_VERSION, 'lib');
}

// ---------------------------------------------------------------------------------------------
// Prerequisites

function javaBin(): string {
  const home = process.env['JAVA_HOME'];
  if (home) {
    const bin = path.join(home, 'bin', 'java');
    if (fs.existsSync(bin)) return bin;
  }
  return 'java';
}

/** Throws an Error saying exactly what to install when java (17+) or mvn is missing. */
export function checkPrerequisites(): void {
  const problems: string[] = [];
  const java = spawnSync(javaBin(), ['-version'], { encoding: 'utf8' });
  if (java.error || java.status !== 0) {
    problems.push(
      'Java 17 or newer is required but `java` was not found on PATH (or JAVA_HOME). ' +
        'Install it, e.g. `apt-get install -y openjdk-17-jre-headless` (Debian/Ubuntu) or `brew install openjdk@17` (macOS).',
    );
  } else {
    const text = `${java.stderr ?? ''}${java.stdout ?? ''}`;
    const m = /version "(\d+)(?:\.(\d+))?/.exec(text);
    let major = m ? Number(m[1]) : NaN;
    if (major === 1 && m?.[2]) major = Number(m[2]); // "1.8.0_x" => 8
    if (!(major >= 17)) {
      problems.push(
        `Java 17 or newer is required but \`java -version\` reports ${m ? `version ${major}` : 'an unknown version'}. ` +
          'Install Java 17+, e.g. `apt-get install -y openjdk-17-jre-headless`, and put it first on PATH or set JAVA_HOME.',
      );
    }
  }
  const mvn = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (mvn.error || mvn.status !== 0) {
    problems.push(
      'Apache Maven is required (it downloads the Kafka broker jars from Maven Central) but `mvn` was not found on PATH. ' +
        'Install it, e.g. `apt-get install -y maven` (Debian/Ubuntu) or `brew install maven` (macOS).',
    );
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

// ---------------------------------------------------------------------------------------------
// Classpath (mvn, cached, safe for concurrent processes)

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function run(cmd: string, args: string[], cwd?: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const add = (b: Buffer) => {
      output += b.toString('utf8');
      if (output.length > 200_000) output = output.slice(-100_000);
    };
    child.stdout?.on('data', add);
    child.stderr?.on('data', add);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

const ANSI_COLOR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'); // Maven's colour codes

function tail(text: string, lines: number): string {
  return text.replace(ANSI_COLOR, '').trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Ensures the broker's runtime jars are in <repo>/.cache/kafka/<version>/lib (running mvn the first
 * time only) and returns the value for `java -cp`, i.e. `<lib>/*`.
 *
 * Concurrency: one process at a time holds `<version>/.lock` (a directory; stale locks of dead pids
 * are broken); mvn writes into a temp dir that is renamed to lib/ once complete, so lib/ is either
 * absent or whole.
 */
export async function resolveKafkaClasspath(log?: (l: string) => void): Promise<string> {
  const root = repoRoot();
  const versionDir = path.join(root, '.cache', 'kafka', KAFKA_VERSION);
  const lib = path.join(versionDir, 'lib');
  const classpath = path.join(lib, '*');
  if (fs.existsSync(path.join(lib, MARKER))) return classpath;

  const pom = pomPath(root);
  const pomVersion = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(fs.readFileSync(pom, 'utf8'))?.[1]?.trim();
  if (pomVersion !== KAFKA_VERSION) {
    throw new Error(`${pom} pins kafka.version ${pomVersion ?? '(none)'} but cluster.ts has KAFKA_VERSION ${KAFKA_VERSION}`);
  }

  fs.mkdirSync(versionDir, { recursive: true });
  const lock = path.join(versionDir, '.lock');
  const owner = path.join(lock, 'owner');
  let waitingSaid = false;
  const lockDeadline = Date.now() + 15 * 60_000;
  for (;;) {
    if (fs.existsSync(path.join(lib, MARKER))) return classpath;
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(owner, String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    // Someone else holds the lock: break it if its owner is dead (or it is very old), else wait.
    let stale = false;
    try {
      const pid = Number(fs.readFileSync(owner, 'utf8'));
      stale = Number.isInteger(pid) && pid > 0 ? !pidAlive(pid) : Date.now() - fs.statSync(lock).mtimeMs > 10_000;
    } catch {
      try {
        stale = Date.now() - fs.statSync(lock).mtimeMs > 10_000; // owner file not written yet (or gone)
      } catch {
        continue; // lock vanished: retry at once
      }
    }
    if (stale) {
      fs.rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > lockDeadline) throw new Error(`timed out waiting for ${lock} (held by another process)`);
    if (!waitingSaid) {
      log?.(`waiting for another process to finish fetching Kafka ${KAFKA_VERSION} jars`);
      waitingSaid = true;
    }
    await sleep(500);
  }

  try {
    if (fs.existsSync(path.join(lib, MARKER))) return classpath;
    const tmp = path.join(versionDir, `lib.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
    log?.(`fetching Kafka ${KAFKA_VERSION} jars with Maven into ${lib}`);
    const started = Date.now();
    try {
      const args = [
        '-B',
        '-q',
        '-Dstyle.color=never',
        '-f',
        pom,
        'dependency:copy-dependencies',
        '-DincludeScope=runtime',
        `-DoutputDirectory=${tmp}`,
      ];
      const res = await run('mvn', args, path.dirname(pom));
      if (res.code !== 0) throw new Error(`mvn ${args.join(' ')} failed (exit ${res.code}):\n${tail(res.output, 40)}`);
      const jars = fs.readdirSync(tmp).filter((f) => f.endsWith('.jar'));
      if (!jars.some((j) => j.startsWith(`kafka_2.13-${KAFKA_VERSION}`))) {
        throw new Error(`mvn succeeded but ${tmp} holds no kafka_2.13-${KAFKA_VERSION}.jar`);
      }
      fs.writeFileSync(path.join(tmp, MARKER), `${new Date().toISOString()} ${jars.length} jars\n`);
      if (fs.existsSync(lib)) fs.rmSync(lib, { recursive: true, force: true }); // incomplete leftover
      fs.renameSync(tmp, lib);
      log?.(`fetched ${jars.length} jars in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    return classpath;
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Readiness

function parseBroker(b: string): { host: string; port: number } {
  const i = b.lastIndexOf(':');
  return { host: b.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(b.slice(i + 1)) };
}

async function probeOnce(brokers: string[], timeoutMs: number): Promise<void> {
  const kafka = new Kafka({
    clientId: 'liaison-kafka-readiness',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: Math.min(3000, timeoutMs),
    requestTimeout: Math.min(5000, timeoutMs),
    retry: { retries: 0 },
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  let timer: NodeJS.Timeout | undefined;
  const work = (async () => {
    await admin.connect();
    const cluster = await admin.describeCluster();
    const ports = new Set(cluster.brokers.map((b) => b.port));
    const missing = brokers.filter((b) => !ports.has(parseBroker(b).port));
    if (missing.length > 0 || cluster.brokers.length < brokers.length) {
      throw new Error(`cluster reports ${cluster.brokers.length} broker(s); not yet registered: ${missing.join(', ')}`);
    }
    if (cluster.controller === null || cluster.controller < 0) throw new Error('no controller yet');
    await admin.fetchTopicMetadata(); // a real Metadata request for all topics
    // Consumer groups need the group coordinator, which first creates and loads __consumer_offsets
    // (kafkajs#1752): until it has, every service start logs "coordinator is loading" errors.
    // describeGroups throws (no retries here) while the coordinator is unavailable or loading.
    await admin.describeGroups(['liaison-readiness-probe']);
    // Idempotent producers ask for a producer id first, which needs the transaction coordinator.
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 500 },
    });
    await producer.connect();
    await producer.disconnect();
  })();
  try {
    await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`probe timed out after ${timeoutMs}ms`)), timeoutMs);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
    work.catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Resolves once the cluster really serves requests: describeCluster lists every broker in `brokers`
 * (matched by port) with a controller, and a Metadata request succeeds. Rejects after timeoutMs
 * with the last error (or soon after `signal` is aborted).
 */
export async function waitForKafka(brokers: string[], timeoutMs: number, signal?: AbortSignal): Promise<void> {
  if (brokers.length === 0) throw new Error('waitForKafka: no brokers given');
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    if (signal?.aborted) throw new Error('waitForKafka: aborted');
    const left = deadline - Date.now();
    if (left <= 0) break;
    try {
      await probeOnce(brokers, Math.min(left, 10_000));
      return;
    } catch (err) {
      last = err;
    }
    await sleep(Math.min(500, Math.max(0, deadline - Date.now())));
  }
  throw new Error(`Kafka at ${brokers.join(',')} not ready after ${timeoutMs}ms: ${last instanceof Error ? last.message : String(last)}`);
}

// ---------------------------------------------------------------------------------------------
// Child process bookkeeping: kill every broker we started when this process exits.

const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

function killAllChildren(): void {
  for (const child of liveChildren) {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
  liveChildren.clear();
}

function installExitHooks(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', killAllChildren);
  // A signal with no handler kills Node without running 'exit' handlers. When nobody else handles
  // the signal, kill the brokers and re-raise it; when the host has its own handler, leave it be
  // (it is expected to call stop()).
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = () => {
      if (process.listenerCount(sig) > 1) return;
      killAllChildren();
      process.removeListener(sig, handler);
      process.kill(process.pid, sig);
    };
    process.on(sig, handler);
  }
}

// ---------------------------------------------------------------------------------------------
// Cluster

interface NodeState {
  index: number;
  dir: string;
  props: string;
  log4j: string;
  toolsLog4j: string;
  logDir: string;
  serverLog: string;
  stdoutLog: string;
  /** Sizes of the two logs when the current process was spawned: tails start there. */
  logOffsets: { server: number; stdout: number };
  clientPort: number;
  controllerPort: number;
  proc: ChildProcess | null;
  exited: Promise<void> | null;
  lastExit: string;
  expectExit: boolean;
}

function writeNodeConfig(node: NodeState, nodes: number, voters: string): void {
  const single = nodes === 1;
  const props: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': node.index + 1,
    'controller.quorum.voters': voters,
    listeners: `PLAINTEXT://${HOST}:${node.clientPort},CONTROLLER://${HOST}:${node.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${HOST}:${node.clientPort}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': node.logDir,
    'num.partitions': 3,
    'auto.create.topics.enable': false,
    'group.initial.rebalance.delay.ms': 0,
    'default.replication.factor': single ? 1 : 3,
    'min.insync.replicas': single ? 1 : 2,
    'offsets.topic.replication.factor': single ? 1 : 3,
    'transaction.state.log.replication.factor': single ? 1 : 3,
    'transaction.state.log.min.isr': single ? 1 : 2,
    'num.network.threads': 2,
    'num.io.threads': 4,
    'num.recovery.threads.per.data.dir': 1,
    'log.retention.hours': 168,
    'log.segment.bytes': 64 * 1024 * 1024,
    'delete.topic.enable': true,
    // Faster fencing of a dead node (default 9000/2000): leadership moves in ~6 s, inside the
    // ~8.5 s that a kafkajs producer's default retries last, so a send during a failover succeeds.
    ...(single ? {} : { 'broker.session.timeout.ms': 6000, 'broker.heartbeat.interval.ms': 1500 }),
  };
  const text =
    `# Generated by tools/kafka/cluster.ts (node ${node.index} of ${nodes}); rewritten on every start.\n` +
    Object.entries(props)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') +
    '\n';
  fs.writeFileSync(node.props, text);

  const esc = (p: string) => p.replace(/\\/g, '/');
  const log4j = [
    '# Generated by tools/kafka/cluster.ts. Everything INFO+ goes to server.log; only WARN+ to the console.',
    'log4j.rootLogger=INFO, file, stdout',
    'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
    'log4j.appender.stdout.Threshold=WARN',
    'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
    `log4j.appender.stdout.layout.ConversionPattern=[%d] %p [node ${node.index}] %m (%c)%n`,
    'log4j.appender.file=org.apache.log4j.RollingFileAppender',
    `log4j.appender.file.File=${esc(node.serverLog)}`,
    'log4j.appender.file.MaxFileSize=20MB',
    'log4j.appender.file.MaxBackupIndex=3',
    'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
    'log4j.logger.kafka=INFO',
    'log4j.logger.org.apache.kafka=INFO',
    'log4j.logger.kafka.request.logger=WARN',
    'log4j.logger.kafka.network.RequestChannel$=WARN',
    'log4j.logger.state.change.logger=WARN',
    'log4j.logger.kafka.authorizer.logger=WARN',
    'log4j.logger.org.apache.zookeeper=WARN',
    '',
  ].join('\n');
  fs.writeFileSync(node.log4j, log4j);
  // For StorageTool: console only, so server.log holds nothing but the broker's own log.
  fs.writeFileSync(
    node.toolsLog4j,
    [
      'log4j.rootLogger=WARN, stderr',
      'log4j.appender.stderr=org.apache.log4j.ConsoleAppender',
      'log4j.appender.stderr.Target=System.err',
      'log4j.appender.stderr.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n',
      '',
    ].join('\n'),
  );
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function readTail(file: string, lines: number, from = 0): string {
  try {
    const st = fs.statSync(file);
    const start = st.size >= from ? Math.max(from, st.size - 64 * 1024) : Math.max(0, st.size - 64 * 1024); // rotated: from 0
    const len = st.size - start;
    if (len <= 0) return '(nothing)';
    const buf = Buffer.alloc(len);
    const fd = fs.openSync(file, 'r');
    try {
      fs.readSync(fd, buf, 0, len, start);
    } finally {
      fs.closeSync(fd);
    }
    return tail(buf.toString('utf8'), lines);
  } catch {
    return '(no output)';
  }
}

function nodeLogTail(node: NodeState, lines = 30): string {
  return (
    `--- ${node.stdoutLog} (last ${lines} lines) ---\n${readTail(node.stdoutLog, lines, node.logOffsets.stdout)}\n` +
    `--- ${node.serverLog} (last ${lines} lines) ---\n${readTail(node.serverLog, lines, node.logOffsets.server)}`
  );
}

function checkPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: HOST, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

async function formatNode(classpath: string, node: NodeState, clusterId: string): Promise<void> {
  const res = await run(javaBin(), [
    `-Dlog4j.configuration=file:${node.toolsLog4j}`,
    '-cp',
    classpath,
    'kafka.tools.StorageTool',
    'format',
    '-t',
    clusterId,
    '-c',
    node.props,
    '--ignore-formatted',
  ]);
  if (res.code !== 0) {
    throw new Error(`formatting node ${node.index} (${node.logDir}) failed (exit ${res.code}):\n${tail(res.output, 30)}`);
  }
}

function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url'); // Kafka's Uuid string form: 22 chars, base64url, no padding
    if (!id.startsWith('-')) return id;
  }
}

interface ClusterMeta {
  clusterId: string;
  nodes: number;
  basePort: number;
  kafkaVersion: string;
}

/**
 * Starts a KRaft cluster of `nodes` combined broker+controller JVMs on 127.0.0.1 and resolves once
 * waitForKafka() succeeds. Reuses dataDir (same cluster id) unless `fresh`.
 */
export async function startKafka(opts: KafkaClusterOptions): Promise<RunningKafka> {
  const log = opts.log ?? (() => undefined);
  const nodes = opts.nodes;
  if (nodes !== 1 && nodes !== 3) throw new Error(`nodes must be 1 or 3, got ${String(nodes)}`);
  const basePort = opts.basePort ?? DEFAULT_BASE_PORT;
  const heapMb = opts.heapMb ?? DEFAULT_HEAP_MB;
  const startTimeoutMs = opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  if (!Number.isInteger(basePort) || basePort < 1024 || basePort + nodes * 2 > 65535) {
    throw new Error(`basePort must be an integer in 1024..${65535 - nodes * 2}, got ${basePort}`);
  }
  const dataDir = path.resolve(opts.dataDir);

  checkPrerequisites();

  // Ports first: a clear message beats a broker dying with BindException.
  for (let i = 0; i < nodes; i++) {
    for (const [port, what] of [
      [basePort + i * 2, 'client (PLAINTEXT)'],
      [basePort + i * 2 + 1, 'CONTROLLER'],
    ] as const) {
      if (!(await checkPortFree(port))) {
        throw new Error(
          `port ${port} (node ${i} ${what} listener) on ${HOST} is already in use: ` +
            `stop whatever listens there (another Kafka? check \`ps aux | grep kafka.Kafka\`) or choose another basePort`,
        );
      }
    }
  }

  const classpath = await resolveKafkaClasspath(log);

  if (opts.fresh) fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const metaFile = path.join(dataDir, 'cluster.json');
  let clusterId: string;
  if (fs.existsSync(metaFile)) {
    const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as ClusterMeta;
    if (meta.nodes !== nodes || meta.basePort !== basePort) {
      throw new Error(
        `${dataDir} holds a ${meta.nodes}-node cluster on base port ${meta.basePort}; ` +
          `it cannot be reused for ${nodes} node(s) on base port ${basePort}: use another dataDir or fresh: true`,
      );
    }
    clusterId = meta.clusterId;
  } else {
    clusterId = newClusterId();
    const meta: ClusterMeta = { clusterId, nodes, basePort, kafkaVersion: KAFKA_VERSION };
    fs.writeFileSync(metaFile, JSON.stringify(meta, null, 2) + '\n');
  }

  const state: NodeState[] = [];
  for (let i = 0; i < nodes; i++) {
    const dir = path.join(dataDir, `node-${i}`);
    fs.mkdirSync(dir, { recursive: true });
    state.push({
      index: i,
      dir,
      props: path.join(dir, 'server.properties'),
      log4j: path.join(dir, 'log4j.properties'),
      toolsLog4j: path.join(dir, 'log4j-tools.properties'),
      logDir: path.join(dir, 'data'),
      serverLog: path.join(dir, 'server.log'),
      stdoutLog: path.join(dir, 'stdout.log'),
      logOffsets: { server: 0, stdout: 0 },
      clientPort: basePort + i * 2,
      controllerPort: basePort + i * 2 + 1,
      proc: null,
      exited: null,
      lastExit: '',
      expectExit: false,
    });
  }
  const voters = state.map((n) => `${n.index + 1}@${HOST}:${n.controllerPort}`).join(',');
  for (const n of state) writeNodeConfig(n, nodes, voters);
  const brokers = state.map((n) => `${HOST}:${n.clientPort}`);

  const unformatted = state.filter((n) => !fs.existsSync(path.join(n.logDir, 'meta.properties')));
  if (unformatted.length > 0) {
    log(`formatting storage of ${unformatted.length} node(s) in ${dataDir} (cluster id ${clusterId})`);
    await Promise.all(unformatted.map((n) => formatNode(classpath, n, clusterId)));
  } else {
    log(`reusing ${dataDir} (cluster id ${clusterId})`);
  }

  installExitHooks();
  let stopped = false;
  let started = false;

  const spawnNode = (node: NodeState): void => {
    node.logOffsets = { server: fileSize(node.serverLog), stdout: fileSize(node.stdoutLog) };
    const out = fs.openSync(node.stdoutLog, 'a');
    fs.writeSync(out, `\n===== ${new Date().toISOString()} starting node ${node.index} =====\n`);
    const args = [
      `-Xms${heapMb}m`,
      `-Xmx${heapMb}m`,
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-XX:+ExplicitGCInvokesConcurrent',
      '-Djava.awt.headless=true',
      `-Dlog4j.configuration=file:${node.log4j}`,
      `-Dkafka.logs.dir=${node.dir}`,
      '-cp',
      classpath,
      'kafka.Kafka',
      node.props,
    ];
    let proc: ChildProcess;
    try {
      proc = spawn(javaBin(), args, { cwd: node.dir, stdio: ['ignore', out, out], detached: false });
    } finally {
      fs.closeSync(out); // the child has its own copy
    }
    node.proc = proc;
    node.expectExit = false;
    liveChildren.add(proc);
    node.exited = new Promise<void>((resolve) => {
      let done = false;
      const finish = (code: number | null, signal: NodeJS.Signals | null) => {
        if (done) return;
        done = true;
        node.lastExit = signal ? `signal ${signal}` : `exit code ${code}`;
        liveChildren.delete(proc);
        if (node.proc === proc) node.proc = null;
        if (!node.expectExit && !stopped) {
          log(`node ${node.index} (pid ${proc.pid}) exited unexpectedly (code ${code}, signal ${signal}); see ${node.serverLog}`);
          if (started) opts.onUnexpectedExit?.(node.index, code, signal); // during start-up, startAll() reports it
        }
        resolve();
      };
      proc.once('exit', finish);
      proc.once('error', (err) => {
        log(`node ${node.index}: ${err.message}`);
        finish(null, null);
      });
    });
  };

  const stopNode = async (node: NodeState, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> => {
    const proc = node.proc;
    const exited = node.exited;
    if (!proc || !exited) return;
    node.expectExit = true;
    proc.kill(signal);
    if (signal === 'SIGTERM') {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        exited.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), STOP_GRACE_MS);
        }),
      ]);
      if (timer) clearTimeout(timer);
      if (!timedOut) return;
      log(`node ${node.index} did not stop within ${STOP_GRACE_MS / 1000}s of SIGTERM: SIGKILL`);
      proc.kill('SIGKILL');
    }
    await exited;
  };

  /** Resolves when the given brokers are ready; rejects early with the log tail if a watched node dies. */
  const awaitReady = async (watch: NodeState[], expectBrokers: string[]): Promise<void> => {
    const ac = new AbortController();
    const deaths = watch.map(
      (n) =>
        new Promise<never>((_, reject) => {
          const exited = n.exited;
          if (!exited) return;
          void exited.then(() => {
            if (!ac.signal.aborted) {
              reject(new Error(`node ${n.index} exited during start-up (${n.lastExit}):\n${nodeLogTail(n)}`));
            }
          });
        }),
    );
    try {
      const ready = waitForKafka(expectBrokers, startTimeoutMs, ac.signal);
      ready.catch(() => undefined); // when a death wins the race, the poll is aborted below
      await Promise.race([ready, ...deaths]);
    } finally {
      ac.abort();
      for (const d of deaths) d.catch(() => undefined);
    }
  };

  const startAll = async (): Promise<void> => {
    const maxAttempts = 2;
    for (let attempt = 1; ; attempt++) {
      const t0 = Date.now();
      log(`starting ${nodes} node(s) (attempt ${attempt}/${maxAttempts}; logs in ${dataDir}/node-*/server.log)`);
      for (const n of state) spawnNode(n); // all at once: the quorum needs a majority
      try {
        await awaitReady(state, brokers);
        log(`Kafka ${KAFKA_VERSION} ready at ${brokers.join(',')} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
        return;
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        await Promise.all(state.map((n) => stopNode(n, 'SIGKILL')));
        if (attempt >= maxAttempts) {
          const tails = msg.includes('exited during start-up') ? '' : '\n' + state.map((n) => nodeLogTail(n, 15)).join('\n');
          throw new Error(`Kafka failed to start: ${msg}${tails}`);
        }
        log(`start-up attempt ${attempt} failed (${msg.split('\n')[0]}); retrying`);
      }
    }
  };

  await startAll();
  started = true;

  const nodeAt = (i: number): NodeState => {
    const n = state[i];
    if (!n) throw new Error(`node index ${i} out of range 0..${nodes - 1}`);
    return n;
  };

  return {
    brokers,
    clusterId,
    nodes,
    async stop() {
      stopped = true;
      // All at once: in combined mode each node's broker asks the (still running) controller quorum
      // for controlled shutdown before its controller stops, so a simultaneous SIGTERM keeps a majority.
      // If a slow node is still waiting for that approval once a majority of the voters has exited,
      // it cannot get it (it would wait 5 minutes): SIGKILL it after a short grace that still lets
      // a finished node complete its graceful Raft resignation (up to 5 s).
      const majority = Math.floor(nodes / 2) + 1;
      const running = state.filter((n) => n.proc !== null);
      let killTimer: NodeJS.Timeout | undefined;
      const onExit = () => {
        const left = state.filter((n) => n.proc !== null);
        if (left.length === 0 || left.length >= majority || killTimer) return;
        killTimer = setTimeout(() => {
          for (const n of state) {
            if (!n.proc) continue;
            log(`node ${n.index} still running ${QUORUM_LOST_GRACE_MS / 1000}s after the controller quorum lost its majority: SIGKILL`);
            n.proc.kill('SIGKILL');
          }
        }, QUORUM_LOST_GRACE_MS);
      };
      for (const n of running) void n.exited?.then(onExit);
      try {
        const stopping = Promise.all(running.map((n) => stopNode(n, 'SIGTERM')));
        onExit(); // already a minority (nodes were killed)? then the grace starts now
        await stopping;
      } finally {
        if (killTimer) clearTimeout(killTimer);
      }
    },
    async kill(i: number) {
      await stopNode(nodeAt(i), 'SIGKILL');
    },
    async restart(i: number) {
      const node = nodeAt(i);
      if (stopped) throw new Error('cluster was stopped');
      await stopNode(node, 'SIGTERM');
      spawnNode(node);
      const alive = state.filter((n) => n.proc !== null);
      await awaitReady(
        [node],
        alive.map((n) => `${HOST}:${n.clientPort}`),
      );
    },
  };
}
