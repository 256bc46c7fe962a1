import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { Client } from 'pg';
import { INBOX_NOTIFY_CHANNEL } from '@liaison/persistence';
import { DeliveryConfig } from '../delivery.config';

/**
 * One LISTEN connection per delivery instance, fanned out to every open stream of the notified
 * recipient. Whichever instance stored the copies, the NOTIFY (sent on commit) reaches all of them,
 * so a stream served behind a load balancer hears of copies consumed elsewhere. Notifications are
 * only a wake-up: streams always read from the inbox, and also re-read on every heartbeat, so a
 * notification lost while reconnecting delays a copy by one heartbeat at most, never drops it.
 */
@Injectable()
export class InboxNotifications implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InboxNotifications.name);
  private readonly emitter = new EventEmitter();
  private client: Client | undefined;
  private stopping = false;

  constructor(@Inject(DeliveryConfig) private readonly config: DeliveryConfig) {
    this.emitter.setMaxListeners(0);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.client?.end().catch(() => undefined);
  }

  /** Calls `listener` whenever copies for `agencyId` were committed; returns the unsubscribe function. */
  subscribe(agencyId: string, listener: () => void): () => void {
    this.emitter.on(agencyId, listener);
    return () => this.emitter.off(agencyId, listener);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.config.DATABASE_URL, application_name: 'liaison-delivery-listen' });
    client.on('notification', (message) => {
      if (message.payload !== undefined) this.emitter.emit(message.payload);
    });
    client.on('error', (error) => {
      this.logger.warn(`LISTEN connection lost (${error.message}); reconnecting`);
      this.reconnectSoon();
    });
    await client.connect();
    await client.query(`LISTEN ${INBOX_NOTIFY_CHANNEL}`);
    this.client = client;
  }

  private reconnectSoon(): void {
    if (this.stopping) return;
    void this.client?.end().catch(() => undefined);
    this.client = undefined;
    setTimeout(() => {
      this.connect().catch((error: unknown) => {
        this.logger.warn(`LISTEN reconnect failed: ${error instanceof Error ? error.message : String(error)}`);
        this.reconnectSoon();
      });
    }, 1_000).unref();
  }
}
