import { IsInt, Max, Min } from 'class-validator';
import { CommonConfig } from '@liaison/config';

export class RouterConfig extends CommonConfig {
  /**
   * How long the view derived from the policies is reused before policies' validity windows are
   * checked again. Configuration changes themselves apply as soon as they arrive on the config topic.
   */
  @IsInt()
  @Min(0)
  @Max(60_000)
  ROUTER_SNAPSHOT_TTL_MS: number = 1_000;

  /** How long the router may take, at start, to read the configuration topic to its end before it gives up. */
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  ROUTER_CONFIG_CATCH_UP_MS: number = 60_000;
}
