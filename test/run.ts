/**
 * `npm test`: acquires Kafka and PostgreSQL once for the whole run (see harness/infrastructure.ts),
 * runs every compiled test file with node's test runner, prints a summary, and gives everything back.
 *
 *   npm test                 every unit, integration and end-to-end test
 *   npm test -- e2e policy   only the files whose path contains one of the words
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../tools/kafka/cluster';
import { acquireInfrastructure } from './harness/infrastructure';
import { KAFKA_SECURITY_DIR_VARIABLE } from './harness/test-env';

const say = (line: string): void => console.log(`[test] ${line}`);

function findTests(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (/\.(spec|test)\.js$/.test(name)) found.push(path);
  }
  return found.sort();
}

async function main(): Promise<number> {
  const root = repoRoot();
  const dist = join(root, 'dist');
  const filters = process.argv.slice(2);
  const files = ['libs', 'apps', 'tools', 'test']
    .flatMap((d) => findTests(join(dist, d)))
    .filter((f) => filters.length === 0 || filters.some((w) => relative(dist, f).includes(w)));
  if (files.length === 0) {
    say(`no test file matches ${filters.join(' ')}`);
    return 1;
  }
  const started = Date.now();
  const infra = await acquireInfrastructure(say);
  let code = 1;
  try {
    // .liaison/ exists only once a project Kafka ran here; with KAFKA_BROKERS set it may not.
    mkdirSync(join(root, '.liaison'), { recursive: true });
    const tapFile = join(root, '.liaison', 'last-test-run.tap');
    const child = spawn(
      process.execPath,
      [
        '--enable-source-maps',
        '--test',
        `--test-concurrency=${process.env['TEST_CONCURRENCY'] ?? '2'}`,
        '--test-timeout=300000',
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        '--test-reporter=tap',
        `--test-reporter-destination=${tapFile}`,
        ...files,
      ],
      {
        stdio: 'inherit',
        env: {
          ...process.env,
          KAFKA_BROKERS: infra.brokers,
          [KAFKA_SECURITY_DIR_VARIABLE]: infra.kafkaSecurityDir,
          DATABASE_URL: infra.databaseUrl,
        },
      },
    );
    const stop = (): void => {
      child.kill('SIGINT');
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    code = await new Promise<number>((resolve) => child.once('exit', (c, signal) => resolve(c ?? (signal ? 130 : 1))));
    const summary = summarise(tapFile);
    say(`${files.length} files, ${((Date.now() - started) / 1000).toFixed(1)} s, Kafka: ${infra.kafkaSource}`);
    if (summary !== undefined) {
      console.log(`tests: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
      if (summary.passed === 0 || summary.failed > 0) code = code === 0 ? 1 : code;
    }
  } finally {
    await infra.release();
  }
  return code;
}

function summarise(tapFile: string): { passed: number; failed: number; skipped: number } | undefined {
  let tap: string;
  try {
    tap = readFileSync(tapFile, 'utf8');
  } catch {
    return undefined;
  }
  const count = (name: string): number => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
  return { passed: count('pass'), failed: count('fail') + count('cancelled'), skipped: count('skipped') + count('todo') };
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
