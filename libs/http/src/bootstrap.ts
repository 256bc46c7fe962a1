import { Logger, type DynamicModule, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Express } from 'express';
import { installJsonBody, type JsonBodyRule } from './body-parsing';
import { ProblemFilter } from './problem.filter';

/** Printed on stdout once a service accepts requests; the stack launcher and tests wait for it. */
export const READY_MARKER = 'LIAISON_READY';

export interface ServiceBootstrap {
  name: string;
  module: DynamicModule;
  host: string;
  port: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  json?: JsonBodyRule[];
  /** Runs after the app is created and before it listens, e.g. to serve an OpenAPI document. */
  configure?: (app: INestApplication) => void;
}

const LEVELS: Record<ServiceBootstrap['logLevel'], LogLevel[]> = {
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  info: ['fatal', 'error', 'warn', 'log'],
  warn: ['fatal', 'error', 'warn'],
  error: ['fatal', 'error'],
};

/**
 * Starts one Liaison service: problem-details errors, bounded JSON bodies, graceful shutdown on
 * SIGTERM/SIGINT, and a ready line `LIAISON_READY {"service":…,"port":…}` on stdout.
 */
export async function bootstrapService(options: ServiceBootstrap): Promise<INestApplication> {
  const app = await NestFactory.create(options.module, { bodyParser: false, logger: LEVELS[options.logLevel] });
  configureHttpApp(app, options.json ?? [{ limit: '64kb', types: ['application/json'] }]);
  app.enableShutdownHooks();
  options.configure?.(app);
  await app.listen(options.port, options.host);
  const server = app.getHttpServer() as Server;
  const port = (server.address() as AddressInfo).port;
  new Logger(options.name).log(`listening on http://${options.host}:${port}`);
  process.stdout.write(`${READY_MARKER} ${JSON.stringify({ service: options.name, port })}\n`);
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

/** Runs `start`, and exits the process with a readable message if it fails. */
export function runMain(start: () => Promise<unknown>): void {
  start().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
