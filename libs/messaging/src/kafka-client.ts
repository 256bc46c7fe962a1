import { readFileSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import type { KafkaSecuritySettings } from '@liaison/config';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  /** TLS and SASL (CommonConfig.kafkaSecurity()); a client without both is refused unless insecureAllowed. */
  security: KafkaSecuritySettings;
  /** kafkajs' own log output; ERROR by default because it is chatty during normal rebalances. */
  level?: logLevel;
}

/**
 * Protocol errors kafkajs logs at ERROR although it retries them itself: a cluster, topic or
 * coordinator still settling. Logged at debug so real failures stand out.
 */
const TRANSIENT =
  /coordinator is loading|coordinator is not available|does not host this topic-partition|not the leader|leader not available/i;

/** kafkajs' `ssl` and `sasl` for the settings; throws when a part is missing and not explicitly allowed to be. */
export function kafkaSecurityConfig(security: KafkaSecuritySettings): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const missing = [
    security.tlsCaFile === undefined ? 'TLS (KAFKA_TLS_CA_FILE)' : '',
    security.sasl === undefined ? 'SASL (KAFKA_SASL_*)' : '',
  ].filter((m) => m !== '');
  if (missing.length > 0) {
    if (!security.insecureAllowed)
      throw new Error(`Kafka connection without ${missing.join(' and ')}: refused (set them, see docs/security.md)`);
    new Logger('kafka-security').warn(
      `INSECURE: connecting to Kafka without ${missing.join(' and ')} because KAFKA_ALLOW_INSECURE=true — development only, never with real data`,
    );
  }
  const config: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  // Node checks the broker's certificate chain against this CA and its name against the broker address.
  if (security.tlsCaFile !== undefined) config.ssl = { ca: [readFileSync(security.tlsCaFile, 'utf8')] };
  const sasl = security.sasl;
  if (sasl !== undefined) {
    const { username, password } = sasl;
    switch (sasl.mechanism) {
      case 'scram-sha-512':
        config.sasl = { mechanism: 'scram-sha-512', username, password };
        break;
      case 'scram-sha-256':
        config.sasl = { mechanism: 'scram-sha-256', username, password };
        break;
      case 'plain':
        config.sasl = { mechanism: 'plain', username, password };
        break;
    }
  }
  return config;
}

/** One kafkajs client per process, logging through Nest's logger. */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  const logger = new Logger('kafkajs');
  return new Kafka({
    ...kafkaSecurityConfig(options.security),
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
