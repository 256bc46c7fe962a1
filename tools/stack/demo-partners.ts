/**
 * The partner side of the demo: what a receiving agency runs to take its copies — a webhook
 * endpoint that verifies Standard Webhooks signatures, a live-stream (SSE) client and a pull
 * client that pages with the cursor. Each is written the way a partner would write it, against the
 * public HTTP contract only.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '@liaison/webhooks';

/** One signed call that the receiver verified and answered. */
export interface VerifiedCall {
  webhookId: string;
  eventId: string;
  type: string;
  subject: string;
  /** 1 for the first call with this webhook-id, 2 for its first retry, … */
  attempt: number;
  status: number;
}

export interface DemoReceiver {
  url: string;
  port: number;
  /** The secrets it accepts (the `whsec_…` returned when the subscription was created). */
  secrets: string[];
  calls: VerifiedCall[];
  /** Calls refused because no secret verified them (answered 401). */
  refused: number;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

/** `gov.liaison.incident.reported.v1` → `incident.reported.v1`, for short lines. */
export function shortType(type: unknown): string {
  return String(type).replace(/^gov\.liaison\./, '');
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A partner's webhook endpoint on loopback. Every call is verified with the subscription's secret
 * (signature and timestamp, as any Standard Webhooks library does) before it is believed. With
 * `failFirst`, the very first verified call is answered 503, as an endpoint briefly down would, so
 * the demo shows Liaison retrying it; every other verified call gets 200.
 */
export async function startDemoReceiver(options: { port: number; failFirst: boolean; log: (line: string) => void }): Promise<DemoReceiver> {
  let failNext = options.failFirst;
  const receiver: DemoReceiver = { url: '', port: 0, secrets: [], calls: [], refused: 0, close: () => Promise.resolve() };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      if (request.method !== 'POST' || body === undefined) {
        response.writeHead(request.method !== 'POST' ? 405 : 413).end();
        return;
      }
      const headers = {
        'webhook-id': request.headers['webhook-id'] as string | undefined,
        'webhook-timestamp': request.headers['webhook-timestamp'] as string | undefined,
        'webhook-signature': request.headers['webhook-signature'] as string | undefined,
      };
      const now = Math.floor(Date.now() / 1000);
      const verdicts = receiver.secrets.map((secret) => verifyWebhook(secret, headers, body, now));
      if (!verdicts.some((v) => v.ok)) {
        receiver.refused += 1;
        const reasons = verdicts.flatMap((v) => (v.ok ? [] : [v.reason]));
        options.log(`refused a call: ${reasons[0] ?? 'no secret to verify with yet'} → 401`);
        response.writeHead(401).end();
        return;
      }
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(body) as Record<string, unknown>;
      } catch {
        response.writeHead(400).end();
        return;
      }
      const webhookId = String(headers['webhook-id']);
      const attempt = receiver.calls.filter((c) => c.webhookId === webhookId).length + 1;
      const status = failNext ? 503 : 200;
      failNext = false;
      receiver.calls.push({
        webhookId,
        eventId: String(event['id']),
        type: String(event['type']),
        subject: String(event['subject']),
        attempt,
        status,
      });
      const what = `${webhookId}  ${shortType(event['type'])}  ${String(event['subject'])}  signature ok`;
      if (status === 503) options.log(`${what} → 503 (simulated outage; Liaison will retry)`);
      else options.log(`${what} → 200${attempt > 1 ? ` (attempt ${attempt}: the retry got through)` : ''}`);
      response.writeHead(status).end();
    })().catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`the demo webhook receiver cannot listen on 127.0.0.1:${options.port} (in use); set DEMO_RECEIVER_PORT`)
          : error,
      ),
    );
    server.listen(options.port, '127.0.0.1', resolve);
  });
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}/hooks/liaison`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

export interface StreamedEvent {
  /** The SSE `id`: the copy's position in the agency's stream, what `Last-Event-ID` resumes after. */
  id: string;
  event: Record<string, unknown>;
}

export interface DemoStream {
  status: number;
  events: StreamedEvent[];
  close(): void;
}

/**
 * Opens `GET /v1/agencies/{id}/stream` with a consume key and parses text/event-stream: `id:` and
 * `data:` fields, a blank line ends an event, lines starting with `:` are comments (heartbeats).
 */
export async function openDemoStream(
  url: string,
  token: string,
  options: { lastEventId?: string; onEvent?: (e: StreamedEvent) => void } = {},
): Promise<DemoStream> {
  const controller = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
  const response = await fetch(url, { headers, signal: controller.signal });
  const stream: DemoStream = { status: response.status, events: [], close: () => controller.abort() };
  if (response.status !== 200 || response.body === null) {
    const text = await response.text().catch(() => '');
    throw new Error(`GET ${url} → ${response.status}: ${text}`);
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let id = '';
  let data: string[] = [];
  const line = (text: string): void => {
    if (text === '') {
      if (data.length > 0) {
        const received = { id, event: JSON.parse(data.join('\n')) as Record<string, unknown> };
        stream.events.push(received);
        options.onEvent?.(received);
      }
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    const value = colon < 0 ? '' : text.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'data') data.push(value);
  };
  void (async () => {
    try {
      for (;;) {
        const chunk = (await reader.read()) as { done: boolean; value?: Uint8Array };
        if (chunk.done) return;
        buffer += decoder.decode(chunk.value, { stream: true });
        let end: number;
        while ((end = buffer.search(/\r\n|\r|\n/)) >= 0) {
          const crlf = buffer.startsWith('\r\n', end);
          line(buffer.slice(0, end));
          buffer = buffer.slice(end + (crlf ? 2 : 1));
        }
      }
    } catch {
      // Aborted by close(), or the service stopped: a real client would reconnect with Last-Event-ID.
    }
  })();
  return stream;
}

export interface PulledPage {
  objects: Record<string, unknown>[];
  more: boolean;
}

/**
 * Pages `GET /v1/agencies/{id}/events` with the opaque cursor, `limit` at a time, until a page says
 * `more: false` and `done(all objects so far)` holds — polling from the last cursor while copies are
 * still arriving, as a partner's poller does. Throws after `timeoutMs`.
 */
export async function pullUntil(
  eventsUrl: string,
  token: string,
  options: { limit: number; done: (objects: Record<string, unknown>[]) => boolean; onPage: (page: PulledPage) => void; timeoutMs: number },
): Promise<{ objects: Record<string, unknown>[]; pages: number; next: string }> {
  const objects: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  let pages = 0;
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const query = new URLSearchParams({ limit: String(options.limit), ...(cursor === undefined ? {} : { cursor }) });
    const response = await fetch(`${eventsUrl}?${query.toString()}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    if (!response.ok) throw new Error(`GET ${eventsUrl} → ${response.status}: ${text}`);
    const page = JSON.parse(text) as { more: boolean; next: string; objects: Record<string, unknown>[] };
    cursor = page.next;
    if (page.objects.length > 0) {
      pages += 1;
      objects.push(...page.objects);
      options.onPage({ objects: page.objects, more: page.more });
    }
    if (!page.more && options.done(objects)) return { objects, pages, next: page.next };
    if (!page.more) {
      if (Date.now() > deadline)
        throw new Error(`pulled ${objects.length} copies from ${eventsUrl}, not all expected, within ${options.timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
