import { IsInt, Max, Min } from 'class-validator';
import { CommonConfig } from '@liaison/config';

export class DeliveryConfig extends CommonConfig {
  /** How often the set of agency delivery topics is re-read, so a new agency is served without a restart. */
  @IsInt()
  @Min(200)
  @Max(300_000)
  DELIVERY_TOPIC_REFRESH_MS: number = 2_000;
}
