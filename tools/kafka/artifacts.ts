/**
 * The broker's artifacts: the repository root, the JVM and tools it needs, and the runtime jars from
 * Maven Central (see tools/kafka/pom.xml), cached in <repo>/.cache/kafka/<version>/lib.
 */
import { spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { pidAlive, run, sleep, tail } from './processes';

/** Broker version; must match <kafka.version> in tools/kafka/pom.xml (checked at resolve time). */
export const KAFKA_VERSION = '3.9.1';

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

export function javaBin(): string {
  const home = process.env['JAVA_HOME'];
  if (home) {
    const bin = path.join(home, 'bin', 'java');
    if (fs.existsSync(bin)) return bin;
  }
  return 'java';
}

/** Throws an Error saying exactly what to install when java (17+), mvn or openssl is missing. */
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
  // The per-cluster CA and broker certificates (security.ts) are made with the openssl CLI.
  const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  if (openssl.error || openssl.status !== 0) {
    problems.push(
      "The openssl command is required (it creates the cluster's TLS certificates) but `openssl` was not found on PATH. " +
        'Install it, e.g. `apt-get install -y openssl` (Debian/Ubuntu); macOS ships it.',
    );
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

// ---------------------------------------------------------------------------------------------
// Classpath (mvn, cached, safe for concurrent processes)

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
    throw new Error(`${pom} pins kafka.version ${pomVersion ?? '(none)'} but artifacts.ts has KAFKA_VERSION ${KAFKA_VERSION}`);
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
