import 'reflect-metadata';
import { loadConfig } from '@liaison/config';
import { bootstrapService, runMain } from '@liaison/http';
import { DeliveryConfig } from './delivery.config';
import { DeliveryModule } from './delivery.module';

runMain(async () => {
  const config = loadConfig(DeliveryConfig);
  await bootstrapService({
    name: 'delivery',
    module: DeliveryModule.forRoot(config),
    host: config.HOST,
    port: config.PORT,
    logLevel: config.LOG_LEVEL,
  });
});
