import { Logger, type DynamicModule, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Express } from 'express';
import type { CommonConfig } from '@liaison/config';
import { installJsonBody, type JsonBodyRule } from './body-parsing';
import { ProblemFilter } from './problem.filter';

/** Printed on stdout once a service accepts requests; the stack launcher and tests wait for it. */
export const READY_MARKER = 'LIAISON_READY';

export interface ServiceBootstrap {
  name: string;
  module: DynamicModule;
  /** Where to listen, how much to log, TLS and proxy trust: the service's validated config. */
  config: Pick<CommonConfig, 'HOST' | 'PORT' | 'LOG_LEVEL' | 'TLS_CERT_FILE' | 'TLS_KEY_FILE' | 'HTTP_TRUST_PROXY'>;
  json?: JsonBodyRule[];
  /** Runs after the app is created and before it listens, e.g. to serve an OpenAPI document. */
  configure?: (app: INestApplication) => void;
}

const LEVELS: Record<CommonConfig['LOG_LEVEL'], LogLevel[]> = {
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  info: ['fatal', 'error', 'warn', 'log'],
  warn: ['fatal', 'error', 'warn'],
  error: ['fatal', 'error'],
};

/**
 * Starts one Liaison service: HTTPS when a certificate and key are configured, problem-details
 * errors, bounded JSON bodies, graceful shutdown on SIGTERM/SIGINT, and a ready line
 * `LIAISON_READY {"service":…,"port":…,"scheme":…}` on stdout.
 */
export async function bootstrapService(options: ServiceBootstrap): Promise<INestApplication> {
  const { config } = options;
  const tls =
    config.TLS_CERT_FILE === '' ? undefined : { cert: readFileSync(config.TLS_CERT_FILE), key: readFileSync(config.TLS_KEY_FILE) };
  const app = await NestFactory.create(options.module, { bodyParser: false, logger: LEVELS[config.LOG_LEVEL], httpsOptions: tls });
  const trust = trustProxy(config.HTTP_TRUST_PROXY);
  if (trust !== undefined) (app.getHttpAdapter().getInstance() as Express).set('trust proxy', trust);
  configureHttpApp(app, options.json ?? [{ limit: '64kb', types: ['application/json'] }]);
  app.enableShutdownHooks();
  options.configure?.(app);
  await app.listen(config.PORT, config.HOST);
  const server = app.getHttpServer() as Server;
  const port = (server.address() as AddressInfo).port;
  const scheme = tls === undefined ? 'http' : 'https';
  new Logger(options.name).log(`listening on ${scheme}://${config.HOST}:${port}`);
  process.stdout.write(`${READY_MARKER} ${JSON.stringify({ service: options.name, port, scheme })}\n`);
  return app;
}

/**
 * What every Liaison HTTP app answers with, whatever its routes: problem details for every error,
 * the input rules of `installJsonBody`, and no `X-Powered-By`. The app must be created with `bodyParser: false`.
 */
export function configureHttpApp(app: INestApplication, json: readonly JsonBodyRule[]): void {
  // Naming the framework helps no client and tells an attacker which exploits to try.
  (app.getHttpAdapter().getInstance() as Express).disable('x-powered-by');
  app.useGlobalFilters(new ProblemFilter());
  installJsonBody(app, json);
}

/** Express's `trust proxy` value for HTTP_TRUST_PROXY: unset, a hop count, or addresses/subnets/names. */
function trustProxy(text: string): number | string | undefined {
  const value = text.trim();
  if (value === '') return undefined;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** Runs `start`, and exits the process with a readable message if it fails. */
export function runMain(start: () => Promise<unknown>): void {
  start().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
