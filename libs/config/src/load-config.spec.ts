import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IsInt, IsNotEmpty, IsString, Matches, Min } from 'class-validator';
import { CommonConfig, DEFAULT_DATABASE_URL, DEFAULT_KAFKA_BROKERS } from './common-config';
import { ConfigError, loadConfig } from './load-config';
import { Sensitive, sensitiveProperties } from './sensitive';

/** A service config as services declare them: the common settings plus its own. */
class ServiceConfig extends CommonConfig {
  @IsInt()
  @Min(1)
  BATCH_SIZE: number = 100;

  /** No default: must come from the environment. */
  @IsString()
  @IsNotEmpty()
  ADMIN_TOKEN!: string;
}

/** Kafka security every service needs (a readable file stands in for the CA). */
const KAFKA = {
  KAFKA_TLS_CA_FILE: __filename,
  KAFKA_SASL_MECHANISM: 'scram-sha-512',
  KAFKA_SASL_USERNAME: 'liaison-test',
  KAFKA_SASL_PASSWORD: 'kafka-password-for-tests',
};

const REQUIRED = { ...KAFKA, ADMIN_TOKEN: 'token-for-tests' };

/** Runs `fn`, expecting a ConfigError, and returns it. */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error: unknown) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a ConfigError, nothing was thrown');
}

describe('loadConfig: defaults', () => {
  it('applies every default when the environment is empty', () => {
    const config = loadConfig(CommonConfig, { ...KAFKA });
    assert.equal(config.DATABASE_URL, DEFAULT_DATABASE_URL);
    assert.equal(config.KAFKA_BROKERS, DEFAULT_KAFKA_BROKERS);
    assert.equal(config.LIAISON_TOPIC_NAMESPACE, 'liaison');
    assert.equal(config.TOPIC_PARTITIONS, 3);
    assert.equal(config.KAFKA_SESSION_TIMEOUT_MS, 6_000);
    assert.deepEqual(config.consumerRetry(), { attempts: 3, baseDelayMs: 200, maxDelayMs: 2_000 });
    assert.equal(config.LOG_LEVEL, 'info');
    assert.equal(config.HOST, '127.0.0.1');
    assert.equal(config.PORT, 0);
    assert.equal(config.SERVICE_INSTANCE, String(process.pid));
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig(CommonConfig, { ...KAFKA, PORT: '', LOG_LEVEL: '', DATABASE_URL: '' });
    assert.equal(config.PORT, 0);
    assert.equal(config.LOG_LEVEL, 'info');
    assert.equal(config.DATABASE_URL, DEFAULT_DATABASE_URL);
  });

  it('keeps defaults of a subclass and reads its own variables', () => {
    const config = loadConfig(ServiceConfig, { ...REQUIRED });
    assert.equal(config.BATCH_SIZE, 100);
    assert.equal(config.ADMIN_TOKEN, 'token-for-tests');
    assert.equal(config.TOPIC_PARTITIONS, 3);
  });

  it('returns an instance of the schema, with its methods, frozen', () => {
    const config = loadConfig(CommonConfig, { ...KAFKA, KAFKA_BROKERS: 'a:1,b:2' });
    assert.ok(config instanceof CommonConfig);
    assert.deepEqual(config.brokerList(), ['a:1', 'b:2']);
    assert.ok(Object.isFrozen(config));
  });

  it('reads variables only for the schema’s properties', () => {
    const config = loadConfig(CommonConfig, { ...KAFKA, UNRELATED: 'x', PATH: '/bin' }) as unknown as Record<string, unknown>;
    assert.equal(Object.prototype.hasOwnProperty.call(config, 'UNRELATED'), false);
    assert.equal(Object.prototype.hasOwnProperty.call(config, 'PATH'), false);
  });
});

