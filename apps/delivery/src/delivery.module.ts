import { Module, type DynamicModule } from '@nestjs/common';
import { AgencyKeyAuthenticator } from '@liaison/auth';
import { HealthController } from '@liaison/http';
import { KafkaModule } from '@liaison/messaging';
import { AgencyRepository, ApiKeyRepository, PersistenceModule } from '@liaison/persistence';
import { ConsumerAuth } from './auth/consumer-auth';
import { DeliveryConfig } from './delivery.config';
import { EventsController } from './pull-events/events.controller';
import { PullEventsUseCase } from './pull-events/pull-events.usecase';
import { DeliveryConsumer } from './record-deliveries/delivery-consumer';
import { RecordDeliveriesUseCase } from './record-deliveries/record-deliveries.usecase';
import { InboxNotifications } from './stream-events/inbox-notifications';
import { StreamController } from './stream-events/stream.controller';
import { AttemptCompletions } from './webhooks/attempt-completions';
import { DeliverWebhookUseCase } from './webhooks/deliver-webhook.usecase';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher';
import { WebhookSender } from './webhooks/webhook-sender';

@Module({})
export class DeliveryModule {
  static forRoot(config: DeliveryConfig): DynamicModule {
    return {
      module: DeliveryModule,
      imports: [
        PersistenceModule.forRoot({ url: config.DATABASE_URL, applicationName: 'liaison-delivery' }),
        KafkaModule.forRoot({
          brokers: config.brokerList(),
          clientId: `liaison-delivery-${config.SERVICE_INSTANCE}`,
          security: config.kafkaSecurity(),
        }),
      ],
      controllers: [HealthController, EventsController, StreamController],
      providers: [
        { provide: DeliveryConfig, useValue: config },
        RecordDeliveriesUseCase,
        DeliveryConsumer,
        WebhookSender,
        AttemptCompletions,
        DeliverWebhookUseCase,
        WebhookDispatcher,
        {
          provide: AgencyKeyAuthenticator,
          useFactory: (keys: ApiKeyRepository, agencies: AgencyRepository) =>
            new AgencyKeyAuthenticator(keys, agencies, config.DELIVERY_KEY_CACHE_TTL_MS),
          inject: [ApiKeyRepository, AgencyRepository],
        },
        ConsumerAuth,
        PullEventsUseCase,
        InboxNotifications,
      ],
    };
  }
}
