import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { createDataSource } from './data-source';
import { AgencyRepository } from './repositories/agency.repository';
import { ApiKeyRepository } from './repositories/api-key.repository';
import { AuditLogRepository } from './repositories/audit-log.repository';
import { LedgerRepository } from './repositories/ledger.repository';
import { OperatorAccountRepository } from './repositories/operator-account.repository';
import { SessionRepository } from './repositories/session.repository';
import { InboxRepository } from './repositories/inbox.repository';
import { SharingAgreementRepository } from './repositories/sharing-agreement.repository';
import { SubscriptionRepository } from './repositories/subscription.repository';
import { WebhookDeliveryRepository } from './repositories/webhook-delivery.repository';

const REPOSITORIES = [
  AgencyRepository,
  ApiKeyRepository,
  SharingAgreementRepository,
  LedgerRepository,
  OperatorAccountRepository,
  SessionRepository,
  AuditLogRepository,
  InboxRepository,
  SubscriptionRepository,
  WebhookDeliveryRepository,
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
