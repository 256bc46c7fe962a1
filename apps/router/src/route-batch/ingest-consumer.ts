import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { topicNames } from '@liaison/contracts';
import { BatchConsumer, DurableProducer, ensureTopics, KAFKA } from '@liaison/messaging';
import { RouterConfig } from '../router.config';
import { ROUTER_CONSUMER, RouteBatchUseCase } from './route-batch.usecase';

/** Entry point: the ingest topic, read in batches, each routed by the use case before commit. */
@Injectable()
export class IngestConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: BatchConsumer;
  private readonly topics;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(RouterConfig) private readonly config: RouterConfig,
    producer: DurableProducer,
    useCase: RouteBatchUseCase,
  ) {
    const topics = topicNames(config.LIAISON_TOPIC_NAMESPACE);
    this.topics = topics;
    this.consumer = new BatchConsumer(kafka, {
      groupId: `${config.LIAISON_TOPIC_NAMESPACE}.router`,
      topics: () => Promise.resolve([topics.ingest]),
      sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
      retry: config.consumerRetry(),
      deadLetter: { producer, topic: topics.deadLetter, consumer: ROUTER_CONSUMER },
      // One batch per ingest partition in hand at once: a batch's produce and ledger writes overlap
      // the next partition's decoding and decisions.
      partitionsConsumedConcurrently: config.TOPIC_PARTITIONS,
      handler: (records) => useCase.execute(records),
    });
  }

  /** Creates the topics the router reads and writes before its consumer joins the group. */
  async onApplicationBootstrap(): Promise<void> {
    await ensureTopics(this.kafka, [
      { topic: this.topics.ingest, numPartitions: this.config.TOPIC_PARTITIONS },
      { topic: this.topics.deadLetter, numPartitions: this.config.TOPIC_PARTITIONS },
    ]);
    await this.consumer.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.consumer.stop();
  }
}
