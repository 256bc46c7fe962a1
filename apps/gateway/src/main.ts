import 'reflect-metadata';
import { loadConfig } from '@liaison/config';
import { bootstrapService, runMain } from '@liaison/http';
import { GatewayConfig } from './gateway.config';
import { GatewayModule } from './gateway.module';
import { serveOpenApi } from './openapi/openapi';
import { BATCH_TYPES, STRUCTURED_TYPES } from './publish-event/events.controller';

runMain(async () => {
  const config = loadConfig(GatewayConfig);
  await bootstrapService({
    name: 'gateway',
    module: GatewayModule.forRoot(config),
    config,
    json: [
      { limit: config.GATEWAY_MAX_EVENT_BODY, types: STRUCTURED_TYPES },
      { limit: config.GATEWAY_MAX_BATCH_BODY, types: BATCH_TYPES, elementsScreenedByHandler: true },
    ],
    configure: serveOpenApi,
  });
});
