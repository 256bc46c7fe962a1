/**
 * The stack launcher: `npm start` (= `up --demo`) brings up Kafka, PostgreSQL's database and
 * migrations, and the four services, seeds a demo federation, publishes a sample incident and
 * prints who received it; a local webhook receiver, a live-stream client and a pull client show the
 * partners' side. Ctrl-C stops everything it started.
 *
 *   node dist/tools/stack/main.js up [--demo] [--nodes 1|3]
 *   node dist/tools/stack/main.js migrate
 *   node dist/tools/stack/main.js provision     the namespace's Kafka topics and ACLs, as the principal in KAFKA_SASL_*
 *   node dist/tools/stack/main.js audit-verify  walk the audit hash chain; exit 1 naming the first broken row
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CommonConfig, DEFAULT_DATABASE_URL, loadConfig, redactUrl } from '@liaison/config';
import { DEFAULT_TOPIC_NAMESPACE } from '@liaison/contracts';
import { createKafkaClient, provisionNamespace } from '@liaison/messaging';
import {
  AuditLogRepository,
  createDataSource,
  dropDatabase,
  migrate,
  serviceDatabaseUrl,
  servicePasswordsFromEnv,
} from '@liaison/persistence';
import {
  loadSecurityMaterial,
  repoRoot,
  securitySettingsFor,
  serviceKafkaEnv,
  startKafka,
  type RunningKafka,
  type SecurityMaterial,
} from '../kafka/cluster';
import { demoDeliveryEnv, runDemo, type DemoResult } from './demo';
import { startDemoReceiver, type DemoReceiver } from './demo-partners';
import { SERVICES, startService, type RunningService, type ServiceName } from './service-process';

const DEFAULT_PORTS: Record<ServiceName, number> = { gateway: 8080, admin: 8081, router: 8082, delivery: 8083 };
/** The demo partner's webhook endpoint, next to the services. */
const DEFAULT_RECEIVER_PORT = 8084;
const COLORS: Record<ServiceName, string> = { gateway: '36', admin: '35', router: '33', delivery: '32' };
const color = process.stdout.isTTY ? (code: string, text: string) => `\u001b[${code}m${text}\u001b[0m` : (_: string, text: string) => text;
/** Nest's start-up chatter (module wiring, route mapping); shown only with LOG_LEVEL=debug. */
const NEST_BOOT_NOISE = /\[(NestFactory|InstanceLoader|RoutesResolver|RouterExplorer|NestApplication)\]/;
const verbose = process.env['LOG_LEVEL'] === 'debug';
const say = (line: string): void => console.log(`${color('1', '[liaison]')} ${line}`);
/** Lines from the partners' side of the demo: their webhook endpoint, live-stream and pull clients. */
const partnerSay = (line: string): void => console.log(`${color('34', '[partner]'.padEnd(10))} ${line}`);

