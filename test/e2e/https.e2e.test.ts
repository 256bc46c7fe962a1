/**
 * Every service can serve HTTPS: with TLS_CERT_FILE and TLS_KEY_FILE (a certificate made here with
 * the openssl CLI) each of the four services answers over TLS to a client that trusts only that
 * certificate, refuses plain HTTP on the same port, and an event published over HTTPS is accepted.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exampleEvent, startStack, testOri, type TestStack } from '@liaison/testing';

interface Reply {
  status: number;
  body: Record<string, unknown>;
  text: string;
}

describe('HTTPS on every service (TLS_CERT_FILE / TLS_KEY_FILE)', () => {
  let stack: TestStack;
  let dir: string;
  let ca: Buffer;

  const call = (url: string, method = 'GET', token?: string, body?: unknown, contentType = 'application/json'): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers: Record<string, string> = {};
      if (payload !== undefined) headers['content-type'] = contentType;
      if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
      const req = httpsRequest(url, { method, headers, ca }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Record<string, unknown> = {};
          try {
            parsed = JSON.parse(text) as Record<string, unknown>;
          } catch {
            parsed = {};
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, text });
        });
      });
      req.on('error', reject);
      req.end(payload);
    });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'liaison-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    ca = readFileSync(join(dir, 'cert.pem'));
    stack = await startStack('https', ['admin', 'gateway', 'router', 'delivery'], {
      TLS_CERT_FILE: join(dir, 'cert.pem'),
      TLS_KEY_FILE: join(dir, 'key.pem'),
    });
  });

  after(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves each service over TLS and refuses plain HTTP on its port', async () => {
    for (const name of ['admin', 'gateway', 'router', 'delivery'] as const) {
      const url = stack.url(name);
      assert.match(url, /^https:\/\/127\.0\.0\.1:\d+$/, `${name} announces https`);
      const health = await call(`${url}/health`);
      assert.equal(health.status, 200, `${name}: ${health.text}`);
      assert.deepEqual(health.body, { status: 'ok' });
      const plain = await new Promise<string>((resolve) => {
        const req = httpRequest(url.replace('https:', 'http:') + '/health', (res) => resolve(`HTTP ${res.statusCode}`));
        req.on('error', (error) => resolve(`error: ${error.message}`));
        req.end();
      });
      assert.doesNotMatch(plain, /HTTP 200/, `${name} must not answer plain HTTP: ${plain}`);
    }
  });

  it('accepts an event published over HTTPS with a key issued over HTTPS', async () => {
    const created = await call(`${stack.url('admin')}/v1/agencies`, 'POST', stack.adminToken, {
      ori: testOri(),
      name: 'TLS agency',
      kind: 'local',
    });
    assert.equal(created.status, 201, created.text);
    const issued = await call(`${stack.url('admin')}/v1/agencies/${String(created.body['id'])}/api-keys`, 'POST', stack.adminToken, {
      label: 'tls',
      scopes: ['publish'],
    });
    assert.equal(issued.status, 201, issued.text);
    const event = exampleEvent('gov.liaison.incident.reported.v1');
    const accepted = await call(
      `${stack.url('gateway')}/v1/events`,
      'POST',
      String(issued.body['key']),
      event,
      'application/cloudevents+json',
    );
    assert.equal(accepted.status, 202, accepted.text);
    assert.equal(accepted.body['id'], event['id']);
  });
});