describe('loadConfig: conversion', () => {
  it('converts numeric variables to numbers', () => {
    const config = loadConfig(ServiceConfig, {
      ...REQUIRED,
      PORT: '8080',
      TOPIC_PARTITIONS: '12',
      KAFKA_SESSION_TIMEOUT_MS: '45000',
      BATCH_SIZE: '500',
    });
    assert.equal(config.PORT, 8080);
    assert.equal(config.TOPIC_PARTITIONS, 12);
    assert.equal(config.KAFKA_SESSION_TIMEOUT_MS, 45_000);
    assert.equal(config.BATCH_SIZE, 500);
  });

  it('keeps string variables as given', () => {
    const config = loadConfig(CommonConfig, {
      ...KAFKA,
      DATABASE_URL: 'postgresql://u@db:5432/x',
      KAFKA_BROKERS: 'k1:9092,k2:9092',
      LIAISON_TOPIC_NAMESPACE: 'suite-7',
      LOG_LEVEL: 'debug',
      HOST: '0.0.0.0',
      SERVICE_INSTANCE: 'gateway-1',
    });
    assert.equal(config.DATABASE_URL, 'postgresql://u@db:5432/x');
    assert.equal(config.KAFKA_BROKERS, 'k1:9092,k2:9092');
    assert.equal(config.LIAISON_TOPIC_NAMESPACE, 'suite-7');
    assert.equal(config.LOG_LEVEL, 'debug');
    assert.equal(config.HOST, '0.0.0.0');
    assert.equal(config.SERVICE_INSTANCE, 'gateway-1');
  });

  it('accepts the bounds of numeric ranges', () => {
    assert.equal(loadConfig(CommonConfig, { ...KAFKA, PORT: '65535' }).PORT, 65_535);
    assert.equal(loadConfig(CommonConfig, { ...KAFKA, TOPIC_PARTITIONS: '1' }).TOPIC_PARTITIONS, 1);
    assert.equal(loadConfig(CommonConfig, { ...KAFKA, KAFKA_SESSION_TIMEOUT_MS: '6000' }).KAFKA_SESSION_TIMEOUT_MS, 6_000);
    assert.equal(loadConfig(CommonConfig, { ...KAFKA, CONSUMER_RETRY_ATTEMPTS: '1' }).CONSUMER_RETRY_ATTEMPTS, 1);
  });

  it('refuses a consumer retry policy that would never give up or never wait', () => {
    for (const [name, value] of [
      ['CONSUMER_RETRY_ATTEMPTS', '0'],
      ['CONSUMER_RETRY_BASE_MS', '0'],
      ['CONSUMER_RETRY_MAX_MS', '600000'],
    ] as const) {
      assert.throws(
        () => loadConfig(CommonConfig, { ...KAFKA, [name]: value }),
        (e: unknown) => e instanceof ConfigError && e.problems.length === 1 && e.message.includes(name),
      );
    }
  });
});

describe('loadConfig: invalid environments', () => {
  it('names a non-numeric value of a numeric variable, with the value it got', () => {
    const error = configError(() => loadConfig(CommonConfig, { ...KAFKA, PORT: 'eighty' }));
    assert.equal(error.problems.length, 1);
    assert.match(error.problems[0] ?? '', /^PORT: /);
    assert.match(error.problems[0] ?? '', /\(got "eighty"\)/);
  });

  it('rejects out-of-range and fractional numbers', () => {
    for (const [name, value] of [
      ['PORT', '65536'],
      ['PORT', '-1'],
      ['TOPIC_PARTITIONS', '0'],
      ['TOPIC_PARTITIONS', '1.5'],
      ['KAFKA_SESSION_TIMEOUT_MS', '5999'],
    ] as const) {
      const error = configError(() => loadConfig(CommonConfig, { ...KAFKA, [name]: value }));
      assert.deepEqual(
        error.problems.map((p) => p.split(':')[0]),
        [name],
        `${name}=${value}`,
      );
    }
  });

  it('names every invalid variable in one ConfigError', () => {
    const error = configError(() =>
      loadConfig(CommonConfig, {
        ...KAFKA,
        DATABASE_URL: 'mysql://db/x',
        KAFKA_BROKERS: 'no-port',
        LIAISON_TOPIC_NAMESPACE: 'Upper_Case',
        TOPIC_PARTITIONS: '0',
        KAFKA_SESSION_TIMEOUT_MS: 'soon',
        LOG_LEVEL: 'verbose',
        PORT: '99999',
      }),
    );
    const named = error.problems.map((p) => p.slice(0, p.indexOf(':'))).sort();
    assert.deepEqual(named, [
      'DATABASE_URL',
      'KAFKA_BROKERS',
      'KAFKA_SESSION_TIMEOUT_MS',
      'LIAISON_TOPIC_NAMESPACE',
      'LOG_LEVEL',
      'PORT',
      'TOPIC_PARTITIONS',
    ]);
    for (const name of named) assert.ok(error.message.includes(name), `message does not name ${name}`);
    assert.match(error.message, /^invalid configuration:/);
  });

  it('names a required variable that is missing', () => {
    const error = configError(() => loadConfig(ServiceConfig, { ...KAFKA }));
    assert.deepEqual(
      error.problems.map((p) => p.slice(0, p.indexOf(':'))),
      ['ADMIN_TOKEN'],
    );
  });

  it('never echoes DATABASE_URL, which may carry a password, even for a service that marks nothing', () => {
    const secret = 'postgres-password-hunter2';
    for (const url of [`mysql://admin:${secret}@db/x`, `postgres://admin:${secret}@db:port/x`, `postgres://admin:${secret}%@db/x`]) {
      const error = configError(() => loadConfig(CommonConfig, { ...KAFKA, DATABASE_URL: url, LOG_LEVEL: 'loud' }));
      assert.ok(
        error.problems.some((p) => p.startsWith('DATABASE_URL:')),
        `the sensitive variable is still named for ${url}`,
      );
      assert.ok(!error.message.includes(secret), error.message);
      assert.ok(!JSON.stringify(error).includes(secret));
      // Non-sensitive values are still shown, to help the operator.
      assert.ok(error.problems.some((p) => p.includes('(got "loud")')));
    }
  });

  it('does not echo a @Sensitive variable of a subclass either', () => {
    class WithSecret extends ServiceConfig {
      @Sensitive()
      @IsString()
      @Matches(/^k-/)
      SIGNING_KEY: string = 'k-default';
    }
    const error = configError(() => loadConfig(WithSecret, { ...KAFKA, ADMIN_TOKEN: 'tok', SIGNING_KEY: 'secret-ish-7' }));
    assert.ok(error.problems.some((p) => p.startsWith('SIGNING_KEY:')));
    assert.ok(!error.message.includes('secret-ish-7'), error.message);
    assert.deepEqual([...sensitiveProperties(WithSecret)].sort(), ['DATABASE_URL', 'KAFKA_SASL_PASSWORD', 'SIGNING_KEY']);
  });

  it('echoes the value of a variable that is not marked sensitive', () => {
    const error = configError(() => loadConfig(CommonConfig, { ...KAFKA, KAFKA_BROKERS: 'no-port' }));
    assert.ok(error.message.includes('(got "no-port")'), error.message);
  });

  it('accepts postgres URLs with encoded credentials and refuses ones the driver could not take apart', () => {
    assert.equal(
      loadConfig(CommonConfig, { ...KAFKA, DATABASE_URL: 'postgres://u:p%40ss@db:5432/x' }).DATABASE_URL,
      'postgres://u:p%40ss@db:5432/x',
    );
    for (const url of ['postgres://db', 'postgres:///x', 'postgres://u:%zz@db/x', 'postgres://db:99999999/x']) {
      const error = configError(() => loadConfig(CommonConfig, { ...KAFKA, DATABASE_URL: url }));
      assert.deepEqual(
        error.problems.map((p) => p.slice(0, p.indexOf(':'))),
        ['DATABASE_URL'],
        url,
      );
    }
  });
});

