import { Module } from '@nestjs/common';
import { loadConfig } from '@liaison/config';
import { AgencyScope } from '../agency-guard';
import { AuditModule } from '../audit/audit.module';
import { ChangeSubscriptionStatusUseCase } from './change-subscription-status.usecase';
import { CreateSubscriptionUseCase } from './create-subscription.usecase';
import { ReplaySubscriptionUseCase } from './replay-subscription.usecase';
import { RotateSecretUseCase } from './rotate-secret.usecase';
import { SubscriptionsConfig } from './subscriptions.config';
import { SubscriptionsController } from './subscriptions.controller';

/**
 * Partner subscriptions (webhook, pull, SSE) in the management API. Self-contained: it reads its own
 * settings at boot (failing fast without LIAISON_SECRET_KEY) and relies on the admin app's global
 * authentication guard and validation pipe.
 */
@Module({
  imports: [AuditModule],
  controllers: [SubscriptionsController],
  providers: [
    { provide: SubscriptionsConfig, useFactory: () => loadConfig(SubscriptionsConfig) },
    AgencyScope,
    CreateSubscriptionUseCase,
    RotateSecretUseCase,
    ReplaySubscriptionUseCase,
    ChangeSubscriptionStatusUseCase,
  ],
})
export class SubscriptionsModule {}
