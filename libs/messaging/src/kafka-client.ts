import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type LogEntry } from 'kafkajs';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  /** kafkajs' own log output; ERROR by default because it is chatty during normal rebalances. */
  level?: logLevel;
}

/**
 * Protocol errors kafkajs logs at ERROR although it retries them itself: a cluster, topic or
 * coordinator still settling. Logged at debug so real failures stand out.
 */
const TRANSIENT =
  /coordinator is loading|coordinator is not available|does not host this topic-partition|not the leader|leader not available/i;

/** One kafkajs client per process, logging through Nest's logger. */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  const logger = new Logger('kafkajs');
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 100, retries: 10, maxRetryTime: 5_000 },
    logLevel: options.level ?? logLevel.ERROR,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...extra } = log;
        const line = `${message} ${JSON.stringify(extra)}`;
        const transient = 'error' in extra && TRANSIENT.test(String(extra.error));
        if (level <= logLevel.ERROR && !transient) logger.error(line);
        else if (level === logLevel.WARN) logger.warn(line);
        else logger.debug(line);
      },
  });
}
