import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { createDataSource } from './data-source';
import { AgencyRepository } from './repositories/agency.repository';
import { ApiKeyRepository } from './repositories/api-key.repository';
import { AuditLogRepository } from './repositories/audit-log.repository';
import { LedgerRepository } from './repositories/ledger.repository';
import { RoutedEventRepository } from './repositories/routed-event.repository';
import { OperatorAccountRepository } from './repositories/operator-account.repository';
import { SessionRepository } from './repositories/session.repository';
import { InboxRepository } from './repositories/inbox.repository';
import { SubscriptionRepository } from './repositories/subscription.repository';
import { WebhookDeliveryRepository } from './repositories/webhook-delivery.repository';
import { FeedRepository } from './repositories/feed.repository';
import { OutboxRepository } from './repositories/outbox.repository';
import { RateLimitRepository } from './repositories/rate-limit.repository';
import { SharingGroupRepository } from './repositories/sharing-group.repository';
import { SharingPolicyRepository } from './repositories/sharing-policy.repository';

const REPOSITORIES = [
  AgencyRepository,
  ApiKeyRepository,
  LedgerRepository,
  RoutedEventRepository,
  OperatorAccountRepository,
  SessionRepository,
  AuditLogRepository,
  InboxRepository,
  SubscriptionRepository,
  WebhookDeliveryRepository,
  FeedRepository,
  SharingGroupRepository,
  SharingPolicyRepository,
  OutboxRepository,
  RateLimitRepository,
];

/** Provides an initialised DataSource and the repositories; closes the pool on shutdown. */
@Module({})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(private readonly moduleRef: ModuleRef) {}

  static forRoot(options: { url: string; applicationName: string }): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      providers: [
        {
          provide: DataSource,
          useFactory: () => createDataSource(options.url, options.applicationName).initialize(),
        },
        ...REPOSITORIES,
      ],
      exports: [DataSource, ...REPOSITORIES],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    const dataSource = this.moduleRef.get(DataSource, { strict: false });
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}
