import 'reflect-metadata';
import { loadConfig } from '@liaison/config';
import { bootstrapService, runMain } from '@liaison/http';
import { RouterConfig } from './router.config';
import { RouterModule } from './router.module';

runMain(async () => {
  const config = loadConfig(RouterConfig);
  await bootstrapService({
    name: 'router',
    module: RouterModule.forRoot(config),
    config,
  });
});
