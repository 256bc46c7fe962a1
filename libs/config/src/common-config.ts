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
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { DEFAULT_TOPIC_NAMESPACE } from '@liaison/contracts';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/liaison';
export const DEFAULT_KAFKA_BROKERS = '127.0.0.1:19092';

@ValidatorConstraint({ name: 'tlsPair' })
class TlsPair implements ValidatorConstraintInterface {
  validate(_: unknown, args: ValidationArguments): boolean {
    const config = args.object as CommonConfig;
    return (config.TLS_CERT_FILE === '') === (config.TLS_KEY_FILE === '');
  }
  defaultMessage(): string {
    return 'TLS_CERT_FILE and TLS_KEY_FILE are set together or not at all';
  }
}

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

  /**
   * PEM certificate chain and private key: when both are set the service serves HTTPS only. Both
   * empty: plain HTTP (a developer's laptop, or TLS ended by a proxy in front).
   */
  @IsString()
  @Validate(TlsPair)
  TLS_CERT_FILE: string = '';

  @IsString()
  TLS_KEY_FILE: string = '';

  /**
   * Express's `trust proxy` setting, for the source address that rate limits and the audit trail
   * use: empty trusts no proxy (the peer address counts); e.g. \`loopback\` or \`10.0.0.0/8\` when a
   * load balancer in front sets X-Forwarded-For.
   */
  @IsString()
  @Matches(/^[0-9a-zA-Z.:/, -]{0,500}$/, { message: 'HTTP_TRUST_PROXY must be empty, a hop count, or a list of addresses/subnets' })
  HTTP_TRUST_PROXY: string = '';

  /** Length of a rate-limit window (fixed windows, counted in PostgreSQL across instances: ADR 0029). */
  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  RATE_LIMIT_WINDOW_MS: number = 60_000;

  /** Requests per window from one source address, to any route of the service. */
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_SOURCE: number = 6_000;

  /** Requests per window with one credential (key, session or operator token), where no tighter limit applies. */
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_CREDENTIAL: number = 3_000;

  /** Sign-in attempts per window from one source address, and for one email address: counted before the password is hashed. */
  @IsInt()
  @Min(1)
  RATE_LIMIT_SIGN_IN: number = 10;

  /** Publish requests (single or batch) per window with one agency key. */
  @IsInt()
  @Min(1)
  RATE_LIMIT_PUBLISH: number = 12_000;

  /** Pull requests per window with one agency key. */
  @IsInt()
  @Min(1)
  RATE_LIMIT_PULL: number = 1_200;

  /** Live streams opened per window with one agency key. */
  @IsInt()
  @Min(1)
  RATE_LIMIT_STREAM: number = 60;

  brokerList(): string[] {
    return this.KAFKA_BROKERS.split(',');
  }
}
