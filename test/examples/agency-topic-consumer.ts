/**
 * How an internal service or a trusted partner consumes an agency's delivery topic with NestJS
 * microservices (the Kafka transport). The topic carries the agency's entitled, already redacted
 * copies in CloudEvents binary mode: `ce_*` headers, `data` JSON in the value, key = subject.
 *
 * - Use a consumer group of your own (never `<ns>.delivery`, which is Liaison's own).
 * - Order holds per subject (one subject is one partition); de-duplicate on the CloudEvent `id`.
 * - Nest's transport handles one message at a time and retries a throwing handler forever, so the
 *   handler below never throws for a bad record; it reports it instead.
 */
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, KafkaContext, Transport, type MicroserviceOptions } from '@nestjs/microservices';
import type { KafkaConfig } from 'kafkajs';
import { fromBinaryRecord, topicNames, UndecodableRecordError, validateEvent, type LiaisonEvent } from '@liaison/contracts';

export interface AgencyTopicConsumerOptions {
  brokers: string[];
  /** TLS (trusting the cluster's CA) and SASL credentials: Liaison's Kafka refuses anything less. */
  security: Pick<KafkaConfig, 'ssl' | 'sasl'>;
  namespace: string;
  agencyId: string;
  groupId: string;
  onEvent: (event: LiaisonEvent) => void;
  onRejected?: (reason: string) => void;
}

export async function startAgencyTopicConsumer(options: AgencyTopicConsumerOptions): Promise<INestMicroservice> {
  const topic = topicNames(options.namespace).delivery(options.agencyId);

  @Controller()
  class AgencyTopicController {
    @EventPattern(topic)
    handle(@Ctx() context: KafkaContext): void {
      const message = context.getMessage();
      try {
        const outcome = validateEvent(fromBinaryRecord({ value: message.value, headers: message.headers }));
        if (outcome.ok) options.onEvent(outcome.value);
        else options.onRejected?.(outcome.problems.map((p) => `${p.pointer} ${p.detail}`).join('; '));
      } catch (error: unknown) {
        if (!(error instanceof UndecodableRecordError)) throw error;
        options.onRejected?.(error.reason);
      }
    }
  }

  @Module({ controllers: [AgencyTopicController] })
  class AgencyTopicModule {}

  const app = await NestFactory.createMicroservice<MicroserviceOptions>(AgencyTopicModule, {
    transport: Transport.KAFKA,
    options: {
      client: { clientId: options.groupId, brokers: options.brokers, ...options.security },
      consumer: { groupId: options.groupId, allowAutoTopicCreation: false },
      subscribe: { fromBeginning: true },
      // Keep the value as bytes: the CloudEvents binding decodes it, not Nest's JSON guesser.
      parser: { keepBinary: true },
      // Without this Nest appends "-server" to the group id.
      postfixId: '',
    },
    logger: ['error', 'warn'],
  });
  await app.listen();
  return app;
}
