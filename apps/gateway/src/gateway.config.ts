import { IsInt, Matches, Max, Min } from 'class-validator';
import { CommonConfig } from '@liaison/config';

export class GatewayConfig extends CommonConfig {
  /**
   * Largest single event (structured mode). CloudEvents' Kafka binding advises keeping events well
   * under Kafka's 1 MB default record size; an incident with a long narrative and several persons is
   * a few kB. 256 kB leaves room for generous narratives while bounding what one request can cost.
   */
  @Matches(/^\d+(kb|mb)$/, { message: 'GATEWAY_MAX_EVENT_BODY must look like 256kb or 1mb' })
  GATEWAY_MAX_EVENT_BODY: string = '256kb';

  /** Largest batch request body (application/cloudevents-batch+json). */
  @Matches(/^\d+(kb|mb)$/, { message: 'GATEWAY_MAX_BATCH_BODY must look like 1mb' })
  GATEWAY_MAX_BATCH_BODY: string = '1mb';

  /** Most events in one batch request. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  GATEWAY_MAX_BATCH_EVENTS: number = 500;

  /** How long a verified API key is trusted before it is looked up again (revocation delay). */
  @IsInt()
  @Min(0)
  @Max(60_000)
  GATEWAY_KEY_CACHE_TTL_MS: number = 5_000;
}
