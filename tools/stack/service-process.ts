import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const SERVICES = ['admin', 'gateway', 'router', 'delivery'] as const;
export type ServiceName = (typeof SERVICES)[number];

const READY_MARKER = 'LIAISON_READY';

export interface RunningService {
  name: ServiceName;
  port: number;
  url: string;
  child: ChildProcess;
  /** SIGTERM and wait for a graceful exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL: a crash, for tests that prove nothing acknowledged is lost. */
  kill(): Promise<void>;
}

export interface StartServiceOptions {
  name: ServiceName;
  /** Root of the compiled tree (the `dist` folder). */
  distDir: string;
  env: NodeJS.ProcessEnv;
  port?: number;
  /** Receives each output line of the service. */
  onLine?: (line: string) => void;
  readyTimeoutMs?: number;
}

/** Starts one compiled Liaison service as a child process and waits for its ready line. */
export async function startService(options: StartServiceOptions): Promise<RunningService> {
  const main = join(options.distDir, 'apps', options.name, 'src', 'main.js');
  const child = spawn(process.execPath, ['--enable-source-maps', main], {
    env: { ...options.env, PORT: String(options.port ?? 0) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  let port: number | undefined;
  let scheme = 'http';
  const ready = new Promise<number>((resolve, reject) => {
    const onLine = (line: string): void => {
      tail.push(line);
      if (tail.length > 40) tail.shift();
      if (line.startsWith(READY_MARKER)) {
        const parsed = JSON.parse(line.slice(READY_MARKER.length)) as { port: number; scheme?: string };
        port = parsed.port;
        if (parsed.scheme === 'https') scheme = 'https';
        resolve(parsed.port);
        return;
      }
      options.onLine?.(line);
    };
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', onLine);
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', onLine);
    // 'close', not 'exit': by then every line the process printed has been read, so the tail is whole.
    child.once('close', (code, signal) => {
      if (port === undefined) reject(new Error(`${options.name} exited (${signal ?? code}) before it was ready:\n${tail.join('\n')}`));
    });
  });
  const timeout = options.readyTimeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      ready,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${options.name} not ready after ${timeout} ms:\n${tail.join('\n')}`)), timeout);
      }),
    ]);
  } catch (error: unknown) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const exited = (): boolean => child.exitCode !== null || child.signalCode !== null;
  const waitExit = async (): Promise<void> => {
    if (!exited()) await once(child, 'exit');
  };
  const resolvedPort = port as number;
  return {
    name: options.name,
    port: resolvedPort,
    url: `${scheme}://127.0.0.1:${resolvedPort}`,
    child,
    async stop(graceMs = 15_000) {
      if (exited()) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await waitExit();
      clearTimeout(killer);
    },
    async kill() {
      if (exited()) return;
      child.kill('SIGKILL');
      await waitExit();
    },
  };
}
