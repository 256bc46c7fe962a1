import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { topicNames } from '@liaison/contracts';
import { BatchConsumer, DurableProducer, ensureTopics, KAFKA, listTopics } from '@liaison/messaging';
import { DeliveryConfig } from '../delivery.config';
import { DELIVERY_CONSUMER, RecordDeliveriesUseCase } from './record-deliveries.usecase';

/** Entry point: every agency's delivery topic, re-listed periodically so new agencies are served. */
@Injectable()
export class DeliveryConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: BatchConsumer;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(DeliveryConfig) private readonly config: DeliveryConfig,
    producer: DurableProducer,
    useCase: RecordDeliveriesUseCase,
  ) {
    const topics = topicNames(config.LIAISON_TOPIC_NAMESPACE);
    this.consumer = new BatchConsumer(kafka, {
      groupId: `${config.LIAISON_TOPIC_NAMESPACE}.delivery`,
      topics: () => listTopics(kafka, (topic) => topics.agencyOfDeliveryTopic(topic) !== undefined),
      refreshTopicsMs: config.DELIVERY_TOPIC_REFRESH_MS,
      sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
      retry: config.consumerRetry(),
      deadLetter: { producer, topic: topics.deadLetter, consumer: DELIVERY_CONSUMER },
      handler: (records) => useCase.execute(records),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const topics = topicNames(this.config.LIAISON_TOPIC_NAMESPACE);
    await ensureTopics(this.kafka, [{ topic: topics.deadLetter, numPartitions: this.config.TOPIC_PARTITIONS }]);
    await this.consumer.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.consumer.stop();
  }
}
