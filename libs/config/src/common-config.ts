import { accessSync, constants } from 'node:fs';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsString,
  Matches,
  Max,
  Min,
  Validate,
  ValidateIf,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { DEFAULT_TOPIC_NAMESPACE } from '@liaison/contracts';
import { Sensitive } from './sensitive';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/liaison';
export const DEFAULT_KAFKA_BROKERS = '127.0.0.1:19092';

/** SASL mechanisms a Liaison service can authenticate to Kafka with (partners use OAUTHBEARER; services do not). */
export const KAFKA_SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/** How a service reaches Kafka securely, from CommonConfig; absent parts only under KAFKA_ALLOW_INSECURE. */
export interface KafkaSecuritySettings {
  /** PEM file of the CA the brokers' certificates are checked against; no TLS when absent. */
  tlsCaFile?: string;
  sasl?: { mechanism: KafkaSaslMechanism; username: string; password: string };
  /** KAFKA_ALLOW_INSECURE=true: the operator accepted a connection without TLS or SASL. */
  insecureAllowed: boolean;
}

@ValidatorConstraint({ name: 'readableFile' })
class ReadableFile implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string' || value === '') return false;
    try {
      accessSync(value, constants.R_OK);
      return true;
    } catch {
      return false;
    }
  }
  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must name a readable file`;
  }
}

/** Required unless KAFKA_ALLOW_INSECURE=true; once given, checked either way. */
const kafkaSecurityRequired = (config: CommonConfig, value: unknown): boolean =>
  config.KAFKA_ALLOW_INSECURE !== 'true' || (value !== undefined && value !== '');

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
  /** The service's own database role; may carry its password, so never echoed. */
  @Sensitive()
  @IsString()
  @Validate(PostgresUrl)
  DATABASE_URL: string = DEFAULT_DATABASE_URL;

  /** Comma-separated host:port list. */
  @IsString()
  @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, { message: 'KAFKA_BROKERS must be a comma-separated host:port list' })
  KAFKA_BROKERS: string = DEFAULT_KAFKA_BROKERS;

  /**
   * Development escape hatch, off by default: `true` lets a service connect to Kafka without TLS
   * and/or SASL (whichever of the variables below is not set), with a warning at every start.
   * `npm start`, `npm test` and docker-compose.yml never set it: they run Kafka secured.
   */
  @IsIn(['true', 'false'], { message: 'KAFKA_ALLOW_INSECURE must be true or false' })
  KAFKA_ALLOW_INSECURE: 'true' | 'false' = 'false';

  /** PEM file of the CA that signed the brokers' certificates; connections use TLS and check it. */
  @ValidateIf((c: CommonConfig) => kafkaSecurityRequired(c, c.KAFKA_TLS_CA_FILE))
  @Validate(ReadableFile)
  KAFKA_TLS_CA_FILE: string = '';

  /** SASL mechanism of the service's own principal (scram-sha-512 with the project's Kafka). */
  @ValidateIf((c: CommonConfig) => kafkaSecurityRequired(c, c.KAFKA_SASL_MECHANISM))
  @IsIn(KAFKA_SASL_MECHANISMS, { message: `KAFKA_SASL_MECHANISM must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}` })
  KAFKA_SASL_MECHANISM: string = '';

  /** The service's Kafka principal, e.g. liaison-router (docs/security.md lists what each may do). */
  @ValidateIf((c: CommonConfig) => kafkaSecurityRequired(c, c.KAFKA_SASL_MECHANISM))
  @IsString()
  @IsNotEmpty({ message: "KAFKA_SASL_USERNAME must name the service's Kafka principal" })
  KAFKA_SASL_USERNAME: string = '';

  /** Password of that principal. Secret: never logged or echoed. */
  @Sensitive()
  @ValidateIf((c: CommonConfig) => kafkaSecurityRequired(c, c.KAFKA_SASL_MECHANISM))
  @IsString()
  @IsNotEmpty({ message: 'KAFKA_SASL_PASSWORD must hold the password of KAFKA_SASL_USERNAME' })
  KAFKA_SASL_PASSWORD: string = '';

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

  kafkaSecurity(): KafkaSecuritySettings {
    const settings: KafkaSecuritySettings = { insecureAllowed: this.KAFKA_ALLOW_INSECURE === 'true' };
    if (this.KAFKA_TLS_CA_FILE !== '') settings.tlsCaFile = this.KAFKA_TLS_CA_FILE;
    if (this.KAFKA_SASL_MECHANISM !== '') {
      settings.sasl = {
        mechanism: this.KAFKA_SASL_MECHANISM as KafkaSaslMechanism,
        username: this.KAFKA_SASL_USERNAME,
        password: this.KAFKA_SASL_PASSWORD,
      };
    }
    return settings;
  }
}
