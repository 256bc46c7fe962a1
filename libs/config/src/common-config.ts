import { IsIn, IsInt, IsNotEmpty, IsString, Matches, Max, Min } from 'class-validator';
import { DEFAULT_TOPIC_NAMESPACE } from '@liaison/contracts';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/liaison';
export const DEFAULT_KAFKA_BROKERS = '127.0.0.1:19092';

/** Settings every service shares. Each service's own config class extends this one. */
export class CommonConfig {
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string = DEFAULT_DATABASE_URL;

  /** Comma-separated host:port list. */
  @IsString()
  @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, { message: 'KAFKA_BROKERS must be a comma-separated host:port list' })
  KAFKA_BROKERS: string = DEFAULT_KAFKA_BROKERS;

  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,40}$/, { message: 'LIAISON_TOPIC_NAMESPACE must be lower-case letters, digits and -' })
  LIAISON_TOPIC_NAMESPACE: string = DEFAULT_TOPIC_NAMESPACE;

  /**
   * Partitions of the topics a service creates (ingest, dead-letter, delivery): the most instances
   * of a consumer that can share the work. Existing topics are never changed.
   */
  @IsInt()
  @Min(1)
  @Max(1_000)
  TOPIC_PARTITIONS: number = 3;

  /**
   * Consumer group session timeout: how long a crashed instance holds its partitions before the
   * group rebalances them to the others (heartbeats go every sixth of it). 6 s is the broker's
   * least by default; why it is the default: docs/adr/0033-consumer-recovery-timings.md.
   */
  @IsInt()
  @Min(6_000)
  @Max(300_000)
  KAFKA_SESSION_TIMEOUT_MS: number = 6_000;

  /**
   * Tries of a batch a consumer keeps failing on (a record-specific failure, not an outage), and
   * then of each record isolated from it, before that record goes to the dead-letter topic.
   */
  @IsInt()
  @Min(1)
  @Max(20)
  CONSUMER_RETRY_ATTEMPTS: number = 3;

  /** First back-off of a consumer retry; it doubles per try, with jitter, up to CONSUMER_RETRY_MAX_MS. */
  @IsInt()
  @Min(10)
  @Max(60_000)
  CONSUMER_RETRY_BASE_MS: number = 200;

  /** Longest consumer back-off, also while the database or Kafka is down: how late consuming resumes after they return. */
  @IsInt()
  @Min(10)
  @Max(60_000)
  CONSUMER_RETRY_MAX_MS: number = 2_000;

  @IsIn(['debug', 'info', 'warn', 'error'])
  LOG_LEVEL: 'debug' | 'info' | 'warn' | 'error' = 'info';

  /** Interface to listen on; 0.0.0.0 in containers. */
  @IsString()
  @IsNotEmpty()
  HOST: string = '127.0.0.1';

  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 0;

  @IsString()
  @IsNotEmpty()
  SERVICE_INSTANCE: string = `${process.pid}`;

  /** The consumers' retry policy (libs/messaging BatchConsumer). */
  consumerRetry(): { attempts: number; baseDelayMs: number; maxDelayMs: number } {
    return {
      attempts: this.CONSUMER_RETRY_ATTEMPTS,
      baseDelayMs: this.CONSUMER_RETRY_BASE_MS,
      maxDelayMs: Math.max(this.CONSUMER_RETRY_BASE_MS, this.CONSUMER_RETRY_MAX_MS),
    };
  }

  brokerList(): string[] {
    return this.KAFKA_BROKERS.split(',');
  }
}
