import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { agencyKeyAuthenticatorProvider, HealthController, problemValidationPipe } from '@liaison/http';
import { KafkaModule } from '@liaison/messaging';
import { PersistenceModule } from '@liaison/persistence';
import { rateLimitProviders } from '@liaison/ratelimit';
import { AdminConfig } from './admin.config';
import { AgenciesController } from './agencies/agencies.controller';
import { ChangeAgencyStatusUseCase } from './agencies/change-agency-status/change-agency-status.usecase';
import { CreateAgencyUseCase } from './agencies/create-agency.usecase';
import { UpdateAgencyUseCase } from './agencies/update-agency/update-agency.usecase';
import { AgencyScope } from './agency-guard';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { IssueApiKeyUseCase } from './api-keys/issue-api-key.usecase';
import { RevokeApiKeyUseCase } from './api-keys/revoke-api-key.usecase';
import { AuditEventsController } from './audit/audit-events.controller';
import { AuditModule } from './audit/audit.module';
import { AuditRefusalsInterceptor } from './audit/audit-refusals.interceptor';
import { VerifyAuditChainUseCase } from './audit/verify-audit-chain/verify-audit-chain.usecase';
import { RefusalTally } from './audit/refusal-tally';
import { AdminAuthGuard } from './auth/admin-auth.guard';
import { DisseminationsController } from './disseminations/disseminations.controller';
import { ExplainDecisionUseCase } from './explain/explain-decision/explain-decision.usecase';
import { ExplainController } from './explain/explain.controller';
import { CreateOperatorUseCase } from './operators/create-operator.usecase';
import { DisableOperatorUseCase } from './operators/disable-operator.usecase';
import { OperatorsController } from './operators/operators.controller';
import { PasswordHasher } from './operators/password-hasher';
import { SessionsController } from './sessions/sessions.controller';
import { SignInUseCase } from './sessions/sign-in.usecase';
import { SignOutUseCase } from './sessions/sign-out.usecase';
import { CreateFeedUseCase } from './feeds/create-feed/create-feed.usecase';
import { DeleteFeedUseCase } from './feeds/delete-feed/delete-feed.usecase';
import { FeedsController } from './feeds/feeds.controller';
import { UpdateFeedUseCase } from './feeds/update-feed/update-feed.usecase';
import { ConfigChanges } from './outbox/config-changes';
import { ConfigStateReader } from './outbox/config-state-reader';
import { OutboxRelay } from './outbox/outbox-relay';
import { CreatePolicyUseCase } from './policies/create-policy/create-policy.usecase';
import { PoliciesController } from './policies/policies.controller';
import { PolicyContentResolver } from './policies/policy-content';
import { RevokePolicyUseCase } from './policies/revoke-policy/revoke-policy.usecase';
import { SimulatePolicyUseCase } from './policies/simulate-policy/simulate-policy.usecase';
import { UpdatePolicyUseCase } from './policies/update-policy/update-policy.usecase';
import { CreateSharingAgreementUseCase } from './sharing-agreements/create-sharing-agreement.usecase';
import { SharingAgreementsController } from './sharing-agreements/sharing-agreements.controller';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';
import { ChangeMembershipUseCase } from './sharing-groups/change-membership/change-membership.usecase';
import { CreateSharingGroupUseCase } from './sharing-groups/create-group/create-sharing-group.usecase';
import { DeleteSharingGroupUseCase } from './sharing-groups/delete-group/delete-sharing-group.usecase';
import { SharingGroupsController } from './sharing-groups/sharing-groups.controller';
import { UpdateSharingGroupUseCase } from './sharing-groups/update-group/update-sharing-group.usecase';

@Module({})
export class AdminModule {
  static forRoot(config: AdminConfig): DynamicModule {
    return {
      module: AdminModule,
      imports: [
        PersistenceModule.forRoot({ url: config.DATABASE_URL, applicationName: 'liaison-admin' }),
        KafkaModule.forRoot({
          brokers: config.brokerList(),
          clientId: `liaison-admin-${config.SERVICE_INSTANCE}`,
          security: config.kafkaSecurity(),
        }),
        AuditModule,
        SubscriptionsModule,
      ],
      controllers: [
        HealthController,
        AgenciesController,
        ApiKeysController,
        SharingAgreementsController,
        DisseminationsController,
        OperatorsController,
        SessionsController,
        AuditEventsController,
        FeedsController,
        SharingGroupsController,
        PoliciesController,
        ExplainController,
      ],
      providers: [
        // First: the source limit runs before authentication, the credential limit before auditing.
        ...rateLimitProviders('admin', config),
        { provide: AdminConfig, useValue: config },
        { provide: APP_GUARD, useClass: AdminAuthGuard },
        { provide: APP_PIPE, useFactory: problemValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: AuditRefusalsInterceptor },
        VerifyAuditChainUseCase,
        RefusalTally,
        agencyKeyAuthenticatorProvider(config.ADMIN_KEY_CACHE_TTL_MS),
        AgencyScope,
        PasswordHasher,
        CreateAgencyUseCase,
        IssueApiKeyUseCase,
        RevokeApiKeyUseCase,
        CreateSharingAgreementUseCase,
        CreateOperatorUseCase,
        DisableOperatorUseCase,
        SignInUseCase,
        SignOutUseCase,
        ConfigStateReader,
        OutboxRelay,
        ConfigChanges,
        UpdateAgencyUseCase,
        ChangeAgencyStatusUseCase,
        CreateFeedUseCase,
        UpdateFeedUseCase,
        DeleteFeedUseCase,
        CreateSharingGroupUseCase,
        UpdateSharingGroupUseCase,
        DeleteSharingGroupUseCase,
        ChangeMembershipUseCase,
        PolicyContentResolver,
        CreatePolicyUseCase,
        UpdatePolicyUseCase,
        RevokePolicyUseCase,
        SimulatePolicyUseCase,
        ExplainDecisionUseCase,
      ],
    };
  }
}
