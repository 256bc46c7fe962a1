import { Foundation1764050000000 } from './1764050000000-foundation';
import { DisseminationPolicyIds1764090000000 } from './1764090000000-dissemination-policy-ids';
import { TenancyPolicies1764100000000 } from './1764100000000-tenancy-policies';
import { OperatorsSessionsAudit1764110000000 } from './1764110000000-operators-sessions-audit';
import { DeliveryChannels1764120000000 } from './1764120000000-delivery-channels';
import { RoutedEvent1764130000000 } from './1764130000000-routed-event';
import { WebhookClaimIndex1764150000000 } from './1764150000000-webhook-claim-index';
import { RateLimitCounters1764210000000 } from './1764210000000-rate-limit-counters';
import { AuditChain1764220000000 } from './1764220000000-audit-chain';
import { ServiceRoles1764220001000 } from './1764220001000-service-roles';

/** Every migration, in order. Listed explicitly so compiled and source trees behave the same. */
export const MIGRATIONS = [
  Foundation1764050000000,
  DisseminationPolicyIds1764090000000,
  TenancyPolicies1764100000000,
  OperatorsSessionsAudit1764110000000,
  DeliveryChannels1764120000000,
  RoutedEvent1764130000000,
  WebhookClaimIndex1764150000000,
  RateLimitCounters1764210000000,
  AuditChain1764220000000,
  ServiceRoles1764220001000,
];
