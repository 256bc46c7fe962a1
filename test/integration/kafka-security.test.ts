import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type Kafka, type SASLOptions } from 'kafkajs';
import { topicNames } from '@liaison/contracts';
import {
  ensureTopics,
  PARTNER_TOKEN_AUDIENCE,
  PARTNER_TOKEN_ISSUER,
  provisionNamespace,
  SERVICE_PRINCIPALS,
  serviceAcls,
  toAclEntries,
  type LiaisonService,
} from '@liaison/messaging';
import { jwksOf } from '../../tools/kafka/cluster';
import { kafkaAs, serviceSasl, testBrokers, testKafka, testKafkaSecurity, uniqueSuffix } from '@liaison/testing';

interface TokenClaims {
  sub: string;
  iss?: string;
  aud?: string;
  /** Seconds from now. */
  expiresIn?: number;
}

/**
 * An RS256 JWT as the admin service issues partner tokens (the broker's side is what this suite
 * checks; issuing lives in the admin service): kid = the JWKS thumbprint of the signing key.
 */
function partnerToken(keyPem: string, claims: TokenClaims): string {
  const kid = jwksOf(keyPem).keys[0]?.['kid'];
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = encode({ alg: 'RS256', typ: 'JWT', kid });
  const payload = encode({
    sub: claims.sub,
    iss: claims.iss ?? PARTNER_TOKEN_ISSUER,
    aud: claims.aud ?? PARTNER_TOKEN_AUDIENCE,
    iat: now - 5,
    exp: now + (claims.expiresIn ?? 300),
  });
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), createPrivateKey(keyPem)).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

function oauth(token: string): SASLOptions {
  return { mechanism: 'oauthbearer', oauthBearerProvider: () => Promise.resolve({ value: token }) };
}

