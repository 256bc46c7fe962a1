import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { topicNames } from '@liaison/contracts';
import { BatchConsumer, ensureTopics, KAFKA, listTopics } from '@liaison/messaging';
import { DeliveryConfig } from '../delivery.config';
import { RecordDeliveriesUseCase } from './record-deliveries.usecase';

/** How many delivery-topic partitions may have a batch in hand at once (each still one at a time, in order). */
const DELIVERY_PARTITIONS_IN_HAND = 64;

/** Entry point: every agency's delivery topic, re-listed periodically so new agencies are served. */
@Injectable()
export class DeliveryConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: BatchConsumer;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(DeliveryConfig) private readonly config: DeliveryConfig,
    useCase: RecordDeliveriesUseCase,
  ) {
    const topics = topicNames(config.LIAISON_TOPIC_NAMESPACE);
    this.consumer = new BatchConsumer(kafka, {
      groupId: `${config.LIAISON_TOPIC_NAMESPACE}.delivery`,
      topics: () => listTopics(kafka, (topic) => topics.agencyOfDeliveryTopic(topic) !== undefined),
      refreshTopicsMs: config.DELIVERY_TOPIC_REFRESH_MS,
      sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
      // A routed event lands on ~9 recipients' topics: the partitions' batches of one fetch are
      // stored together, in one transaction, instead of one transaction per partition.
      partitionsConsumedConcurrently: DELIVERY_PARTITIONS_IN_HAND,
      combinePartitionBatches: true,
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
