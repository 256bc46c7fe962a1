import { AgencyEntity } from './agency.entity';
import { ApiKeyEntity } from './api-key.entity';
import { DeliveryAttemptEntity } from './delivery-attempt.entity';
import { DisseminationEntity } from './dissemination.entity';
import { InboxEventEntity } from './inbox-event.entity';
import { SharingAgreementEntity } from './sharing-agreement.entity';
import { SubscriptionEntity } from './subscription.entity';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';

export * from './agency.entity';
export * from './api-key.entity';
export * from './delivery-attempt.entity';
export * from './dissemination.entity';
export * from './inbox-event.entity';
export * from './sharing-agreement.entity';
export * from './subscription.entity';
export * from './webhook-delivery.entity';

export const ENTITIES = [
  AgencyEntity,
  ApiKeyEntity,
  SharingAgreementEntity,
  DisseminationEntity,
  DeliveryAttemptEntity,
  InboxEventEntity,
  SubscriptionEntity,
  WebhookDeliveryEntity,
];