/** What a refused Kafka call failed with: the protocol error type, or the error class for SASL/connection failures. */
function refusalOf(error: unknown): string {
  let e: unknown = error;
  for (let depth = 0; depth < 5 && typeof e === 'object' && e !== null; depth += 1) {
    const fields = e as { type?: unknown; name?: unknown; cause?: unknown; originalError?: unknown };
    if (typeof fields.type === 'string' && fields.type !== 'UNKNOWN') return fields.type;
    if (fields.name === 'KafkaJSSASLAuthenticationError') return 'SASL_AUTHENTICATION_FAILED';
    // The broker answers FindCoordinator with GROUP_AUTHORIZATION_FAILED, but kafkajs 2.2.4 drops that
    // code and reports no coordinator (cluster/index.js, findGroupCoordinatorMetadata). Every test
    // below also joins an allowed group on the same broker, so the coordinator is known to be there.
    if (fields.name === 'KafkaJSGroupCoordinatorNotFound') return 'GROUP_AUTHORIZATION_FAILED';
    if (fields.name === 'KafkaJSConnectionClosedError' || fields.name === 'KafkaJSConnectionError') return 'CONNECTION_REFUSED';
    e = fields.originalError ?? fields.cause;
  }
  return `unexpected: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
}

/** 'ok' when `sasl` may produce one record to `topic`, else the refusal. */
async function tryWrite(kafka: Kafka, topic: string): Promise<string> {
  const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
  try {
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'probe' }] });
    return 'ok';
  } catch (error: unknown) {
    return refusalOf(error);
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

/** 'ok' when a consumer in `groupId` receives a record of `topic`, else the refusal (the consumer crashes on it). */
async function tryRead(kafka: Kafka, topic: string, groupId: string): Promise<string> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, retry: { retries: 0 } });
  try {
    const outcome = new Promise<string>((resolve) => {
      consumer.on(consumer.events.CRASH, (event) => resolve(refusalOf(event.payload.error)));
      setTimeout(() => resolve('timed out without a record or a refusal'), 20_000).unref();
      void consumer
        .connect()
        .then(() => consumer.subscribe({ topics: [topic], fromBeginning: true }))
        .then(() => consumer.run({ eachMessage: () => Promise.resolve(resolve('ok')) }))
        .catch((error: unknown) => resolve(refusalOf(error)));
    });
    return await outcome;
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}

async function tryCreateTopic(kafka: Kafka, topic: string): Promise<string> {
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    await ensureTopics(kafka, [{ topic, numPartitions: 1 }], 10_000);
    return 'ok';
  } catch (error: unknown) {
    const topicErrors = (error as { errors?: unknown[] }).errors;
    return refusalOf(topicErrors?.[0] ?? error);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function visibleTopics(kafka: Kafka, namespace: string): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).filter((t) => t.startsWith(`${namespace}.`)).sort();
  } finally {
    await admin.disconnect();
  }
}

describe('Kafka security: TLS, SASL and least-privilege ACLs (real broker)', () => {
  const brokers = testBrokers();
  const namespace = `t-kafkasec-${uniqueSuffix()}`;
  const topics = topicNames(namespace);
  const delivery = topics.delivery(randomUUID());
  const as = (service: LiaisonService): Kafka => kafkaAs(brokers, serviceSasl(service), { retries: 0 });

  before(async () => {
    const bootstrap = testKafka(brokers);
    await provisionNamespace(bootstrap, namespace, { partitions: 1 });
    await ensureTopics(bootstrap, [{ topic: delivery, numPartitions: 1 }]);
    // A record in every topic, so a permitted read has something to receive.
    for (const topic of [topics.ingest, topics.config, topics.deadLetter, delivery]) assert.equal(await tryWrite(bootstrap, topic), 'ok');
  });

  it('refuses a client without credentials, even over TLS', async () => {
    const anonymous = kafkaAs(brokers, undefined, { retries: 0 });
    assert.equal(await tryWrite(anonymous, topics.ingest), 'CONNECTION_REFUSED');
  });

  it('refuses a plaintext connection, even with valid credentials', async () => {
    const plaintext = kafkaAs(brokers, serviceSasl('gateway'), { tls: false, retries: 0 });
    assert.equal(await tryWrite(plaintext, topics.ingest), 'CONNECTION_REFUSED');
  });

  it('refuses a wrong password and an unknown user', async () => {
    const wrong: SASLOptions = { mechanism: 'scram-sha-512', username: SERVICE_PRINCIPALS.gateway, password: 'not-the-password' };
    assert.equal(await tryWrite(kafkaAs(brokers, wrong, { retries: 0 }), topics.ingest), 'SASL_AUTHENTICATION_FAILED');
    const unknown: SASLOptions = { mechanism: 'scram-sha-512', username: 'liaison-nobody', password: 'any-password-at-all' };
    assert.equal(await tryWrite(kafkaAs(brokers, unknown, { retries: 0 }), topics.ingest), 'SASL_AUTHENTICATION_FAILED');
  });

  it('accepts a partner OAUTHBEARER token signed with the cluster key, and only what its ACLs allow', async () => {
    const key = readFileSync(testKafkaSecurity().oauthSigningKeyFile, 'utf8');
    const partner = `partner-${uniqueSuffix()}`;
    const client = kafkaAs(brokers, oauth(partnerToken(key, { sub: partner })), { retries: 0 });
    // Authenticated (a refused token fails the SASL exchange, below), but no ACL yet.
    assert.equal(await tryRead(client, delivery, `${namespace}.partner.${partner}`), 'TOPIC_AUTHORIZATION_FAILED');
    const admin = testKafka(brokers).admin();
    await admin.connect();
    try {
      await admin.createAcls({
        acl: toAclEntries([
          { principal: partner, resource: 'topic', name: delivery, pattern: 'literal', operations: ['read'] },
          { principal: partner, resource: 'group', name: `${namespace}.partner.${partner}`, pattern: 'prefixed', operations: ['read'] },
        ]),
      });
    } finally {
      await admin.disconnect();
    }
    assert.equal(await tryRead(client, delivery, `${namespace}.partner.${partner}.cad`), 'ok');
    assert.equal(await tryRead(client, topics.ingest, `${namespace}.partner.${partner}.cad`), 'TOPIC_AUTHORIZATION_FAILED');
    assert.equal(await tryWrite(client, delivery), 'TOPIC_AUTHORIZATION_FAILED');
  });

  it('refuses partner tokens that are expired, for another audience or issuer, or signed by another key', async () => {
    const key = readFileSync(testKafkaSecurity().oauthSigningKeyFile, 'utf8');
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const sub = `partner-${uniqueSuffix()}`;
    for (const [what, token] of [
      ['expired', partnerToken(key, { sub, expiresIn: -120 })],
      ['other audience', partnerToken(key, { sub, aud: 'urn:somebody:else' })],
      ['other issuer', partnerToken(key, { sub, iss: 'urn:somebody:else' })],
      ['other key', partnerToken(otherKey, { sub })],
    ] as const) {
      // The broker answers a refused token with an error challenge; kafkajs reports it as either code.
      const refusal = await tryWrite(kafkaAs(brokers, oauth(token), { retries: 0 }), topics.ingest);
      assert.ok(['SASL_AUTHENTICATION_FAILED', 'ILLEGAL_SASL_STATE'].includes(refusal), `${what}: ${refusal}`);
    }
  });

  it('gateway: writes the ingest topic and nothing else, reads nothing, creates nothing', async () => {
    const gateway = as('gateway');
    assert.equal(await tryWrite(gateway, topics.ingest), 'ok');
    for (const topic of [topics.config, topics.deadLetter, delivery])
      assert.equal(await tryWrite(gateway, topic), 'TOPIC_AUTHORIZATION_FAILED', topic);
    assert.equal(await tryRead(gateway, topics.ingest, `${namespace}.router`), 'GROUP_AUTHORIZATION_FAILED');
    assert.equal(await tryCreateTopic(gateway, `${namespace}.delivery.${randomUUID()}.v1`), 'TOPIC_AUTHORIZATION_FAILED');
    assert.deepEqual(await visibleTopics(gateway, namespace), [topics.ingest]);
  });

  it('router: reads ingest and config, writes delivery topics and dead letters; cannot write ingest or read copies', async () => {
    const router = as('router');
    assert.equal(await tryRead(router, topics.ingest, `${namespace}.router`), 'ok');
    assert.equal(await tryRead(router, topics.config, `${namespace}.router-config.test-${uniqueSuffix()}`), 'ok');
    assert.equal(await tryWrite(router, delivery), 'ok');
    assert.equal(await tryWrite(router, topics.deadLetter), 'ok');
    assert.equal(await tryCreateTopic(router, `${namespace}.delivery.${randomUUID()}.v1`), 'ok');
    assert.equal(await tryWrite(router, topics.ingest), 'TOPIC_AUTHORIZATION_FAILED');
    assert.equal(await tryWrite(router, topics.config), 'TOPIC_AUTHORIZATION_FAILED');
    assert.equal(await tryRead(router, delivery, `${namespace}.router`), 'TOPIC_AUTHORIZATION_FAILED');
    assert.equal(await tryRead(router, topics.ingest, `${namespace}.delivery`), 'GROUP_AUTHORIZATION_FAILED');
  });

  it('delivery: reads delivery topics in its group, writes dead letters; cannot read ingest or config, nor write ingest', async () => {
    const deliveryService = as('delivery');
    assert.equal(await tryRead(deliveryService, delivery, `${namespace}.delivery`), 'ok');
    assert.equal(await tryWrite(deliveryService, topics.deadLetter), 'ok');
    assert.equal(await tryRead(deliveryService, topics.ingest, `${namespace}.delivery`), 'TOPIC_AUTHORIZATION_FAILED');
    assert.equal(await tryRead(deliveryService, topics.config, `${namespace}.delivery`), 'TOPIC_AUTHORIZATION_FAILED');
    assert.equal(await tryWrite(deliveryService, topics.ingest), 'TOPIC_AUTHORIZATION_FAILED');
    assert.equal(await tryWrite(deliveryService, delivery), 'TOPIC_AUTHORIZATION_FAILED');
    assert.equal(await tryRead(deliveryService, delivery, `${namespace}.router`), 'GROUP_AUTHORIZATION_FAILED');
  });

  it('admin: writes config, creates delivery topics and manages ACLs; cannot write ingest or read anything', async () => {
    const admin = as('admin');
    assert.equal(await tryWrite(admin, topics.config), 'ok');
    assert.equal(await tryCreateTopic(admin, `${namespace}.delivery.${randomUUID()}.v1`), 'ok');
    assert.equal(await tryCreateTopic(admin, `${namespace}.other.v1`), 'TOPIC_AUTHORIZATION_FAILED');
    assert.equal(await tryWrite(admin, topics.ingest), 'TOPIC_AUTHORIZATION_FAILED');
    assert.equal(await tryWrite(admin, delivery), 'TOPIC_AUTHORIZATION_FAILED');
    assert.equal(await tryRead(admin, topics.config, `${namespace}.router`), 'GROUP_AUTHORIZATION_FAILED');
    const client = admin.admin();
    await client.connect();
    try {
      // Creating an ACL needs ALTER on the cluster: what issuing partner credentials takes.
      const grant = toAclEntries([
        { principal: `partner-${uniqueSuffix()}`, resource: 'topic', name: delivery, pattern: 'literal', operations: ['read'] },
      ]);
      assert.equal(await client.createAcls({ acl: grant }), true);
    } finally {
      await client.disconnect();
    }
  });

  it('a service cannot create ACLs, so it cannot widen its own rights', async () => {
    const client = as('router').admin();
    await client.connect();
    try {
      const widen = toAclEntries([
        { principal: SERVICE_PRINCIPALS.router, resource: 'topic', name: delivery, pattern: 'literal', operations: ['read'] },
      ]);
      await assert.rejects(client.createAcls({ acl: widen }), (error: unknown) => refusalOf(error) === 'CLUSTER_AUTHORIZATION_FAILED');
    } finally {
      await client.disconnect();
    }
  });

  it('the ACLs on the broker are exactly the ones serviceAcls() lists for the namespace', async () => {
    const client = testKafka(brokers).admin();
    await client.connect();
    try {
      const expected = toAclEntries(serviceAcls(namespace)).map(
        (a) => `${a.principal} ${a.resourceType}:${a.resourceName}:${a.resourcePatternType} ${a.operation}`,
      );
      const onBroker: string[] = [];
      for (const principal of Object.values(SERVICE_PRINCIPALS)) {
        for (const resourceType of [AclResourceTypes.TOPIC, AclResourceTypes.GROUP, AclResourceTypes.CLUSTER]) {
          const described = await client.describeAcls({
            resourceType,
            resourcePatternType: ResourcePatternTypes.ANY,
            principal: `User:${principal}`,
            host: '*',
            operation: AclOperationTypes.ANY,
            permissionType: AclPermissionTypes.ALLOW,
          });
          for (const resource of described.resources) {
            if (resource.resourceType !== AclResourceTypes.CLUSTER && !resource.resourceName.startsWith(`${namespace}.`)) continue;
            for (const acl of resource.acls) {
              onBroker.push(
                `${acl.principal} ${resource.resourceType}:${resource.resourceName}:${resource.resourcePatternType} ${acl.operation}`,
              );
            }
          }
        }
      }
      for (const entry of expected) assert.ok(onBroker.includes(entry), `missing on the broker: ${entry}`);
      const namespaced = onBroker.filter((e) => !e.includes(' 4:kafka-cluster:'));
      assert.equal(namespaced.length, expected.filter((e) => !e.includes(' 4:kafka-cluster:')).length, namespaced.join('\n'));
    } finally {
      await client.disconnect();
    }
  });
});
