import { AgencyEntity } from './agency.entity';
import { ApiKeyEntity } from './api-key.entity';
import { DeliveryAttemptEntity } from './delivery-attempt.entity';
import { DisseminationEntity } from './dissemination.entity';
import { FeedEntity } from './feed.entity';
import { OutboxEntity } from './outbox.entity';
import { SharingGroupEntity, SharingGroupMemberEntity } from './sharing-group.entity';
import { SharingPolicyEntity } from './sharing-policy.entity';

export * from './agency.entity';
export * from './api-key.entity';
export * from './delivery-attempt.entity';
export * from './dissemination.entity';
export * from './feed.entity';
export * from './outbox.entity';
export * from './sharing-group.entity';
export * from './sharing-policy.entity';

export const ENTITIES = [
  AgencyEntity,
  ApiKeyEntity,
  DisseminationEntity,
  DeliveryAttemptEntity,
  FeedEntity,
  SharingGroupEntity,
  SharingGroupMemberEntity,
  SharingPolicyEntity,
  OutboxEntity,
];
