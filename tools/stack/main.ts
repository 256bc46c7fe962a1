/**
 * The stack launcher: `npm start` (= `up --demo`) brings up Kafka, PostgreSQL's database and
 * migrations, and the four services, seeds a demo federation, publishes a sample incident and
 * prints who received it. Ctrl-C stops everything it started.
 *
 *   node dist/tools/stack/main.js up [--demo] [--nodes 1|3]
 *   node dist/tools/stack/main.js migrate
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DEFAULT_DATABASE_URL } from '@liaison/config';
import { dropDatabase, migrate } from '@liaison/persistence';
import { repoRoot, startKafka, type RunningKafka } from '../kafka/cluster';
import { runDemo } from './demo';
import { SERVICES, startService, type RunningService, type ServiceName } from './service-process';

const DEFAULT_PORTS: Record<ServiceName, number> = { gateway: 8080, admin: 8081, router: 8082, delivery: 8083 };
const COLORS: Record<ServiceName, string> = { gateway: '36', admin: '35', router: '33', delivery: '32' };
const color = process.stdout.isTTY ? (code: string, text: string) => `\u001b[${code}m${text}\u001b[0m` : (_: string, text: string) => text;
/** Nest's start-up chatter (module wiring, route mapping); shown only with LOG_LEVEL=debug. */
const NEST_BOOT_NOISE = /\[(NestFactory|InstanceLoader|RoutesResolver|RouterExplorer|NestApplication)\]/;
const verbose = process.env['LOG_LEVEL'] === 'debug';
const say = (line: string): void => console.log(`${color('1', '[liaison]')} ${line}`);

async function up(flags: Set<string>, nodes: 1 | 3): Promise<void> {
  const root = repoRoot();
  const demo = flags.has('--demo');
  const databaseUrl = process.env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL;
  const started = Date.now();
  let kafka: RunningKafka | undefined;
  const services: RunningService[] = [];
  let stopping = false;

  const shutdown = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      say('stopping services…');
      await Promise.all(services.map((s) => s.stop()));
      if (kafka !== undefined) {
        say('stopping Kafka…');
        await kafka.stop();
      }
      say('stopped');
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    let brokers = process.env['KAFKA_BROKERS'];
    if (brokers === undefined || brokers === '') {
      say(`starting Apache Kafka (${nodes} node${nodes === 1 ? '' : 's'}, KRaft) from Maven Central artifacts…`);
      const basePort = Number(process.env['LIAISON_KAFKA_PORT'] ?? 19092);
      kafka = await startKafka({ nodes, dataDir: join(root, '.liaison', `kafka-${nodes}`), basePort, fresh: demo, log: (l) => say(l) });
      brokers = kafka.brokers.join(',');
    } else {
      say(`using the Kafka cluster at ${brokers} (KAFKA_BROKERS)`);
    }
    if (demo) {
      say(`demo: starting from an empty database (${redact(databaseUrl)})`);
      await dropDatabase(databaseUrl);
    }
    const applied = await migrate(databaseUrl);
    say(`database ready (${applied.length} migration${applied.length === 1 ? '' : 's'} applied)`);

    const adminToken = process.env['LIAISON_ADMIN_TOKEN'] ?? randomBytes(24).toString('base64url');
    // Seals webhook signing secrets; a generated one makes secrets unreadable after a restart, so set it to keep state.
    const secretKey = process.env['LIAISON_SECRET_KEY'] ?? randomBytes(32).toString('base64');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: brokers,
      LIAISON_ADMIN_TOKEN: adminToken,
      LIAISON_SECRET_KEY: secretKey,
    };
    const dist = join(root, 'dist');
    const startOne = async (name: ServiceName): Promise<RunningService> => {
      const port = Number(process.env[`${name.toUpperCase()}_PORT`] ?? DEFAULT_PORTS[name]);
      const onLine = (line: string): void => {
        if (!verbose && NEST_BOOT_NOISE.test(line)) return;
        console.log(`${color(COLORS[name], `[${name}]`.padEnd(10))} ${line}`);
      };
      const service = await startService({ name, distDir: dist, env, port, onLine });
      service.child.once('exit', (code, signal) => {
        if (!stopping) {
          say(`${name} exited unexpectedly (${signal ?? code}); stopping the stack`);
          void shutdown(1);
        }
      });
      services.push(service);
      return service;
    };
    // Router and delivery create the topics they need before consuming; start them first.
    const [router, delivery] = await Promise.all((['router', 'delivery'] as const).map(startOne));
    const [admin, gateway] = await Promise.all((['admin', 'gateway'] as const).map(startOne));
    say(`all ${SERVICES.length} services up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    say(`  gateway  ${gateway?.url}/v1/events`);
    say(`  delivery ${delivery?.url}/v1/agencies/{id}/events (pull), /v1/agencies/{id}/stream (SSE)`);
    say(
      `  admin    ${admin?.url}/v1/agencies   (Authorization: Bearer ${process.env['LIAISON_ADMIN_TOKEN'] ? '$LIAISON_ADMIN_TOKEN' : adminToken})`,
    );
    say(`  kafka    ${brokers}`);

    if (demo && admin !== undefined && gateway !== undefined && router !== undefined && delivery !== undefined) {
      const result = await runDemo({
        adminUrl: admin.url,
        gatewayUrl: gateway.url,
        routerUrl: router.url,
        deliveryUrl: delivery.url,
        adminToken,
        repoRoot: root,
        log: say,
      });
      say(`who received event ${result.eventId}:\n\n${result.table}\n`);
      say(`the fusion center's copy, cut down by its policy:\n\n${result.redaction}\n`);
      say(`every example type, routed:\n\n${result.examplesTable}\n`);
      say(`publisher API key (Metro City PD, publish scope): ${result.publisherKey}`);
      say(`demo ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    say('running — press Ctrl-C to stop');
  } catch (error: unknown) {
    say(`failed: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown(1);
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const flags = new Set(rest);
  const nodesIndex = rest.indexOf('--nodes');
  const nodes = nodesIndex >= 0 && rest[nodesIndex + 1] === '3' ? 3 : 1;
  switch (command) {
    case 'up':
      await up(flags, nodes);
      return;
    case 'migrate': {
      const url = process.env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL;
      const applied = await migrate(url);
      say(`${redact(url)}: ${applied.length === 0 ? 'up to date' : `applied ${applied.join(', ')}`}`);
      return;
    }
    default:
      console.error('usage: main.js up [--demo] [--nodes 1|3] | migrate');
      process.exit(2);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
