import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { loadConfig } from '@liaison/config';
import {
  createDataSource,
  dropDatabase,
  InboxRepository,
  migrate,
  serviceDatabaseUrl,
  PersistenceModule,
  withDatabase,
  type NewInboxCopy,
} from '@liaison/persistence';
import { generateWebhookSecret, sealSecret } from '@liaison/webhooks';
import { DeliveryConfig } from '../../../apps/delivery/src/delivery.config';
import { AttemptCompletions } from '../../../apps/delivery/src/webhooks/attempt-completions';
import { DeliverWebhookUseCase, WEBHOOK_SECRET_PURPOSE } from '../../../apps/delivery/src/webhooks/deliver-webhook.usecase';
import { WebhookDispatcher } from '../../../apps/delivery/src/webhooks/webhook-dispatcher';
import { WebhookSender } from '../../../apps/delivery/src/webhooks/webhook-sender';
import { repoRoot } from '../../kafka/cluster';
import { summarizeLatencies, type LatencySummary } from '../stats';
import type { ReceiverReply, ReceiverRequest } from './webhook-receiver';

/**
 * Signed webhook deliveries by the delivery service's own webhook machinery (dispatcher, use case,
 * sender, repositories, wired by Nest as in the service, on a database of its own) to a receiver in
 * another process that answers 200, side by side with a bare HTTP POST loop to the same receiver at
 * the same concurrency and body size (no signing, no database). Copies are stored the way the
 * delivery consumer stores them (inbox + queued deliveries in one transaction, then a wake-up).
 */
export interface WebhookBenchOptions {
  databaseUrl: string;
  /** Webhook subscriptions (endpoints) of the recipient; every copy goes to each. */
  endpoints: number;
  /** WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT; the baseline runs endpoints × this concurrent requests. */
  inFlightPerEndpoint: number;
  /** Distinct subjects the copies are spread over (one subject's copies go one after another). */
  subjects: number;
}

export interface WebhookLedgerCheck {
  expected: number;
  arrived: number;
  missing: number;
  duplicates: number;
  unknown: number;
  forged: number;
  notDelivered: number;
  ledgerDelivered: number;
}

/** How long a run may take to deliver everything before it counts as stuck. */
const DRAIN_TIMEOUT_MS = 300_000;

interface Arrivals {
  keys: string[];
  at: number[];
  forged: number;
}

/** The webhook part of the delivery service, as DeliveryModule wires it. */
@Module({})
class WebhookMachineryModule {
  static forRoot(config: DeliveryConfig): DynamicModule {
    return {
      module: WebhookMachineryModule,
      imports: [PersistenceModule.forRoot({ url: config.DATABASE_URL, applicationName: 'liaison-bench-delivery' })],
      providers: [
        { provide: DeliveryConfig, useValue: config },
        WebhookSender,
        AttemptCompletions,
        DeliverWebhookUseCase,
        WebhookDispatcher,
      ],
    };
  }
}

const now = (): number => performance.timeOrigin + performance.now();

export class WebhookBench {
  private readonly dbUrl: string;
  private readonly secretKey = randomBytes(32).toString('base64');
  private dataSource: DataSource | undefined;
  private receiver: ChildProcess | undefined;
  private port = 0;
  private recipientId = '';
  private ownerId = '';
  /** Subscription id → the receiver path of its endpoint. */
  private readonly paths = new Map<string, string>();
  private readonly arrivedKeys = new Map<string, number>();
  private forged = 0;
  private readonly example = JSON.parse(
    readFileSync(join(repoRoot(), 'docs', 'examples', 'gov.liaison.incident.reported.v1.json'), 'utf8'),
  ) as Record<string, unknown>;
  private readonly subjectIds: string[];
  private nextSubject = 0;

  constructor(private readonly options: WebhookBenchOptions) {
    this.dbUrl = withDatabase(options.databaseUrl, `liaison_bench_${randomBytes(4).toString('hex')}`);
    this.subjectIds = Array.from({ length: options.subjects }, (_, i) => `INC-BENCH-${i}`);
  }

  get concurrency(): number {
    return this.options.endpoints * this.options.inFlightPerEndpoint;
  }

