import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { provisionNamespace } from '@liaison/messaging';
import { repoRoot, serviceKafkaEnv } from '../../tools/kafka/cluster';
import { startService, type RunningService, type ServiceName } from '../../tools/stack/service-process';
import { testKafka, testKafkaSecurity } from './kafka';
import { createTestDatabase, testBrokers, uniqueSuffix, type TestDatabase } from './test-env';

/** Partitions of the namespace's topics, as the services are told too. */
const TOPIC_PARTITIONS = 3;

export interface TestStack {
  database: TestDatabase;
  brokers: string;
  namespace: string;
  adminToken: string;
  services: Partial<Record<ServiceName, RunningService>>;
  /** What every service shares; changes apply to services started afterwards. */
  env: NodeJS.ProcessEnv;
  /**
   * The whole environment `name` starts with: `env` plus its own DATABASE_URL (its database role)
   * and its own Kafka principal and password.
   */
  envFor(name: ServiceName): NodeJS.ProcessEnv;
  /** Every line each service printed (stdout and stderr, every instance started through `start`), in order. */
  output(name: ServiceName): readonly string[];
  url(name: ServiceName): string;
  /** Starts (or restarts) one service with the stack's environment. */
  start(name: ServiceName): Promise<RunningService>;
  stop(): Promise<void>;
}

/**
 * The four real services as child processes, on a database and a topic namespace of their own,
 * against the run's real (secured) Kafka: the namespace's topics and ACLs are provisioned first,
 * and each service connects as its own principal; `overrides` adds or replaces environment
 * variables. Output is quiet unless LIAISON_TEST_VERBOSE is set.
 */
export async function startStack(label: string, names: readonly ServiceName[], overrides: NodeJS.ProcessEnv = {}): Promise<TestStack> {
  const database = await createTestDatabase(label);
  const brokers = testBrokers();
  const namespace = `t-${label}-${uniqueSuffix()}`;
  const adminToken = randomBytes(24).toString('base64url');
  await provisionNamespace(testKafka(brokers), namespace, { partitions: TOPIC_PARTITIONS });
  // Each service gets its own DATABASE_URL (its role) when it starts; this is what they share.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_BROKERS: brokers,
    LIAISON_TOPIC_NAMESPACE: namespace,
    TOPIC_PARTITIONS: String(TOPIC_PARTITIONS),
    LIAISON_ADMIN_TOKEN: adminToken,
    LOG_LEVEL: process.env['LIAISON_TEST_VERBOSE'] ? 'debug' : 'warn',
    DELIVERY_TOPIC_REFRESH_MS: '500',
    GATEWAY_KEY_CACHE_TTL_MS: '200',
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    LIAISON_SECRET_KEY: randomBytes(32).toString('base64'),
    // Webhook receivers in the tests listen on loopback, which only the operator allow-list permits.
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1:*',
    WEBHOOK_RETRY_SCHEDULE: '50ms,100ms,200ms,400ms,800ms',
    WEBHOOK_POLL_MS: '100',
    WEBHOOK_CONNECT_TIMEOUT_MS: '1000',
    WEBHOOK_RESPONSE_TIMEOUT_MS: '3000',
    SSE_HEARTBEAT_MS: '1000',
    DELIVERY_KEY_CACHE_TTL_MS: '200',
    // Rate limits stay on, sized for a suite's traffic from one address; rate-limits.e2e sets small ones.
    RATE_LIMIT_PER_SOURCE: '1000000',
    RATE_LIMIT_PER_CREDENTIAL: '1000000',
    RATE_LIMIT_SIGN_IN: '100000',
    RATE_LIMIT_PUBLISH: '1000000',
    RATE_LIMIT_PULL: '1000000',
    RATE_LIMIT_STREAM: '100000',
    ADMIN_REFUSAL_AUDIT_WINDOW_MS: '300',
    ...overrides,
  };
  const distDir = join(repoRoot(), 'dist');
  const services: TestStack['services'] = {};
  const outputs = new Map<ServiceName, string[]>();
  const envFor = (name: ServiceName): NodeJS.ProcessEnv => ({
    ...env,
    ...serviceKafkaEnv(testKafkaSecurity(), name),
    DATABASE_URL: database.serviceUrl(name),
  });
  const start = async (name: ServiceName): Promise<RunningService> => {
    await services[name]?.stop();
    const lines = outputs.get(name) ?? [];
    outputs.set(name, lines);
    const service = await startService({
      name,
      distDir,
      env: envFor(name),
      onLine: (line) => {
        lines.push(line);
        if (process.env['LIAISON_TEST_VERBOSE'] || /\b(ERROR|WARN)\b/.test(line)) process.stderr.write(`[${label}:${name}] ${line}\n`);
      },
    });
    services[name] = service;
    return service;
  };
  const stack: TestStack = {
    database,
    brokers,
    namespace,
    adminToken,
    services,
    env,
    envFor,
    output: (name) => outputs.get(name) ?? [],
    url: (name) => {
      const service = services[name];
      if (service === undefined) throw new Error(`${name} is not running`);
      return service.url;
    },
    start,
    async stop() {
      await Promise.all(Object.values(services).map((s) => s.stop()));
      await database.drop();
    },
  };
  try {
    for (const name of names) await start(name);
  } catch (error: unknown) {
    await stack.stop();
    throw error;
  }
  return stack;
}
