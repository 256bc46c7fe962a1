/**
 * Local Apache Kafka (KRaft, combined broker+controller) on the JVM, for development and tests,
 * secured as in production: clients need TLS and SASL, the controller listener mutual TLS, and the
 * StandardAuthorizer allows only what ACLs grant (docs/security.md).
 *
 * No Docker: the broker jars come from Maven Central and are cached (artifacts.ts). Each node is a
 * child process (supervision.ts) whose configuration (node-config.ts), data and logs live under
 * `<dataDir>/node-<i>/`; the cluster's CA, certificates and credentials under `<dataDir>/security/`
 * (security.ts). This file puts them together and keeps the public API in one place.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { BOOTSTRAP_ADMIN_PRINCIPAL } from '@liaison/messaging';
import { checkPrerequisites, KAFKA_VERSION, resolveKafkaClasspath } from './artifacts';
import { formatNode, HOST, isFormatted, nodeLayout, securityJvmProperties, writeNodeConfig } from './node-config';
import { waitForKafka } from './readiness';
import { clientSecurity, ensureSecurityMaterial, securityDir, type KafkaClientSecurity, type SecurityMaterial } from './security';
import { NodeSupervisor, nodeLogTail, nodeState, type NodeState } from './supervision';

export { checkPrerequisites, KAFKA_VERSION, kafkaLibDir, repoRoot, resolveKafkaClasspath } from './artifacts';
export { waitForKafka } from './readiness';
export {
  clientSecurity,
  ensureSecurityMaterial,
  jwksOf,
  kafkaEnvFor,
  loadSecurityMaterial,
  SCRAM_PRINCIPALS,
  securityDir,
  securitySettingsFor,
  serviceKafkaEnv,
  type KafkaClientSecurity,
  type SecurityMaterial,
} from './security';

export interface KafkaClusterOptions {
  nodes: 1 | 3;
  dataDir: string;
  /** Default 19092. Node i listens on basePort+i*2 (SASL_SSL clients) and basePort+i*2+1 (CONTROLLER, mutual TLS). */
  basePort?: number;
  /** JVM heap per node in MiB (-Xms = -Xmx). Default 512. */
  heapMb?: number;
  /** Progress messages (not the broker's own log, which goes to <dataDir>/node-<i>/server.log). */
  log?: (line: string) => void;
  /** Wipe dataDir (its security material included) before starting. */
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
  /** The cluster's CA, credentials and signing key (under `<dataDir>/security/`). */
  security: SecurityMaterial;
  /** TLS + SCRAM-SHA-512 options for a kafkajs client acting as `principal` (default: the bootstrap admin). */
  clientSecurity(principal?: string): KafkaClientSecurity;
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
const QUORUM_LOST_GRACE_MS = 7_000;

function checkPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: HOST, exclusive: true }, () => srv.close(() => resolve(true)));
  });
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
      [basePort + i * 2, 'client (SASL_SSL)'],
      [basePort + i * 2 + 1, 'CONTROLLER (SSL)'],
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

  const state = Array.from({ length: nodes }, (_, i) => nodeState(nodeLayout(dataDir, i, basePort)));
  for (const n of state) fs.mkdirSync(n.dir, { recursive: true });
  const unformatted = state.filter((n) => !isFormatted(n));
  // SCRAM users are written at format time: a directory formatted without this material (before
  // Kafka security existed here) has no users, and nobody could ever connect to it.
  if (unformatted.length < nodes && !fs.existsSync(securityDir(dataDir))) {
    throw new Error(
      `${dataDir} was formatted without Kafka security material (no ${securityDir(dataDir)}), so its metadata holds no SCRAM users: ` +
        'delete the directory (or start with fresh: true / --fresh) to create a secured cluster',
    );
  }
  const security = await ensureSecurityMaterial(dataDir, log);
  const voters = state.map((n) => `${n.index + 1}@${HOST}:${n.controllerPort}`).join(',');
  for (const n of state) writeNodeConfig(n, nodes, voters, security);
  const brokers = state.map((n) => `${HOST}:${n.clientPort}`);

  if (unformatted.length > 0) {
    log(`formatting storage of ${unformatted.length} node(s) in ${dataDir} (cluster id ${clusterId})`);
    await Promise.all(unformatted.map((n) => formatNode(classpath, n, clusterId, security.passwords)));
  } else {
    log(`reusing ${dataDir} (cluster id ${clusterId})`);
  }
  const probeSecurity = clientSecurity(security, BOOTSTRAP_ADMIN_PRINCIPAL);

  const supervisor = new NodeSupervisor({
    classpath,
    heapMb,
    jvmProperties: securityJvmProperties(security),
    log,
    onUnexpectedExit: opts.onUnexpectedExit,
  });

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
      const ready = waitForKafka(expectBrokers, startTimeoutMs, { signal: ac.signal, security: probeSecurity });
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
      for (const n of state) supervisor.spawn(n); // all at once: the quorum needs a majority
      try {
        await awaitReady(state, brokers);
        log(`Kafka ${KAFKA_VERSION} ready at ${brokers.join(',')} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
        return;
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        await Promise.all(state.map((n) => supervisor.stop(n, 'SIGKILL')));
        if (attempt >= maxAttempts) {
          const tails = msg.includes('exited during start-up') ? '' : '\n' + state.map((n) => nodeLogTail(n, 15)).join('\n');
          throw new Error(`Kafka failed to start: ${msg}${tails}`);
        }
        log(`start-up attempt ${attempt} failed (${msg.split('\n')[0]}); retrying`);
      }
    }
  };

  await startAll();
  supervisor.started = true;

  const nodeAt = (i: number): NodeState => {
    const n = state[i];
    if (!n) throw new Error(`node index ${i} out of range 0..${nodes - 1}`);
    return n;
  };

  return {
    brokers,
    clusterId,
    nodes,
    security,
    clientSecurity: (principal = BOOTSTRAP_ADMIN_PRINCIPAL) => clientSecurity(security, principal),
    async stop() {
      supervisor.stopped = true;
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
        const stopping = Promise.all(running.map((n) => supervisor.stop(n, 'SIGTERM')));
        onExit(); // already a minority (nodes were killed)? then the grace starts now
        await stopping;
      } finally {
        if (killTimer) clearTimeout(killTimer);
      }
    },
    async kill(i: number) {
      await supervisor.stop(nodeAt(i), 'SIGKILL');
    },
    async restart(i: number) {
      const node = nodeAt(i);
      if (supervisor.stopped) throw new Error('cluster was stopped');
      await supervisor.stop(node, 'SIGTERM');
      supervisor.spawn(node);
      const alive = state.filter((n) => n.proc !== null);
      await awaitReady(
        [node],
        alive.map((n) => `${HOST}:${n.clientPort}`),
      );
    },
  };
}
