import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { chooseAddress, mayConnect, parseAllowList, parseRetryAfter, webhookPort, type AllowEntry } from '@liaison/webhooks';
import { DeliveryConfig } from '../delivery.config';

export type SendResult =
  { kind: 'response'; status: number; retryAfterMs: number | undefined } | { kind: 'error'; reason: string; refused: boolean };

class RefusedTarget extends Error {}

/** How long an idle kept-alive connection to an endpoint is kept. */
const IDLE_SOCKET_MS = 4_000;

/**
 * POSTs one signed webhook. The SSRF check runs where the address is chosen (in the socket's DNS
 * lookup, and before connecting to a literal address), so a name cannot resolve to a public address
 * when checked and a private one when used; a kept-alive connection is reused only for the host and
 * port it was checked for. Connect and whole-exchange time-outs bound every call.
 */
@Injectable()
export class WebhookSender implements OnApplicationShutdown {
  private readonly allow: AllowEntry[];
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(@Inject(DeliveryConfig) private readonly config: DeliveryConfig) {
    this.allow = parseAllowList(config.WEBHOOK_ALLOWED_HOSTS) ?? [];
    // Connections are kept and reused per host and port. No socket cap: the dispatcher's budget
    // per endpoint bounds concurrency, and a cap shared by endpoints on one host would let one
    // slow endpoint queue another's requests. Idle connections close before a typical server's
    // keep-alive time-out (Node's is 5 s), and sooner when the server says so in Keep-Alive.
    const options = { keepAlive: true, timeout: IDLE_SOCKET_MS, maxFreeSockets: 256 };
    this.httpAgent = new http.Agent(options);
    this.httpsAgent = new https.Agent(options);
  }

  onApplicationShutdown(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  send(target: string, headers: Record<string, string>, body: string): Promise<SendResult> {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return Promise.resolve({ kind: 'error', reason: 'the url is not valid', refused: true });
    }
    const secure = url.protocol === 'https:';
    const port = webhookPort(url);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0) {
      const verdict = mayConnect(this.allow, host, host, port);
      if (!verdict.ok) return Promise.resolve({ kind: 'error', reason: verdict.reason, refused: true });
    }
    const allow = this.allow;
    const guardedLookup: LookupFunction = (hostname, options, callback) => {
      dnsLookup(hostname, { all: true }, (error, addresses: LookupAddress[]) => {
        if (error) return callback(error, '', 0);
        const chosen = chooseAddress(allow, hostname, addresses, port);
        if (!chosen.ok) return callback(new RefusedTarget(chosen.reason), '', 0);
        if (options.all)
          (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, [{ address: chosen.address, family: chosen.family }]);
        else callback(null, chosen.address, chosen.family);
      });
    };
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      let current: http.ClientRequest | undefined;
      const finish = (result: SendResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(overall);
        clearTimeout(connectTimer);
        resolve(result);
      };
      let connectTimer: NodeJS.Timeout | undefined;
      const overall = setTimeout(() => {
        current?.destroy(new Error(`no complete response within ${this.config.WEBHOOK_RESPONSE_TIMEOUT_MS} ms`));
      }, this.config.WEBHOOK_RESPONSE_TIMEOUT_MS);
      const post = (retried: boolean): void => {
        const request = (secure ? https : http).request(url, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/cloudevents+json', 'content-length': Buffer.byteLength(body) },
          lookup: guardedLookup,
          agent: secure ? this.httpsAgent : this.httpAgent,
        });
        current = request;
        request.on('socket', (socket) => {
          if (!socket.connecting) return;
          connectTimer = setTimeout(() => {
            request.destroy(new Error(`connect timed out after ${this.config.WEBHOOK_CONNECT_TIMEOUT_MS} ms`));
          }, this.config.WEBHOOK_CONNECT_TIMEOUT_MS);
          socket.once(secure ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
        });
        let answered = false;
        request.on('response', (response) => {
          answered = true;
          const retryAfter = response.headers['retry-after'];
          response.resume(); // the body is not needed; reading it lets the exchange finish
          response.on('end', () =>
            finish({ kind: 'response', status: response.statusCode ?? 0, retryAfterMs: parseRetryAfter(retryAfter, Date.now()) }),
          );
          response.on('error', (error) => finish({ kind: 'error', reason: error.message, refused: false }));
        });
        request.on('error', (error: NodeJS.ErrnoException) => {
          clearTimeout(connectTimer);
          // A kept-alive connection the endpoint closed just as it was reused: send once more on a
          // fresh one rather than count a failure and wait for the retry schedule.
          if (!retried && !answered && !settled && request.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) {
            post(true);
            return;
          }
          finish({ kind: 'error', reason: error.message, refused: error instanceof RefusedTarget });
        });
        request.end(body);
      };
      post(false);
    });
  }
}
