import { Inject, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { DurableProducer } from './durable-producer';
import { createKafkaClient, type KafkaClientOptions } from './kafka-client';

/** Injection token of the process's kafkajs client. */
export const KAFKA = Symbol('KAFKA');

class ProducerLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(DurableProducer) private readonly producer: DurableProducer) {}

  onModuleInit(): Promise<void> {
    return this.producer.connect();
  }

  onApplicationShutdown(): Promise<void> {
    return this.producer.disconnect();
  }
}

/** The kafkajs client and a connected durable producer, for any Nest app. */
@Module({})
export class KafkaModule {
  static forRoot(options: Pick<KafkaClientOptions, 'brokers' | 'clientId' | 'security'>): DynamicModule {
    return {
      module: KafkaModule,
      global: true,
      providers: [
        { provide: KAFKA, useFactory: () => createKafkaClient(options) },
        { provide: DurableProducer, useFactory: (kafka: Kafka) => new DurableProducer(kafka), inject: [KAFKA] },
        ProducerLifecycle,
      ],
      exports: [KAFKA, DurableProducer],
    };
  }
}
