import 'reflect-metadata';
import { loadConfig } from '@liaison/config';
import { bootstrapService, runMain } from '@liaison/http';
import { AdminConfig } from './admin.config';
import { AdminModule } from './admin.module';
import { serveOpenApi } from './openapi/openapi';

runMain(async () => {
  const config = loadConfig(AdminConfig);
  await bootstrapService({
    name: 'admin',
    module: AdminModule.forRoot(config),
    config,
    configure: serveOpenApi,
  });
});