describe('loadConfig: Kafka security', () => {
  it('refuses to start without TLS and SASL, naming each missing variable', () => {
    const error = configError(() => loadConfig(CommonConfig, {}));
    assert.deepEqual(error.problems.map((p) => p.slice(0, p.indexOf(':'))).sort(), [
      'KAFKA_SASL_MECHANISM',
      'KAFKA_SASL_PASSWORD',
      'KAFKA_SASL_USERNAME',
      'KAFKA_TLS_CA_FILE',
    ]);
  });

  it('refuses a CA file that cannot be read and an unknown mechanism', () => {
    const error = configError(() =>
      loadConfig(CommonConfig, { ...KAFKA, KAFKA_TLS_CA_FILE: '/nonexistent/ca.pem', KAFKA_SASL_MECHANISM: 'gssapi' }),
    );
    assert.deepEqual(error.problems.map((p) => p.slice(0, p.indexOf(':'))).sort(), ['KAFKA_SASL_MECHANISM', 'KAFKA_TLS_CA_FILE']);
    assert.match(error.message, /KAFKA_TLS_CA_FILE must name a readable file/);
  });

  it('hands the settings to the Kafka client', () => {
    const config = loadConfig(CommonConfig, { ...KAFKA });
    assert.deepEqual(config.kafkaSecurity(), {
      insecureAllowed: false,
      tlsCaFile: __filename,
      sasl: { mechanism: 'scram-sha-512', username: 'liaison-test', password: 'kafka-password-for-tests' },
    });
  });

  it('never echoes the Kafka password, even when no service lists it as sensitive', () => {
    const error = configError(() => loadConfig(CommonConfig, { ...KAFKA, KAFKA_SASL_PASSWORD: '' }));
    assert.ok(error.problems.some((p) => p.startsWith('KAFKA_SASL_PASSWORD:')));
    class WithBadPassword extends CommonConfig {
      @IsString()
      @Matches(/^never$/)
      override KAFKA_SASL_PASSWORD: string = '';
    }
    const secret = 'kafka-hunter2';
    const shown = configError(() => loadConfig(WithBadPassword, { ...KAFKA, KAFKA_SASL_PASSWORD: secret }));
    assert.ok(shown.problems.some((p) => p.startsWith('KAFKA_SASL_PASSWORD:')));
    assert.ok(!shown.message.includes(secret), shown.message);
  });

  it('KAFKA_ALLOW_INSECURE=true lets a service start without them, and says so in its settings', () => {
    const config = loadConfig(CommonConfig, { KAFKA_ALLOW_INSECURE: 'true' });
    assert.deepEqual(config.kafkaSecurity(), { insecureAllowed: true });
    // What is given is still checked: a half-configured SASL is refused.
    const error = configError(() => loadConfig(CommonConfig, { KAFKA_ALLOW_INSECURE: 'true', KAFKA_SASL_MECHANISM: 'scram-sha-512' }));
    assert.deepEqual(error.problems.map((p) => p.slice(0, p.indexOf(':'))).sort(), ['KAFKA_SASL_PASSWORD', 'KAFKA_SASL_USERNAME']);
    assert.deepEqual(
      configError(() => loadConfig(CommonConfig, { ...KAFKA, KAFKA_ALLOW_INSECURE: 'yes' })).problems.map((p) => p.split(':')[0]),
      ['KAFKA_ALLOW_INSECURE'],
    );
  });
});
