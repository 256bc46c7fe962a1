import { Module, type DynamicModule } from '@nestjs/common';
import { HealthController } from '@liaison/http';
import { KafkaModule } from '@liaison/messaging';
import { PersistenceModule } from '@liaison/persistence';
import { DeliveryConfig } from './delivery.config';
import { DeliveryConsumer } from './record-deliveries/delivery-consumer';
import { RecordDeliveriesUseCase } from './record-deliveries/record-deliveries.usecase';
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
        KafkaModule.forRoot({ brokers: config.brokerList(), clientId: `liaison-delivery-${config.SERVICE_INSTANCE}` }),
      ],
      controllers: [HealthController],
      providers: [
        { provide: DeliveryConfig, useValue: config },
        RecordDeliveriesUseCase,
        DeliveryConsumer,
        WebhookSender,
        DeliverWebhookUseCase,
        WebhookDispatcher,
      ],
    };
  }
}
