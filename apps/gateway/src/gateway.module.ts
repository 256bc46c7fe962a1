import { Module, type DynamicModule } from '@nestjs/common';
import { agencyKeyAuthenticatorProvider, HealthController } from '@liaison/http';
import { CoalescingPublisher, DurableProducer, KafkaModule } from '@liaison/messaging';
import { PersistenceModule } from '@liaison/persistence';
import { rateLimitProviders } from '@liaison/ratelimit';
import { GatewayConfig } from './gateway.config';
import { EventsController } from './publish-event/events.controller';
import { IngestTopicInitializer } from './publish-event/ingest-topic.initializer';
import { PublishEventsUseCase } from './publish-event/publish-events.usecase';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        PersistenceModule.forRoot({ url: config.DATABASE_URL, applicationName: 'liaison-gateway' }),
        KafkaModule.forRoot({
          brokers: config.brokerList(),
          clientId: `liaison-gateway-${config.SERVICE_INSTANCE}`,
          security: config.kafkaSecurity(),
        }),
      ],
      controllers: [EventsController, HealthController],
      providers: [
        ...rateLimitProviders('gateway', config),
        { provide: GatewayConfig, useValue: config },
        { provide: CoalescingPublisher, useFactory: (p: DurableProducer) => new CoalescingPublisher(p), inject: [DurableProducer] },
        agencyKeyAuthenticatorProvider(config.GATEWAY_KEY_CACHE_TTL_MS),
        PublishEventsUseCase,
        IngestTopicInitializer,
      ],
    };
  }
}
