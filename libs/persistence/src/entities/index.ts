import { AgencyEntity } from './agency.entity';
import { ApiKeyEntity } from './api-key.entity';
import { AuditLogEntity } from './audit-log.entity';
import { DeliveryAttemptEntity } from './delivery-attempt.entity';
import { DisseminationEntity } from './dissemination.entity';
import { OperatorAccountEntity } from './operator-account.entity';
import { SessionEntity } from './session.entity';
import { InboxEventEntity } from './inbox-event.entity';
import { SubscriptionEntity } from './subscription.entity';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { FeedEntity } from './feed.entity';
import { OutboxEntity } from './outbox.entity';
import { SharingGroupEntity, SharingGroupMemberEntity } from './sharing-group.entity';
import { SharingPolicyEntity } from './sharing-policy.entity';

export * from './agency.entity';
export * from './api-key.entity';
export * from './audit-log.entity';
export * from './delivery-attempt.entity';
export * from './dissemination.entity';
export * from './operator-account.entity';
export * from './session.entity';
export * from './inbox-event.entity';
export * from './subscription.entity';
export * from './webhook-delivery.entity';
export * from './feed.entity';
export * from './outbox.entity';
export * from './sharing-group.entity';
export * from './sharing-policy.entity';

export const ENTITIES = [
  AgencyEntity,
  ApiKeyEntity,
  DisseminationEntity,
  DeliveryAttemptEntity,
  OperatorAccountEntity,
  SessionEntity,
  AuditLogEntity,
  InboxEventEntity,
  SubscriptionEntity,
  WebhookDeliveryEntity,
  FeedEntity,
  SharingGroupEntity,
  SharingGroupMemberEntity,
  SharingPolicyEntity,
  OutboxEntity,
];
