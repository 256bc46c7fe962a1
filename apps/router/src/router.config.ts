import { IsInt, Max, Min } from 'class-validator';
import { CommonConfig } from '@liaison/config';

export class RouterConfig extends CommonConfig {
  /** How long the router may take, at start, to read the configuration topic to its end before it gives up. */
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  ROUTER_CONFIG_CATCH_UP_MS: number = 60_000;
}
