import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { Body, Controller, Get, Module, Param, Post, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MAX_JSON_DEPTH } from '@liaison/contracts';
import { configureHttpApp } from './bootstrap';

@Controller()
class EchoController {
  @Post('echo')
  echo(@Body() body: unknown): unknown {
    return { body };
  }

  @Get('things/:name')
  thing(@Param('name') name: string): unknown {
    return { name };
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

describe('HTTP input rules of every Liaison app (configureHttpApp)', () => {
  let app: INestApplication;
  let base: string;

  before(async () => {
    app = await NestFactory.create(EchoModule, { bodyParser: false, logger: false });
    configureHttpApp(app, [{ limit: '8kb', types: ['application/json'] }]);
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
  });

  after(() => app?.close());

  const post = async (body: Buffer | string, headers: Record<string, string> = { 'content-type': 'application/json' }) => {
    const res = await fetch(`${base}/echo`, { method: 'POST', headers, body });
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      json: JSON.parse(text) as Record<string, unknown>,
      headers: res.headers,
    };
  };

  it('accepts plain, gzip and brotli JSON, and never says what it runs on', async () => {
    const body = JSON.stringify({ narrative: 'line 1\nline 2', n: 9007199254740991 });
    for (const [encoding, bytes] of [
      ['identity', Buffer.from(body)],
      ['gzip', gzipSync(body)],
      ['br', brotliCompressSync(body)],
    ] as const) {
      const res = await post(bytes, { 'content-type': 'application/json', 'content-encoding': encoding });
      assert.equal(res.status, 201, `${encoding}: ${JSON.stringify(res.json)}`);
      assert.deepEqual(res.json, { body: JSON.parse(body) as unknown });
      assert.equal(res.headers.get('x-powered-by'), null);
    }
  });

  it('answers 400 for a body that does not decode as its Content-Encoding says, 415 for an unknown encoding or media type', async () => {
    const bad = await post('{"a":1}', { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    assert.equal(bad.status, 400);
    assert.match(bad.type, /^application\/problem\+json/);
    assert.match(String(bad.json['detail']), /Content-Encoding/);
    for (const headers of <Record<string, string>[]>[
      { 'content-type': 'application/json', 'content-encoding': 'compress' },
      { 'content-type': 'application/json', 'content-encoding': 'gzip, gzip' },
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/json; charset=latin1' },
    ]) {
      const res = await post('{"a":1}', headers);
      assert.equal(res.status, 415, JSON.stringify(headers));
      assert.equal(res.json['type'], 'urn:liaison:problem:unsupported-media-type');
    }
  });

  it('refuses invalid UTF-8 and malformed JSON with a 400 problem', async () => {
    const invalid = await post(Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff]), Buffer.from('"}')]));
    assert.equal(invalid.status, 400);
    assert.equal(invalid.json['detail'], 'the body is not valid UTF-8');
    const malformed = await post('{"a":');
    assert.equal(malformed.json['type'], 'urn:liaison:problem:malformed-json');
  });

  it('names each member that holds what no member may hold, before any handler runs', async () => {
    const deep = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
    const res = await post(`{"a":"x\\u0000","b":"\\ud800","n":1e400,"id":"two\\nlines","__proto__":{},"deep":${deep}}`);
    assert.equal(res.status, 400);
    const pointers = (res.json['errors'] as { pointer: string }[]).map((e) => e.pointer);
    assert.deepEqual(pointers, ['/__proto__', '/a', '/b', `/deep${'/0'.repeat(MAX_JSON_DEPTH - 1)}`, '/id', '/n']);
  });

  it('screens the query the same way, and answers 404 for a path segment with a control character', async () => {
    const query = await fetch(`${base}/things/ok?q=%00`);
    assert.equal(query.status, 400);
    assert.deepEqual(((await query.json()) as { errors: unknown[] }).errors, [{ pointer: '/q', detail: 'must not contain U+0000 (NUL)' }]);
    const path = await fetch(`${base}/things/a%00b`);
    assert.equal(path.status, 404);
    assert.match(path.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal((await fetch(`${base}/things/ok`)).status, 200);
  });

  it('answers a body too large with 413 once decoded', async () => {
    const res = await post(gzipSync(JSON.stringify({ a: 'x'.repeat(20_000) })), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    assert.equal(res.status, 413);
  });
});
