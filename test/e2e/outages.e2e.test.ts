import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { toBinaryRecord, topicNames, validateEvent } from '@liaison/contracts';
import { DurableProducer } from '@liaison/messaging';
import {
  createAgency,
  createAgreement,
  exampleEvent,
  expectEventually,
  issueKey,
  request,
  startStack,
  testKafka,
  type TestAgency,
  type TestStack,
} from '@liaison/testing';

const INCIDENT = 'gov.liaison.incident.reported.v1';

/**
 * The stack's database cut off (closed to new connections, its sessions ended) and restored, with
 * the gateway answering and the router consuming throughout.
 */
describe('outages: the database goes away and comes back', () => {
  let stack: TestStack;
  let maintenance: Client;
  let a: TestAgency;
  let key: string;
  let databaseName: string;

  const setConnections = async (allowed: boolean): Promise<void> => {
    await maintenance.query(`ALTER DATABASE "${databaseName}" WITH ALLOW_CONNECTIONS ${allowed ? 'true' : 'false'}`);
    if (!allowed) {
      await maintenance.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [
        databaseName,
      ]);
    }
  };

  const decisionsFor = async (eventId: string): Promise<number> => {
    const client = new Client({ connectionString: stack.database.url });
    await client.connect();
    try {
      const rows = await client.query<{ n: string }>('SELECT count(*) AS n FROM dissemination WHERE event_id = $1', [eventId]);
      return Number(rows.rows[0]?.n);
    } finally {
      await client.end();
    }
  };

  before(async () => {
    stack = await startStack('outages', ['admin', 'gateway', 'router']);
    databaseName = decodeURIComponent(new URL(stack.database.url).pathname.slice(1));
    const maintenanceUrl = new URL(stack.database.url);
    maintenanceUrl.pathname = '/postgres';
    maintenance = new Client({ connectionString: maintenanceUrl.toString() });
    await maintenance.connect();
    a = await createAgency(stack, 'Publisher');
    const b = await createAgency(stack, 'Partner');
    await createAgreement(stack, a, b);
    key = await issueKey(stack, a, ['publish']);
  });

  after(async () => {
    await setConnections(true).catch(() => undefined);
    await maintenance?.end();
    await stack?.stop();
  });

  it('gateway: 503 with Retry-After (RFC 9457) while the database is unreachable, 202 again within 5 s of its return', async () => {
    const publish = () => request('POST', `${stack.url('gateway')}/v1/events`, { token: key, body: exampleEvent(INCIDENT) });
    assert.equal((await publish()).status, 202);
    await setConnections(false);
    try {
      // The key cache (200 ms in tests) runs out, and the key must be looked up in the database.
      const refused = await expectEventually(async () => {
        const res = await publish();
        assert.equal(res.status, 503, res.text);
        return res;
      });
      for (let i = 0; i < 5; i++) {
        const res = await publish();
        assert.equal(res.status, 503, `never a 500 while the database is away: ${res.text}`);
      }
      assert.match(refused.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.match(refused.headers.get('retry-after') ?? '', /^\d+$/);
      assert.equal(refused.body['type'], 'urn:liaison:problem:unavailable');
      assert.equal(refused.body['status'], 503);
      assert.equal(refused.body['errorId'], undefined, 'not an internal error');
    } finally {
      await setConnections(true);
    }
    const returned = Date.now();
    await expectEventually(async () => assert.equal((await publish()).status, 202), { timeoutMs: 5_000, intervalMs: 200 });
    console.log(`[outages] gateway accepting again ${Date.now() - returned} ms after the database returned`);
  });

  it('router: keeps the events it could not store, dead-letters none, and routes them within 5 s of the database returning', async () => {
    const producer = new DurableProducer(testKafka(stack.brokers));
    await producer.connect();
    try {
      await setConnections(false);
      const outcome = validateEvent({ ...exampleEvent(INCIDENT), agency: a.id });
      assert.ok(outcome.ok);
      let returned: number;
      try {
        await producer.send([{ topic: topicNames(stack.namespace).ingest, ...toBinaryRecord(outcome.value) }]);
        // Let the router meet the outage and retry it for longer than its record-specific attempts.
        await new Promise((r) => setTimeout(r, 8_000));
      } finally {
        await setConnections(true);
        returned = Date.now();
      }
      await expectEventually(async () => assert.equal(await decisionsFor(outcome.value.id), 1), { timeoutMs: 5_000, intervalMs: 100 });
      console.log(`[outages] router routing again ${Date.now() - returned} ms after the database returned`);
    } finally {
      await producer.disconnect();
    }
  });

  it('a client that aborts its upload gets no server error logged', async () => {
    const { port } = new URL(stack.url('gateway'));
    const lines: string[] = [];
    const onLine = (chunk: Buffer): void => {
      lines.push(chunk.toString());
    };
    stack.services.gateway?.child.stdout?.on('data', onLine);
    stack.services.gateway?.child.stderr?.on('data', onLine);
    try {
      await new Promise<void>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(
            `POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"specversion":`,
          );
          setTimeout(() => socket.destroy(), 200);
        });
        socket.on('close', () => resolve());
        socket.on('error', reject);
      });
      // The gateway still answers, and what it logged about the abort is not an error.
      assert.equal((await request('POST', `${stack.url('gateway')}/v1/events`, { token: key, body: exampleEvent(INCIDENT) })).status, 202);
      assert.deepEqual(
        lines.filter((l) => /ERROR|aborted/i.test(l)),
        [],
      );
    } finally {
      stack.services.gateway?.child.stdout?.off('data', onLine);
      stack.services.gateway?.child.stderr?.off('data', onLine);
    }
  });
});
