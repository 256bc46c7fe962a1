import { Module, type DynamicModule } from '@nestjs/common';
import { HealthController } from '@liaison/http';
import { KafkaModule } from '@liaison/messaging';
import { PersistenceModule } from '@liaison/persistence';
import { rateLimitProviders } from '@liaison/ratelimit';
import { ConfigStatusController } from './config/config-status.controller';
import { ConfigTopicReader } from './config/config-topic-reader';
import { IngestConsumer } from './route-batch/ingest-consumer';
import { RouteBatchUseCase } from './route-batch/route-batch.usecase';
import { SharingSnapshot } from './route-batch/sharing-snapshot';
import { RouterConfig } from './router.config';

@Module({})
export class RouterModule {
  static forRoot(config: RouterConfig): DynamicModule {
    return {
      module: RouterModule,
      imports: [
        PersistenceModule.forRoot({ url: config.DATABASE_URL, applicationName: 'liaison-router' }),
        KafkaModule.forRoot({
          brokers: config.brokerList(),
          clientId: `liaison-router-${config.SERVICE_INSTANCE}`,
          security: config.kafkaSecurity(),
        }),
      ],
      controllers: [HealthController, ConfigStatusController],
      providers: [
        ...rateLimitProviders('router', config),
        { provide: RouterConfig, useValue: config },
        SharingSnapshot,
        ConfigTopicReader,
        RouteBatchUseCase,
        IngestConsumer,
      ],
    };
  }
}
