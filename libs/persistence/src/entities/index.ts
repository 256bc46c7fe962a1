import { AgencyEntity } from './agency.entity';
import { ApiKeyEntity } from './api-key.entity';
import { DeliveryAttemptEntity } from './delivery-attempt.entity';
import { DisseminationEntity } from './dissemination.entity';
import { SharingAgreementEntity } from './sharing-agreement.entity';

export * from './agency.entity';
export * from './api-key.entity';
export * from './delivery-attempt.entity';
export * from './dissemination.entity';
export * from './sharing-agreement.entity';

export const ENTITIES = [AgencyEntity, ApiKeyEntity, SharingAgreementEntity, DisseminationEntity, DeliveryAttemptEntity];
