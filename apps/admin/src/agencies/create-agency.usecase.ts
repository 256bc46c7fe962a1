import { Inject, Injectable } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { topicNames } from '@liaison/contracts';
import { ProblemError } from '@liaison/http';
import { ensureTopics, KAFKA } from '@liaison/messaging';
import { AgencyRepository } from '@liaison/persistence';
import { AdminConfig } from '../admin.config';
import type { CreateAgencyDto } from './create-agency.dto';
import { agencyView, type AgencyView } from './agency.view';

/** Onboards an agency (tenant) and creates its delivery topic. */
@Injectable()
export class CreateAgencyUseCase {
  constructor(
    private readonly agencies: AgencyRepository,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(AdminConfig) private readonly config: AdminConfig,
  ) {}

  async execute(dto: CreateAgencyDto): Promise<AgencyView> {
    const agency = await this.agencies.create(dto);
    if (agency === undefined) throw new ProblemError('conflict', `an agency with ORI ${dto.ori} already exists`);
    const topic = topicNames(this.config.LIAISON_TOPIC_NAMESPACE).delivery(agency.id);
    await ensureTopics(this.kafka, [{ topic, numPartitions: this.config.TOPIC_PARTITIONS }]);
    return agencyView(agency);
  }
}
