import { IsInt, Matches, Max, Min } from 'class-validator';
import { CommonConfig } from '@liaison/config';

export class GatewayConfig extends CommonConfig {
  /**
   * Largest accepted request body. CloudEvents' Kafka binding advises events well under 1 MB;
   * an incident with a long narrative is a few kB. 256 kB leaves room for batches of small events.
   */
  @Matches(/^\d+(kb|mb)$/, { message: 'GATEWAY_MAX_BODY must look like 256kb or 1mb' })
  GATEWAY_MAX_BODY: string = '256kb';

  /** How long a verified API key is trusted before it is looked up again (revocation delay). */
  @IsInt()
  @Min(0)
  @Max(60_000)
  GATEWAY_KEY_CACHE_TTL_MS: number = 5_000;
}
