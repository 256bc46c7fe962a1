import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { topicNames } from '@liaison/contracts';
import { ensureTopics, KAFKA } from '@liaison/messaging';
import { GatewayConfig } from '../gateway.config';

/** The gateway can accept events before any router has started: it creates the ingest topic itself. */
@Injectable()
export class IngestTopicInitializer implements OnApplicationBootstrap {
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(GatewayConfig) private readonly config: GatewayConfig,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    const topic = topicNames(this.config.LIAISON_TOPIC_NAMESPACE).ingest;
    return ensureTopics(this.kafka, [{ topic, numPartitions: this.config.TOPIC_PARTITIONS }]);
  }
}
