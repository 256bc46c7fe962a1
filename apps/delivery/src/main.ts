import 'reflect-metadata';
import { loadConfig } from '@liaison/config';
import { bootstrapService, runMain } from '@liaison/http';
import { DeliveryConfig } from './delivery.config';
import { DeliveryModule } from './delivery.module';
import { serveOpenApi } from './openapi/openapi';

runMain(async () => {
  const config = loadConfig(DeliveryConfig);
  await bootstrapService({
    name: 'delivery',
    module: DeliveryModule.forRoot(config),
    config,
    configure: serveOpenApi,
  });
});
