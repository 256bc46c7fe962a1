import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  KafkaJSAggregateError,
  KafkaJSConnectionError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaJSRequestTimeoutError,
} from 'kafkajs';
import { QueryFailedError } from 'typeorm';
import { isTransientFailure } from './transient-failure';

const protocolError = (type: string, retriable: boolean): KafkaJSProtocolError =>
  new KafkaJSProtocolError(Object.assign(new Error(type), { type, code: 1, retriable }));

/** What pg gives, wrapped by TypeORM as the repositories see it. */
const queryFailed = (code: string, message: string): QueryFailedError =>
  new QueryFailedError('INSERT …', [], Object.assign(new Error(message), { code }));

describe('isTransientFailure', () => {
  it('calls the cluster being away transient, even once kafkajs gave up retrying', () => {
    assert.equal(isTransientFailure(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092')), true);
    assert.equal(isTransientFailure(new KafkaJSRequestTimeoutError('Request Produce(key: 0, version: 7) timed out')), true);
    assert.equal(isTransientFailure(protocolError('NOT_LEADER_FOR_PARTITION', true)), true);
    assert.equal(isTransientFailure(protocolError('TOPIC_AUTHORIZATION_FAILED', false)), true, 'an ACL is not the record’s fault');
    assert.equal(
      isTransientFailure(
        new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('Connection error'), { retryCount: 10, retryTime: 5_000 }),
      ),
      true,
    );
  });

  it('calls a record Kafka refuses permanent, also inside a retry or an aggregate', () => {
    assert.equal(isTransientFailure(protocolError('MESSAGE_TOO_LARGE', false)), false);
    assert.equal(
      isTransientFailure(new KafkaJSNumberOfRetriesExceeded(protocolError('INVALID_RECORD', false), { retryCount: 0, retryTime: 0 })),
      false,
    );
    assert.equal(isTransientFailure(new KafkaJSAggregateError('sending failed', [protocolError('MESSAGE_TOO_LARGE', false)])), false);
  });

  it('sorts PostgreSQL errors by SQLSTATE: data and constraints permanent, connection and resources transient', () => {
    assert.equal(isTransientFailure(queryFailed('22P05', 'unsupported Unicode escape sequence')), false);
    assert.equal(isTransientFailure(queryFailed('22021', 'invalid byte sequence for encoding "UTF8": 0x00')), false);
    assert.equal(isTransientFailure(queryFailed('23502', 'null value in column violates not-null constraint')), false);
    assert.equal(isTransientFailure(queryFailed('57P01', 'terminating connection due to administrator command')), true);
    assert.equal(isTransientFailure(queryFailed('53300', 'sorry, too many clients already')), true);
    assert.equal(isTransientFailure(queryFailed('08006', 'connection failure')), true);
    assert.equal(isTransientFailure(queryFailed('3D000', 'database "liaison" does not exist')), true);
    assert.equal(isTransientFailure(queryFailed('40P01', 'deadlock detected')), true);
  });

  it('knows the pg pool’s code-less connection failures', () => {
    assert.equal(isTransientFailure(new Error('timeout exceeded when trying to connect')), true);
    assert.equal(isTransientFailure(new Error('Connection terminated unexpectedly')), true);
    assert.equal(
      isTransientFailure(Object.assign(new Error('x'), { code: '55000', message: 'database "x" is not currently accepting connections' })),
      true,
    );
  });

  it('calls an unexpected error permanent, so a bug cannot jam a partition', () => {
    assert.equal(isTransientFailure(new TypeError("Cannot read properties of undefined (reading 'id')")), false);
    assert.equal(isTransientFailure(new RangeError('Maximum call stack size exceeded')), false);
    assert.equal(isTransientFailure('a string'), false);
    assert.equal(isTransientFailure(undefined), false);
  });
});