  async start(): Promise<void> {
    await migrate(this.dbUrl);
    this.dataSource = await createDataSource(this.dbUrl, 'liaison-bench').initialize();
    const receiver = fork(join(__dirname, 'webhook-receiver.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.receiver = receiver;
    const [listening] = (await once(receiver, 'message')) as [ReceiverReply];
    if (listening.kind !== 'listening') throw new Error('webhook receiver did not start');
    this.port = listening.port;
    const agencies = await this.dataSource.query<{ id: string }[]>(
      `INSERT INTO agency (ori, name, kind) VALUES ($1, 'Bench publisher', 'local'), ($2, 'Bench partner', 'county') RETURNING id`,
      [`TX${randomBytes(4).toString('hex').toUpperCase().slice(0, 7)}`, `TX${randomBytes(4).toString('hex').toUpperCase().slice(0, 7)}`],
    );
    this.ownerId = agencies[0]?.id ?? '';
    this.recipientId = agencies[1]?.id ?? '';
    const secrets: Record<string, string> = {};
    const key = Buffer.from(this.secretKey, 'base64');
    for (let i = 0; i < this.options.endpoints; i++) {
      const path = `/hooks/endpoint-${i}`;
      const secret = generateWebhookSecret();
      const rows = await this.dataSource.query<{ id: string }[]>(
        `INSERT INTO subscription (agency_id, channel, label, url, secret_sealed) VALUES ($1, 'webhook', $2, $3, $4) RETURNING id`,
        [this.recipientId, `bench ${i}`, `http://127.0.0.1:${this.port}${path}`, sealSecret(key, secret, WEBHOOK_SECRET_PURPOSE)],
      );
      this.paths.set(rows[0]?.id ?? '', path);
      secrets[path] = secret;
    }
    this.send({ kind: 'secrets', secrets });
  }

  private send(message: ReceiverRequest): void {
    this.receiver?.send(message);
  }

  private async ask<K extends ReceiverReply['kind']>(message: ReceiverRequest, kind: K): Promise<Extract<ReceiverReply, { kind: K }>> {
    const receiver = this.receiver;
    if (receiver === undefined) throw new Error('the receiver is not running');
    const reply = new Promise<Extract<ReceiverReply, { kind: K }>>((resolve) => {
      const listener = (m: ReceiverReply): void => {
        if (m.kind !== kind) return;
        receiver.off('message', listener);
        resolve(m as Extract<ReceiverReply, { kind: K }>);
      };
      receiver.on('message', listener);
    });
    this.send(message);
    return reply;
  }

  private async waitForArrivals(count: number, label: string): Promise<Arrivals> {
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    for (;;) {
      const { arrived } = await this.ask({ kind: 'count' }, 'count');
      if (arrived >= count) break;
      if (Date.now() > deadline)
        throw new Error(`webhook ${label}: only ${arrived} of ${count} calls arrived within ${DRAIN_TIMEOUT_MS} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const collected = await this.ask({ kind: 'collect' }, 'collected');
    return { keys: collected.keys, at: collected.at, forged: collected.forged };
  }

  /** Signed calls count towards the ledger check; the baseline's are only counted. */
  private remember(arrivals: Arrivals): void {
    this.forged += arrivals.forged;
    for (const key of arrivals.keys) this.arrivedKeys.set(key, (this.arrivedKeys.get(key) ?? 0) + 1);
  }

  private copies(count: number): NewInboxCopy[] {
    const ids = [...this.paths.keys()];
    return Array.from({ length: count }, () => {
      const id = randomUUID();
      // Round-robin over the subjects across calls, so small batches spread as much as large ones.
      const subject = this.subjectIds[this.nextSubject++ % this.subjectIds.length] ?? 'INC-BENCH';
      return {
        ownerAgencyId: this.ownerId,
        eventId: id,
        subject,
        type: String(this.example['type']),
        event: { ...this.example, id, subject, agency: this.ownerId },
        webhookSubscriptionIds: ids,
      };
    });
  }

  /** The request body of one copy, as the dispatcher sends it: for the baseline's body size. */
  private sampleBody(): string {
    return JSON.stringify(this.copies(1)[0]?.event ?? {});
  }

  private async machinery(): Promise<INestApplicationContext> {
    const config = loadConfig(DeliveryConfig, {
      // The service's own role, as in a deployment (grants included in what is measured).
      DATABASE_URL: serviceDatabaseUrl(this.dbUrl, 'delivery'),
      LIAISON_SECRET_KEY: this.secretKey,
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1:*',
      // The webhook machinery alone never opens a Kafka connection; this only lets the config load without one.
      KAFKA_ALLOW_INSECURE: 'true',
      WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT: String(this.options.inFlightPerEndpoint),
      LOG_LEVEL: 'warn',
    });
    const app = await NestFactory.createApplicationContext(WebhookMachineryModule.forRoot(config), { logger: ['error', 'warn'] });
    await app.init();
    return app;
  }

  /**
   * Saturation: `copies` copies (× endpoints deliveries) stored in one transaction, then the
   * dispatcher is woken; deliveries/s from the commit to the last arrival.
   */
  async signedSaturation(copies: number): Promise<number> {
    const app = await this.machinery();
    try {
      const inbox = new InboxRepository(this.requireDataSource());
      const expected = copies * this.options.endpoints;
      await inbox.store(this.recipientId, this.copies(copies));
      const started = now();
      app.get(WebhookDispatcher).wake();
      const arrivals = await this.waitForArrivals(expected, 'signed saturation');
      this.remember(arrivals);
      return expected / ((Math.max(...arrivals.at) - started) / 1000);
    } finally {
      await app.close();
    }
  }

  /** The baseline: a bare keep-alive POST loop, same receiver, concurrency and body size, no signing, no database. */
  async bareSaturation(total: number): Promise<number> {
    const body = this.sampleBody();
    const paths = [...this.paths.values()];
    const agent = new http.Agent({ keepAlive: true, maxSockets: this.concurrency });
    let next = 0;
    const post = (i: number): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        const request = http.request(
          {
            host: '127.0.0.1',
            port: this.port,
            path: paths[i % paths.length],
            method: 'POST',
            agent,
            headers: {
              'content-type': 'application/cloudevents+json',
              'content-length': Buffer.byteLength(body),
              'bench-id': String(i),
            },
          },
          (response) => {
            response.resume();
            response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${response.statusCode}`))));
          },
        );
        request.on('error', reject);
        request.end(body);
      });
    const started = now();
    try {
      await Promise.all(
        Array.from({ length: this.concurrency }, async () => {
          while (next < total) await post(next++);
        }),
      );
    } finally {
      agent.destroy();
    }
    const arrivals = await this.waitForArrivals(total, 'bare POST loop');
    return total / ((Math.max(...arrivals.at) - started) / 1000);
  }

  /**
   * Open model: copies are due at `copiesPerSecond`, stored in one transaction per tick with
   * whatever is due (as the delivery consumer stores a batch), and each delivery's latency runs
   * from its copy's due time to its arrival at the receiver.
   */
  async signedLatency(copiesPerSecond: number, seconds: number, warmupSeconds: number): Promise<LatencySummary> {
    const app = await this.machinery();
    const dispatcher = app.get(WebhookDispatcher);
    const inbox = new InboxRepository(this.requireDataSource());
    const total = Math.round(copiesPerSecond * (seconds + warmupSeconds));
    const measureFrom = Math.round(copiesPerSecond * warmupSeconds);
    const dueOf = new Map<string, { due: number; measured: boolean }>();
    try {
      const start = now() + 50;
      let next = 0;
      while (next < total) {
        const due = Math.min(total, Math.floor(((now() - start) / 1000) * copiesPerSecond) + 1);
        if (due <= next) {
          await new Promise((r) => setTimeout(r, 1));
          continue;
        }
        const batch = this.copies(due - next);
        for (const c of batch) {
          dueOf.set(c.eventId, { due: start + (next / copiesPerSecond) * 1000, measured: next >= measureFrom });
          next++;
        }
        await inbox.store(this.recipientId, batch);
        dispatcher.wake();
      }
      const arrivals = await this.waitForArrivals(total * this.options.endpoints, 'signed latency');
      this.remember(arrivals);
      const seqs = await this.requireDataSource().query<{ seq: string; event_id: string }[]>(
        `SELECT seq::text, event_id FROM inbox_event WHERE event_id = ANY($1::text[])`,
        [[...dueOf.keys()]],
      );
      const dueBySeq = new Map(seqs.map((r) => [`msg_${r.seq}`, dueOf.get(r.event_id)]));
      const samples: number[] = [];
      arrivals.keys.forEach((key, i) => {
        const copy = dueBySeq.get(key.slice(key.indexOf(' ') + 1));
        if (copy?.measured === true) samples.push((arrivals.at[i] ?? Number.NaN) - copy.due);
      });
      return summarizeLatencies(samples);
    } finally {
      await app.close();
    }
  }

  /**
   * Every queued delivery arrived exactly once (by endpoint and webhook-id), nothing else signed
   * arrived, every signature verified, every row is `delivered` and the ledger has one delivered
   * record per row.
   */
  async ledgerCheck(): Promise<WebhookLedgerCheck> {
    const ds = this.requireDataSource();
    const rows = await ds.query<{ subscription_id: string; inbox_seq: string; status: string }[]>(
      `SELECT subscription_id, inbox_seq::text, status FROM webhook_delivery`,
    );
    const [ledger] = await ds.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM delivery_attempt WHERE channel = 'webhook' AND outcome = 'delivered'`,
    );
    const expected = new Set(rows.map((r) => `${this.paths.get(r.subscription_id) ?? '?'} msg_${r.inbox_seq}`));
    let missing = 0;
    let duplicates = 0;
    for (const key of expected) {
      const n = this.arrivedKeys.get(key) ?? 0;
      if (n === 0) missing++;
      else if (n > 1) duplicates += n - 1;
    }
    let unknown = 0;
    let arrived = 0;
    for (const [key, n] of this.arrivedKeys) {
      arrived += n;
      if (!expected.has(key)) unknown += n;
    }
    return {
      expected: expected.size,
      arrived,
      missing,
      duplicates,
      unknown,
      forged: this.forged,
      notDelivered: rows.filter((r) => r.status !== 'delivered').length,
      ledgerDelivered: Number(ledger?.n ?? 0),
    };
  }

  private requireDataSource(): DataSource {
    if (this.dataSource === undefined) throw new Error('the webhook bench is not started');
    return this.dataSource;
  }

  async stop(): Promise<void> {
    if (this.receiver !== undefined) {
      const exited = once(this.receiver, 'exit');
      this.receiver.disconnect();
      await exited;
    }
    await this.dataSource?.destroy();
    await dropDatabase(this.dbUrl);
  }
}
