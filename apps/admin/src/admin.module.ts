import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD, APP_PIPE } from '@nestjs/core';
import { HealthController, problemValidationPipe } from '@liaison/http';
import { KafkaModule } from '@liaison/messaging';
import { PersistenceModule } from '@liaison/persistence';
import { AdminConfig } from './admin.config';
import { AgenciesController } from './agencies/agencies.controller';
import { CreateAgencyUseCase } from './agencies/create-agency.usecase';
import { AgencyScope } from './agency-guard';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { AdminAuthGuard } from './auth/admin-auth.guard';
import { DisseminationsController } from './disseminations/disseminations.controller';
import { CreateSharingAgreementUseCase } from './sharing-agreements/create-sharing-agreement.usecase';
import { SharingAgreementsController } from './sharing-agreements/sharing-agreements.controller';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';

@Module({})
export class AdminModule {
  static forRoot(config: AdminConfig): DynamicModule {
    return {
      module: AdminModule,
      imports: [
        PersistenceModule.forRoot({ url: config.DATABASE_URL, applicationName: 'liaison-admin' }),
        KafkaModule.forRoot({ brokers: config.brokerList(), clientId: `liaison-admin-${config.SERVICE_INSTANCE}` }),
        SubscriptionsModule,
      ],
      controllers: [HealthController, AgenciesController, ApiKeysController, SharingAgreementsController, DisseminationsController],
      providers: [
        { provide: AdminConfig, useValue: config },
        { provide: APP_GUARD, useClass: AdminAuthGuard },
        { provide: APP_PIPE, useFactory: problemValidationPipe },
        AgencyScope,
        CreateAgencyUseCase,
        CreateSharingAgreementUseCase,
      ],
    };
  }
}
