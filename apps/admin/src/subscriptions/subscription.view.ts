import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SUBSCRIPTION_CHANNELS, type SubscriptionEntity, type SubscriptionFilters } from '@liaison/persistence';
import { FiltersDto } from './create-subscription.dto';

export class SubscriptionView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  agencyId!: string;

  @ApiProperty({ enum: SUBSCRIPTION_CHANNELS })
  channel!: string;

  @ApiProperty()
  label!: string;

  @ApiProperty({ type: FiltersDto })
  filters!: SubscriptionFilters;

  @ApiProperty({ type: String, nullable: true, description: 'the webhook URL (webhook channel only)' })
  url!: string | null;

  @ApiProperty({ enum: ['active', 'disabled'] })
  status!: string;

  /** Why the endpoint was disabled (410 Gone, failing too long, refused target, or an administrator). */
  @ApiProperty({ type: String, nullable: true })
  disabledReason!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  failingSince!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'until then the previous secret signs too' })
  rotationEndsAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class SubscriptionWithSecretView extends SubscriptionView {
  @ApiPropertyOptional({ description: 'the webhook signing secret (`whsec_…`): in this response only', example: 'whsec_…' })
  secret?: string;
}

export class SubscriptionHealthView extends SubscriptionView {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'webhook deliveries by state',
    example: { delivered: 12 },
  })
  deliveries!: Record<string, number>;

  @ApiProperty({ type: String, nullable: true })
  lastError!: string | null;
}

export class SubscriptionList {
  @ApiProperty({ type: [SubscriptionView] })
  items!: SubscriptionView[];
}

export class ReplayResult {
  @ApiProperty({ minimum: 0, description: 'copies queued for delivery again' })
  queued!: number;
}

export class DeliveryRecordView {
  @ApiProperty({ format: 'uuid' })
  ownerAgencyId!: string;

  @ApiProperty()
  eventId!: string;

  @ApiProperty({ description: 'webhook, pull, sse or agency-topic' })
  channel!: string;

  @ApiProperty({ example: 'delivered' })
  outcome!: string;

  @ApiProperty({ type: String, nullable: true })
  detail!: string | null;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

export class DeliveryList {
  @ApiProperty({ type: [DeliveryRecordView] })
  items!: DeliveryRecordView[];
}

/** The public shape of a subscription; secrets never appear, sealed or not. */
export function subscriptionView(s: SubscriptionEntity, now: Date = new Date()): SubscriptionView {
  const rotating = s.previousSecretExpiresAt !== null && s.previousSecretExpiresAt.getTime() > now.getTime();
  return {
    id: s.id,
    agencyId: s.agencyId,
    channel: s.channel,
    label: s.label,
    filters: s.filters,
    url: s.url,
    status: s.status,
    disabledReason: s.disabledReason,
    failingSince: s.failingSince?.toISOString() ?? null,
    rotationEndsAt: rotating ? (s.previousSecretExpiresAt?.toISOString() ?? null) : null,
    createdAt: s.createdAt.toISOString(),
  };
}
