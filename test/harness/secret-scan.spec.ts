import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findSecrets, secretsOfEnv } from './secret-scan';

const outputs = (lines: string[]): Map<string, string[]> => new Map([['router', lines]]);

describe('secret scan of service output', () => {
  it('finds a secret however it was printed: plainly, inside a URL, JSON-escaped, without its prefix', () => {
    const password = 'p@ss/word+with "quotes"';
    const secrets = [
      { name: 'db password', value: password },
      { name: 'webhook secret', value: 'whsec_c2VjcmV0LWJ5dGVzLWluLWJhc2U2NA==' },
      { name: 'api key', value: 'lsk_abcdefghijkl_AAAABBBBCCCCDDDDEEEEFFFFGGGGHHHHIIIIJJJJKKK' },
    ];
    const found = findSecrets(
      secrets,
      outputs([
        'nothing here',
        `DATABASE_URL: bad (got "postgres://u:${encodeURIComponent(password)}@db/x")`,
        `{"config":${JSON.stringify({ password })}}`,
        'signing with c2VjcmV0LWJ5dGVzLWluLWJhc2U2NA==',
        'key lsk_abcdefghijkl_AAAABBBBCCCCDDDDEEEEFFFFGGGGHHHHIIIIJJJJKKK refused',
      ]),
    );
    assert.deepEqual(
      found.map((f) => [f.secret, f.line, f.form]),
      [
        ['db password', 2, 'percent-encoded'],
        ['db password', 3, 'json-escaped'],
        ['webhook secret', 4, 'without its prefix'],
        ['api key', 5, 'plain'],
      ],
    );
  });

  it('finds nothing in clean output, and refuses to scan for values too short to mean anything', () => {
    assert.deepEqual(findSecrets([{ name: 'token', value: 'a-long-enough-token-value' }], outputs(['a-long-enough', 'token-value'])), []);
    assert.throws(() => findSecrets([{ name: 'short', value: 'abc' }], outputs([])), /too short/);
  });

  it('takes every secret-looking variable of an environment', () => {
    const names = secretsOfEnv({
      LIAISON_ADMIN_TOKEN: 'x'.repeat(24),
      LIAISON_SECRET_KEY: 'y'.repeat(44),
      KAFKA_SASL_PASSWORD: 'z'.repeat(20),
      LOG_LEVEL: 'debug',
      EMPTY_TOKEN: '',
    }).map((s) => s.name);
    assert.deepEqual(names.sort(), ['KAFKA_SASL_PASSWORD', 'LIAISON_ADMIN_TOKEN', 'LIAISON_SECRET_KEY']);
  });
});
