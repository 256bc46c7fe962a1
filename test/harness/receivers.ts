import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One webhook call as a partner's receiver saw it. */
export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signatures: string[];
  body: string;
  event: Record<string, unknown>;
  status: number;
  /** Date.now() when the call arrived. */
  receivedAt: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Secrets the receiver accepts; a call signed by none of them is answered 401 and counted as forged. */
  secrets: string[];
  forged: number;
  close(): Promise<void>;
}

/**
 * Verifies a Standard Webhooks signature the way a partner would, from the specification alone:
 * HMAC-SHA256 over `id.timestamp.body` with the base64 key after `whsec_`, any `v1,` entry matching.
 */
export function partnerVerifies(secret: string, headers: IncomingHttpHeaders, body: string, nowSeconds: number): boolean {
  const id = String(headers['webhook-id'] ?? '');
  const timestamp = String(headers['webhook-timestamp'] ?? '');
  if (id === '' || !/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > 300) return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return String(headers['webhook-signature'] ?? '')
    .split(' ')
    .some((entry) => {
      const [version, mac] = entry.split(',');
      const presented = Buffer.from(mac ?? '', 'base64');
      return version === 'v1' && presented.length === expected.length && timingSafeEqual(presented, expected);
    });
}

/**
 * A real HTTP receiver on loopback. `respond` picks the status for each verified call (default
 * 200), so a test can make an endpoint fail, recover, or answer 410.
 */
export async function startWebhookReceiver(respond: (call: number) => number = () => 200): Promise<WebhookReceiver> {
  const receiver: WebhookReceiver = { url: '', received: [], secrets: [], forged: 0, close: () => Promise.resolve() };
  let calls = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const now = Math.floor(Date.now() / 1000);
      if (!receiver.secrets.some((s) => partnerVerifies(s, request.headers, body, now))) {
        receiver.forged += 1;
        response.writeHead(401).end();
        return;
      }
      calls += 1;
      const status = respond(calls);
      receiver.received.push({
        id: String(request.headers['webhook-id']),
        timestamp: String(request.headers['webhook-timestamp']),
        signatures: String(request.headers['webhook-signature']).split(' '),
        body,
        event: JSON.parse(body) as Record<string, unknown>,
        status,
        receivedAt: Date.now(),
      });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/liaison`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

export interface SseEvent {
  id: string;
  data: string;
}

export interface SseClient {
  status: number;
  events: SseEvent[];
  close(): void;
}

/** Opens a Server-Sent Events stream and collects its events (comments and retry lines are skipped). */
export async function openSse(url: string, token: string, lastEventId?: string): Promise<SseClient> {
  const controller = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
  if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
  const response = await fetch(url, { headers, signal: controller.signal });
  const client: SseClient = { status: response.status, events: [], close: () => controller.abort() };
  if (response.status !== 200 || response.body === null) {
    await response.text().catch(() => undefined);
    return client;
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const chunk = (await reader.read()) as { done: boolean; value?: Uint8Array };
        if (chunk.done) return;
        buffer += decoder.decode(chunk.value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let id = '';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) id = line.slice(4);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length > 0) client.events.push({ id, data: data.join('\n') });
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return client;
}
