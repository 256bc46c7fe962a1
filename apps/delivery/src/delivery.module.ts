import { Module, type DynamicModule } from '@nestjs/common';
import { agencyKeyAuthenticatorProvider, HealthController } from '@liaison/http';
import { KafkaModule } from '@liaison/messaging';
import { PersistenceModule } from '@liaison/persistence';
import { rateLimitProviders } from '@liaison/ratelimit';
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
        ...rateLimitProviders('delivery', config),
        { provide: DeliveryConfig, useValue: config },
        RecordDeliveriesUseCase,
        DeliveryConsumer,
        WebhookSender,
        AttemptCompletions,
        DeliverWebhookUseCase,
        WebhookDispatcher,
        agencyKeyAuthenticatorProvider(config.DELIVERY_KEY_CACHE_TTL_MS),
        PullEventsUseCase,
        InboxNotifications,
      ],
    };
  }
}
