import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsString,
  Matches,
  Max,
  Min,
  Validate,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { DEFAULT_TOPIC_NAMESPACE } from '@liaison/contracts';
import { Sensitive } from './sensitive';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/liaison';
export const DEFAULT_KAFKA_BROKERS = '127.0.0.1:19092';

/**
 * A URL the PostgreSQL client can take apart: postgres:// or postgresql://, a host, a database, and
 * user and password that decode. Checked here so that a bad one fails at boot with the variable
 * named, rather than deep in the driver with an error that may quote it.
 */
@ValidatorConstraint({ name: 'postgresUrl' })
class PostgresUrl implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string') return false;
    try {
      const url = new URL(value);
      decodeURIComponent(url.username);
      decodeURIComponent(url.password);
      return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '' && url.pathname.length > 1;
    } catch {
      return false;
    }
  }
  defaultMessage(): string {
    return 'DATABASE_URL must be a postgres://user[:password]@host[:port]/database URL (percent-encode special characters)';
  }
}

/** Settings every service shares. Each service's own config class extends this one. */
export class CommonConfig {
  /** The service's own database role; may carry its password, so never echoed. */
  @Sensitive()
  @IsString()
  @Validate(PostgresUrl)
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
   * group rebalances them to the others.
   */
  @IsInt()
  @Min(6_000)
  @Max(300_000)
  KAFKA_SESSION_TIMEOUT_MS: number = 30_000;

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

  brokerList(): string[] {
    return this.KAFKA_BROKERS.split(',');
  }
}
