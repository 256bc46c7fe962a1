import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { loadConfig } from '@liaison/config';
import { createTestDatabase, request, testBrokers, testKafkaEnv, type TestDatabase } from '@liaison/testing';
import { AdminConfig } from '../../apps/admin/src/admin.config';
import { AdminModule } from '../../apps/admin/src/admin.module';
import { serveOpenApi } from '../../apps/admin/src/openapi/openapi';

interface ExpressLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** Every method + path Nest registered on Express, in OpenAPI's `{param}` notation. */
function registeredRoutes(app: INestApplication): string[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } };
  return express.router.stack.flatMap((layer) =>
    layer.route === undefined
      ? []
      : Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`),
  );
}

describe('the admin OpenAPI document (in-process app over real Postgres)', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let base: string;

  before(async () => {
    database = await createTestDatabase('admin-openapi');
    // The subscriptions module reads its sealing key from the environment, as the service does.
    process.env['LIAISON_SECRET_KEY'] ??= randomBytes(32).toString('base64');
    const config = loadConfig(AdminConfig, {
      DATABASE_URL: database.serviceUrl('admin'),
      KAFKA_BROKERS: testBrokers(),
      ...testKafkaEnv(),
      LIAISON_ADMIN_TOKEN: randomBytes(24).toString('base64url'),
    });
    // The subscriptions module validates its own settings from the environment at boot.
    process.env['LIAISON_SECRET_KEY'] ??= randomBytes(32).toString('base64');
    app = await NestFactory.create(AdminModule.forRoot(config), { logger: false });
    serveOpenApi(app);
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
  });

  after(async () => {
    await app?.close();
    await database?.drop();
  });

  it('serves an OpenAPI 3 document at /openapi.json, without credentials, listing every route the app registers', async () => {
    const res = await request('GET', `${base}/openapi.json`);
    assert.equal(res.status, 200, res.text);
    assert.match(String(res.body['openapi']), /^3\./);
    const paths = res.body['paths'] as Record<string, Record<string, unknown>>;
    const documented = new Set(Object.entries(paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
    const registered = registeredRoutes(app).filter((r) => !/ \/(openapi\.json|docs)/.test(r));
    assert.ok(registered.length >= 15, `found only ${registered.length} routes`);
    const missing = registered.filter((r) => !documented.has(r));
    assert.deepEqual(missing, [], 'every registered route is documented');
    const extra = [...documented].filter((r) => !registered.includes(r));
    assert.deepEqual(extra, [], 'and nothing else is');
  });

  it('documents bearer security and problem+json errors on the protected routes', async () => {
    const doc = (await request('GET', `${base}/openapi.json`)).body as {
      components: { securitySchemes: Record<string, { type: string; scheme: string }> };
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, { content?: Record<string, unknown> }> }>>;
    };
    assert.deepEqual(
      Object.values(doc.components.securitySchemes).map((s) => [s.type, s.scheme]),
      [['http', 'bearer']],
    );
    assert.equal(doc.paths['/v1/sessions']?.['post']?.security, undefined, 'signing in needs no credential');
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const open = path === '/health' || (path === '/v1/sessions' && method === 'post');
        if (open) continue;
        assert.ok(op.security !== undefined && op.security.length > 0, `${method} ${path} declares bearer security`);
        assert.ok(op.responses['401']?.content?.['application/problem+json'], `${method} ${path} documents its 401 as problem+json`);
      }
    }
  });

  it('serves a human page at /docs whose assets come from the package, not the network', async () => {
    const page = await fetch(`${base}/docs`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /swagger-ui/i);
    assert.doesNotMatch(html, /https?:\/\/(?!127\.0\.0\.1)[a-z0-9.-]+\/[^"']*\.(js|css)/i, 'no remote scripts or styles');
    const bundle = /src="\.?\/?([^"]*swagger-ui-bundle\.js)"/.exec(html)?.[1];
    assert.ok(bundle, 'the page loads the swagger-ui bundle');
    const script = await fetch(`${base}/docs/${bundle.replace(/^docs\//, '')}`);
    assert.equal(script.status, 200);
  });
});
