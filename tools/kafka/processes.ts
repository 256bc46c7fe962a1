/** Small helpers for running and watching child processes, shared by the Kafka launcher's parts. */
import { spawn } from 'child_process';
import * as fs from 'fs';

export const sleep = (ms: number): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs a command to completion, keeping (the end of) its combined output. */
export function run(cmd: string, args: string[], cwd?: string): Promise<{ code: number | null; output: string }> {
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

export function tail(text: string, lines: number): string {
  return text.replace(ANSI_COLOR, '').trimEnd().split('\n').slice(-lines).join('\n');
}

export function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** The last `lines` lines of a file written after byte `from` (from 0 when the file was rotated meanwhile). */
export function readTail(file: string, lines: number, from = 0): string {
  try {
    const st = fs.statSync(file);
    const start = st.size >= from ? Math.max(from, st.size - 64 * 1024) : Math.max(0, st.size - 64 * 1024);
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
