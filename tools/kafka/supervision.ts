/**
 * Process supervision: each node is a `java ... kafka.Kafka server.properties` child process; this
 * spawns it, stops it (gracefully or not), reports unexpected exits, and kills every broker still
 * running when this Node process exits.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import { javaBin } from './artifacts';
import type { NodeLayout } from './node-config';
import { fileSize, readTail } from './processes';

const STOP_GRACE_MS = 30_000;

/** A node and its current process. */
export interface NodeState extends NodeLayout {
  /** Sizes of the two logs when the current process was spawned: tails start there. */
  logOffsets: { server: number; stdout: number };
  proc: ChildProcess | null;
  exited: Promise<void> | null;
  lastExit: string;
  expectExit: boolean;
}

export function nodeState(layout: NodeLayout): NodeState {
  return { ...layout, logOffsets: { server: 0, stdout: 0 }, proc: null, exited: null, lastExit: '', expectExit: false };
}

export interface SupervisorOptions {
  classpath: string;
  heapMb: number;
  /** Extra `-D` options for every node's JVM. */
  jvmProperties: string[];
  log: (line: string) => void;
  /** Called when a node exits after start-up without stop()/kill() having asked it to. */
  onUnexpectedExit?: (nodeIndex: number, code: number | null, signal: NodeJS.Signals | null) => void;
}

/** The broker JVMs of one cluster. */
export class NodeSupervisor {
  /** Set once the cluster is being stopped: exits are expected from then on. */
  stopped = false;
  /** Set once the cluster first came up: earlier deaths are reported by the start-up itself. */
  started = false;

  constructor(private readonly options: SupervisorOptions) {
    installExitHooks();
  }

  spawn(node: NodeState): void {
    const { log } = this.options;
    node.logOffsets = { server: fileSize(node.serverLog), stdout: fileSize(node.stdoutLog) };
    const out = fs.openSync(node.stdoutLog, 'a');
    fs.writeSync(out, `\n===== ${new Date().toISOString()} starting node ${node.index} =====\n`);
    const args = [
      `-Xms${this.options.heapMb}m`,
      `-Xmx${this.options.heapMb}m`,
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-XX:+ExplicitGCInvokesConcurrent',
      '-Djava.awt.headless=true',
      `-Dlog4j.configuration=file:${node.log4j}`,
      `-Dkafka.logs.dir=${node.dir}`,
      ...this.options.jvmProperties,
      '-cp',
      this.options.classpath,
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
        if (!node.expectExit && !this.stopped) {
          log(`node ${node.index} (pid ${proc.pid}) exited unexpectedly (code ${code}, signal ${signal}); see ${node.serverLog}`);
          if (this.started) this.options.onUnexpectedExit?.(node.index, code, signal); // during start-up, the start reports it
        }
        resolve();
      };
      proc.once('exit', finish);
      proc.once('error', (err) => {
        log(`node ${node.index}: ${err.message}`);
        finish(null, null);
      });
    });
  }

  /** SIGTERM (SIGKILL after 30 s) or SIGKILL, and wait for the process to be gone. */
  async stop(node: NodeState, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
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
      this.options.log(`node ${node.index} did not stop within ${STOP_GRACE_MS / 1000}s of SIGTERM: SIGKILL`);
      proc.kill('SIGKILL');
    }
    await exited;
  }
}

/** The ends of a node's two logs since its current process started. */
export function nodeLogTail(node: NodeState, lines = 30): string {
  return (
    `--- ${node.stdoutLog} (last ${lines} lines) ---\n${readTail(node.stdoutLog, lines, node.logOffsets.stdout)}\n` +
    `--- ${node.serverLog} (last ${lines} lines) ---\n${readTail(node.serverLog, lines, node.logOffsets.server)}`
  );
}

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
