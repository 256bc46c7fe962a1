import 'reflect-metadata';
import { loadConfig } from '@liaison/config';
import { bootstrapService, runMain } from '@liaison/http';
import { DELIVERY_SENSITIVE, DeliveryConfig } from './delivery.config';
import { DeliveryModule } from './delivery.module';
import { serveOpenApi } from './openapi/openapi';

runMain(async () => {
  const config = loadConfig(DeliveryConfig, process.env, DELIVERY_SENSITIVE);
  await bootstrapService({
    name: 'delivery',
    module: DeliveryModule.forRoot(config),
    config,
    configure: serveOpenApi,
  });
});
