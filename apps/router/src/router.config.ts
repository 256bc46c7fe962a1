import { IsInt, Max, Min } from 'class-validator';
import { CommonConfig } from '@liaison/config';

export class RouterConfig extends CommonConfig {
  /** How long the agency and agreement snapshot is reused before it is reloaded (one query per batch at most). */
  @IsInt()
  @Min(0)
  @Max(60_000)
  ROUTER_SNAPSHOT_TTL_MS: number = 1_000;
}
