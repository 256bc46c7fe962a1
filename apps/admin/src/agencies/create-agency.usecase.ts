import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { topicNames } from '@liaison/contracts';
import { ProblemError } from '@liaison/http';
import { ensureTopics, KAFKA } from '@liaison/messaging';
import { AgencyRepository } from '@liaison/persistence';
import { AdminConfig } from '../admin.config';
import type { AuditContext } from '../audit/audit-context';
import { ConfigChanges } from '../outbox/config-changes';
import { agencyState } from '../outbox/config-state';
import type { CreateAgencyDto } from './create-agency.dto';
import { agencyView, type AgencyView } from './agency.view';

/**
 * Onboards an agency (tenant), announces it on the configuration topic (so routers count it as a
 * recipient), and creates its delivery topic. The topic is a convenience here: the router creates
 * a missing delivery topic before it first delivers, so a Kafka hiccup does not fail (or
 * half-apply) the onboarding.
 */
@Injectable()
export class CreateAgencyUseCase {
  private readonly logger = new Logger(CreateAgencyUseCase.name);

  constructor(
    private readonly agencies: AgencyRepository,
    private readonly changes: ConfigChanges,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(AdminConfig) private readonly config: AdminConfig,
  ) {}

  async execute(dto: CreateAgencyDto, context: AuditContext): Promise<AgencyView> {
    const agency = await this.changes.run(context, async ({ manager, emit, record }) => {
      const created = await this.agencies.create(dto, manager);
      if (created === undefined) throw new ProblemError('conflict', `an agency with ORI ${dto.ori} already exists`);
      await record({
        action: 'agency.create',
        objectType: 'agency',
        objectId: created.id,
        agencyId: created.id,
        after: agencyView(created),
      });
      emit('agency', created.id, agencyState(created));
      return created;
    });
    const topic = topicNames(this.config.LIAISON_TOPIC_NAMESPACE).delivery(agency.id);
    try {
      await ensureTopics(this.kafka, [{ topic, numPartitions: this.config.TOPIC_PARTITIONS }]);
    } catch (error: unknown) {
      this.logger.warn(
        `delivery topic ${topic} not created now (the router will create it): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return agencyView(agency);
  }
}
