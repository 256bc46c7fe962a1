import { AgencyEntity } from './agency.entity';
import { ApiKeyEntity } from './api-key.entity';
import { AuditLogEntity } from './audit-log.entity';
import { DeliveryAttemptEntity } from './delivery-attempt.entity';
import { DisseminationEntity } from './dissemination.entity';
import { OperatorAccountEntity } from './operator-account.entity';
import { SessionEntity } from './session.entity';
import { InboxEventEntity } from './inbox-event.entity';
import { SharingAgreementEntity } from './sharing-agreement.entity';
import { SubscriptionEntity } from './subscription.entity';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';

export * from './agency.entity';
export * from './api-key.entity';
export * from './audit-log.entity';
export * from './delivery-attempt.entity';
export * from './dissemination.entity';
export * from './operator-account.entity';
export * from './session.entity';
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
  OperatorAccountEntity,
  SessionEntity,
  AuditLogEntity,
  InboxEventEntity,
  SubscriptionEntity,
  WebhookDeliveryEntity,
];
