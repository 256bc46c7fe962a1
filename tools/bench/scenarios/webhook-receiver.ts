/**
 * The webhook bench's receiver, in a process of its own (a partner's server is not in Liaison's
 * process): answers every POST with 200, verifies Standard Webhooks signatures of signed calls the
 * way a partner does, and records what arrived (path and webhook-id, or the baseline's bench-id)
 * with the arrival time in epoch milliseconds (sub-millisecond, comparable across processes).
 *
 * Messages from the parent: `secrets` (path → whsec_ secret), `count` (how many arrived so far),
 * `collect` (hand over and forget everything recorded).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

export type ReceiverRequest = { kind: 'secrets'; secrets: Record<string, string> } | { kind: 'count' } | { kind: 'collect' };

export type ReceiverReply =
  | { kind: 'listening'; port: number }
  | { kind: 'count'; arrived: number }
  | { kind: 'collected'; keys: string[]; at: number[]; forged: number };

const keys = new Map<string, Buffer>();
let arrivedKeys: string[] = [];
let arrivedAt: number[] = [];
let forged = 0;

function verified(path: string, id: string, timestamp: string, signatures: string, body: Buffer): boolean {
  const key = keys.get(path);
  if (key === undefined || !/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
  return signatures.split(' ').some((entry) => {
    const [version, mac] = entry.split(',');
    const presented = Buffer.from(mac ?? '', 'base64');
    return version === 'v1' && presented.length === expected.length && timingSafeEqual(presented, expected);
  });
}

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (c: Buffer) => chunks.push(c));
  request.on('end', () => {
    const at = performance.timeOrigin + performance.now();
    const path = request.url ?? '/';
    const id = request.headers['webhook-id'];
    if (typeof id === 'string') {
      const ok = verified(
        path,
        id,
        String(request.headers['webhook-timestamp'] ?? ''),
        String(request.headers['webhook-signature'] ?? ''),
        Buffer.concat(chunks),
      );
      if (!ok) {
        forged += 1;
        response.writeHead(401).end();
        return;
      }
      arrivedKeys.push(`${path} ${id}`);
    } else {
      arrivedKeys.push(`${path} ${String(request.headers['bench-id'] ?? '')}`);
    }
    arrivedAt.push(at);
    response.writeHead(200).end();
  });
});
server.keepAliveTimeout = 30_000;

process.on('message', (message: ReceiverRequest) => {
  const reply = (r: ReceiverReply): void => {
    process.send?.(r);
  };
  switch (message.kind) {
    case 'secrets':
      for (const [path, secret] of Object.entries(message.secrets)) keys.set(path, Buffer.from(secret.slice('whsec_'.length), 'base64'));
      break;
    case 'count':
      reply({ kind: 'count', arrived: arrivedKeys.length });
      break;
    case 'collect':
      reply({ kind: 'collected', keys: arrivedKeys, at: arrivedAt, forged });
      arrivedKeys = [];
      arrivedAt = [];
      forged = 0;
      break;
  }
});
// The parent going away ends the receiver too.
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => {
  process.send?.({ kind: 'listening', port: (server.address() as AddressInfo).port } satisfies ReceiverReply);
});