async function up(flags: Set<string>, nodes: 1 | 3): Promise<void> {
  const root = repoRoot();
  const demo = flags.has('--demo');
  const databaseUrl = process.env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL;
  const started = Date.now();
  let kafka: RunningKafka | undefined;
  const services: RunningService[] = [];
  let receiver: DemoReceiver | undefined;
  let result: DemoResult | undefined;
  let stopping = false;

  const shutdown = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      result?.sse.stream.close();
      say('stopping services…');
      await Promise.all(services.map((s) => s.stop()));
      await receiver?.close();
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
    // The cluster's CA and credentials: each service gets its own principal, the launcher uses the bootstrap admin.
    let security: SecurityMaterial | undefined;
    if (brokers === undefined || brokers === '') {
      say(`starting Apache Kafka (${nodes} node${nodes === 1 ? '' : 's'}, KRaft, TLS + SASL + ACLs) from Maven Central artifacts…`);
      const basePort = Number(process.env['LIAISON_KAFKA_PORT'] ?? 19092);
      kafka = await startKafka({ nodes, dataDir: join(root, '.liaison', `kafka-${nodes}`), basePort, fresh: demo, log: (l) => say(l) });
      brokers = kafka.brokers.join(',');
      security = kafka.security;
    } else {
      const dir = process.env['LIAISON_KAFKA_SECURITY_DIR'] ?? '';
      security = dir === '' ? undefined : loadSecurityMaterial(dir);
      say(
        `using the Kafka cluster at ${brokers} (KAFKA_BROKERS); ` +
          (security === undefined ? 'services take KAFKA_TLS_CA_FILE/KAFKA_SASL_* from the environment' : `security from ${dir}`),
      );
    }
    const namespace = process.env['LIAISON_TOPIC_NAMESPACE'] || DEFAULT_TOPIC_NAMESPACE;
    if (security !== undefined) {
      const bootstrap = createKafkaClient({
        brokers: brokers.split(','),
        clientId: 'liaison-stack',
        security: securitySettingsFor(security),
      });
      await provisionNamespace(bootstrap, namespace, { partitions: Number(process.env['TOPIC_PARTITIONS'] || 3) });
      say(`Kafka namespace ${namespace}: topics and each service's ACLs in place (docs/security.md)`);
    }
    if (demo) {
      say(`demo: starting from an empty database (${redactUrl(databaseUrl)})`);
      await dropDatabase(databaseUrl);
    }
    const passwords = servicePasswordsFromEnv();
    const applied = await migrate(databaseUrl, { passwords });
    say(`database ready (${applied.length} migration${applied.length === 1 ? '' : 's'} applied); each service connects as its own role`);

    const adminToken = process.env['LIAISON_ADMIN_TOKEN'] ?? randomBytes(24).toString('base64url');
    // Seals webhook signing secrets; a generated one makes secrets unreadable after a restart, so set it to keep state.
    const secretKey = process.env['LIAISON_SECRET_KEY'] ?? randomBytes(32).toString('base64');
    // DATABASE_URL is the provisioning login; each service gets its own role's URL when it starts.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KAFKA_BROKERS: brokers,
      LIAISON_ADMIN_TOKEN: adminToken,
      LIAISON_SECRET_KEY: secretKey,
    };
    if (demo) {
      // The partner's webhook endpoint runs here, on loopback, which the SSRF guard refuses unless allow-listed.
      const port = Number(process.env['DEMO_RECEIVER_PORT'] ?? DEFAULT_RECEIVER_PORT);
      receiver = await startDemoReceiver({ port, failFirst: true, log: (line) => partnerSay(`RTCC webhook ← ${line}`) });
      Object.assign(env, demoDeliveryEnv(process.env, receiver.port));
      say(`demo: partner webhook receiver on ${receiver.url}`);
      say(`demo: delivery allows 127.0.0.1:${receiver.port} (WEBHOOK_ALLOWED_HOSTS), retries after ${env['WEBHOOK_RETRY_SCHEDULE']}`);
    }
    const dist = join(root, 'dist');
    const startOne = async (name: ServiceName): Promise<RunningService> => {
      const port = Number(process.env[`${name.toUpperCase()}_PORT`] ?? DEFAULT_PORTS[name]);
      const onLine = (line: string): void => {
        if (!verbose && NEST_BOOT_NOISE.test(line)) return;
        console.log(`${color(COLORS[name], `[${name}]`.padEnd(10))} ${line}`);
      };
      const own = security === undefined ? {} : serviceKafkaEnv(security, name);
      const service = await startService({
        name,
        distDir: dist,
        env: { ...env, ...own, DATABASE_URL: serviceDatabaseUrl(databaseUrl, name, passwords[name]) },
        port,
        onLine,
      });
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
    say(
      `  kafka    ${brokers}${security === undefined ? '' : ` (SASL_SSL: CA ${security.caFile}; passwords in ${security.credentialsFile})`}`,
    );

    if (demo && receiver !== undefined && admin !== undefined && gateway !== undefined && router !== undefined && delivery !== undefined) {
      result = await runDemo({
        adminUrl: admin.url,
        gatewayUrl: gateway.url,
        routerUrl: router.url,
        deliveryUrl: delivery.url,
        adminToken,
        repoRoot: root,
        log: say,
        receiver,
        partnerLog: (_client, line) => partnerSay(line),
      });
      say(`who received event ${result.eventId}:\n\n${result.table}\n`);
      say(`every example type, routed:\n\n${result.examplesTable}\n`);
      printPartners(result);
      say(`publisher API key (Metro City PD, publish scope): ${result.publisherKey}`);
      say(`demo ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      say('the partner webhook and live stream stay connected: publish more and watch them arrive');
    }
    say('running — press Ctrl-C to stop');
  } catch (error: unknown) {
    say(`failed: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown(1);
  }
}

/** What each partner got, and how: the webhook with its retried delivery, the live stream, the pull. */
function printPartners(result: DemoResult): void {
  const { webhook, sse, pull } = result;
  const delivered = new Set(webhook.calls.filter((c) => c.status === 200).map((c) => c.eventId));
  const counts = Object.entries(webhook.health)
    .map(([state, n]) => `${n} ${state}`)
    .join(', ');
  say(
    `RTCC webhook (CAD bridge, incidents only): ${delivered.size} copies verified and accepted; ` +
      `subscription reports ${counts || 'no deliveries'}`,
  );
  say(`its delivery log for the copy that failed first (GET /v1/agencies/{rtcc}/deliveries?channel=webhook):\n\n${webhook.summary}\n`);
  say(
    `RTCC live stream: ${sse.events.length} copies as they arrived; reconnecting with Last-Event-ID: ${sse.resumedAfter} ` +
      `sent the ${sse.resumed.length} after it again, none missed`,
  );
  say(`fusion center pull: ${pull.objects.length} copies in ${pull.pages} pages of up to 4, paged with the cursor until caught up`);
  say(`the fusion center's pulled copy of the incident, cut down by its policy:\n\n${result.redaction}\n`);
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
    case 'provision': {
      // The bootstrap admin's settings, validated like a service's (docker-compose.yml's kafka-provision job).
      const config = loadConfig(CommonConfig);
      const kafka = createKafkaClient({ brokers: config.brokerList(), clientId: 'liaison-provision', security: config.kafkaSecurity() });
      await provisionNamespace(kafka, config.LIAISON_TOPIC_NAMESPACE, { partitions: config.TOPIC_PARTITIONS });
      say(`Kafka namespace ${config.LIAISON_TOPIC_NAMESPACE}: topics and each service's ACLs in place`);
      return;
    }
    case 'migrate': {
      const url = process.env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL;
      const applied = await migrate(url, { passwords: servicePasswordsFromEnv() });
      say(`${redactUrl(url)}: ${applied.length === 0 ? 'up to date' : `applied ${applied.join(', ')}`}`);
      return;
    }
    case 'audit-verify': {
      // As the admin service's role: reading the chain needs nothing more.
      const url = process.env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL;
      const dataSource = await createDataSource(
        serviceDatabaseUrl(url, 'admin', servicePasswordsFromEnv().admin),
        'liaison-audit-verify',
      ).initialize();
      try {
        const result = await new AuditLogRepository(dataSource).verifyChain();
        if (result.intact) {
          say(`audit chain intact: ${result.rows} rows, last ${result.lastId ?? '(none)'}, head ${result.lastHash}`);
        } else {
          say(`audit chain BROKEN at row ${result.firstBrokenId} (${result.problem}) after ${result.rows} rows checked`);
          process.exitCode = 1;
        }
      } finally {
        await dataSource.destroy();
      }
      return;
    }
    default:
      console.error('usage: main.js up [--demo] [--nodes 1|3] | migrate | provision | audit-verify');
      process.exit(2);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
