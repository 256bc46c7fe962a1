import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ConfigResourceTypes, type Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { AdminConfig } from '../../apps/admin/src/admin.config';
import { ConfigStateReader } from '../../apps/admin/src/outbox/config-state-reader';
import { OutboxRelay } from '../../apps/admin/src/outbox/outbox-relay';
import { loadConfig } from '@liaison/config';
import { CONFIG_OUTBOX_ID_HEADER, configKey, decodeConfigRecord, topicNames } from '@liaison/contracts';
import { DurableProducer } from '@liaison/messaging';
import {
  AgencyRepository,
  createDataSource,
  FeedRepository,
  OutboxRepository,
  SharingGroupRepository,
  SharingPolicyRepository,
} from '@liaison/persistence';
import {
  collect,
  createTestDatabase,
  expectEventually,
  testBrokers,
  testKafka,
  testKafkaEnv,
  testOri,
  uniqueSuffix,
  type TestDatabase,
} from '@liaison/testing';

/** One admin instance's relay, wired by hand as Nest would: its own pool and producer. */
interface RelayInstance {
  db: DataSource;
  producer: DurableProducer;
  relay: OutboxRelay;
  stop(): Promise<void>;
}

async function startRelay(database: TestDatabase, kafka: Kafka, config: AdminConfig): Promise<RelayInstance> {
  const db = await createDataSource(database.url, 'liaison-test-relay').initialize();
  const producer = new DurableProducer(kafka);
  await producer.connect();
  const state = new ConfigStateReader(
    new AgencyRepository(db),
    new SharingGroupRepository(db),
    new SharingPolicyRepository(db),
    new FeedRepository(db),
    config,
  );
  const relay = new OutboxRelay(db, new OutboxRepository(db), producer, state, kafka, config);
  relay.onApplicationBootstrap();
  return {
    db,
    producer,
    relay,
    async stop() {
      await relay.onApplicationShutdown();
      await producer.disconnect();
      await db.destroy();
    },
  };
}

describe('outbox relay → compacted configuration topic (real PostgreSQL and Kafka)', () => {
  let database: TestDatabase;
  let kafka: Kafka;
  let config: AdminConfig;
  let topic: string;
  let first: RelayInstance;
  let second: RelayInstance | undefined;
  const agencyIds: string[] = [];

  before(async () => {
    database = await createTestDatabase('relay');
    kafka = testKafka(testBrokers());
    const namespace = `t-relay-${uniqueSuffix()}`;
    topic = topicNames(namespace).config;
    config = loadConfig(AdminConfig, {
      DATABASE_URL: database.serviceUrl('admin'),
      KAFKA_BROKERS: testBrokers(),
      ...testKafkaEnv(),
      LIAISON_TOPIC_NAMESPACE: namespace,
      LIAISON_ADMIN_TOKEN: 'x'.repeat(32),
      OUTBOX_POLL_MS: '50',
    });
    // Agencies that exist before any relay ran and that no outbox row describes.
    const seedDb = await createDataSource(database.url, 'liaison-test-seed').initialize();
    const agencies = new AgencyRepository(seedDb);
    for (let i = 0; i < 3; i += 1)
      agencyIds.push(((await agencies.create({ ori: testOri(), name: `Pre-existing ${i}`, kind: 'local' })) as { id: string }).id);
    await seedDb.destroy();
    first = await startRelay(database, kafka, config);
  });

  after(async () => {
    await second?.stop();
    await first?.stop();
    await database?.drop();
  });

  it('creates the topic compacted, and fills an empty topic with the current state of every object', async () => {
    // The relay creates the topic on its first turn.
    const cleanup = await expectEventually(async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const described = await admin.describeConfigs({
          resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy'] }],
          includeSynonyms: false,
        });
        return described.resources[0]?.configEntries[0]?.configValue;
      } finally {
        await admin.disconnect();
      }
    });
    assert.equal(cleanup, 'compact');
    const reader = await collect(kafka, [topic]);
    try {
      const records = await expectEventually(() => {
        assert.equal(reader.records.length, agencyIds.length);
        return reader.records;
      });
      assert.deepEqual(records.map((r) => r.key).sort(), agencyIds.map((id) => configKey('agency', id)).sort());
      for (const r of records) {
        const decoded = decodeConfigRecord(r.key, r.value);
        assert.ok(decoded.ok && decoded.record.kind === 'agency' && decoded.record.state?.status === 'active', JSON.stringify(decoded));
      }
    } finally {
      await reader.stop();
    }
  });

  it('publishes rows in order with their tombstones, marks them published, and never seeds twice', async () => {
    const outbox = new OutboxRepository(first.db);
    const policyKey = configKey('policy', randomUUID());
    const groupKey = configKey('group', randomUUID());
    await first.db.transaction((m) =>
      outbox.append(m, [
        { topic, key: policyKey, value: { version: 1 } },
        { topic, key: groupKey, value: { name: 'g' } },
      ]),
    );
    await first.db.transaction((m) =>
      outbox.append(m, [
        { topic, key: policyKey, value: { version: 2 } },
        { topic, key: groupKey, value: null },
      ]),
    );
    first.relay.wake();
    const reader = await collect(kafka, [topic]);
    try {
      const mine = await expectEventually(() => {
        const records = reader.records.filter((r) => r.key === policyKey || r.key === groupKey);
        assert.equal(records.length, 4);
        return records;
      });
      assert.deepEqual(
        mine.map((r) => [r.key, r.value === null ? null : (JSON.parse(r.value.toString()) as unknown)]),
        [
          [policyKey, { version: 1 }],
          [groupKey, { name: 'g' }],
          [policyKey, { version: 2 }],
          [groupKey, null],
        ],
      );
      const ids = mine.map((r) => Number(r.headers[CONFIG_OUTBOX_ID_HEADER]));
      assert.deepEqual(
        ids,
        [...ids].sort((x, y) => x - y),
      );
      await expectEventually(async () => assert.equal(await outbox.unpublishedCount(), 0));
      // The seed ran once: three agency records, no more, although the relay has taken many turns since.
      assert.equal(reader.records.filter((r) => r.key?.startsWith('agency:')).length, agencyIds.length);
    } finally {
      await reader.stop();
    }
  });

  it('with two admin instances relaying at once, every row is published exactly once and each key stays in order', async () => {
    second = await startRelay(database, kafka, config);
    const writers = 4;
    const perWriter = 40;
    const keys = Array.from({ length: writers }, () => configKey('policy', randomUUID()));
    const reader = await collect(kafka, [topic]);
    try {
      // Each writer commits its versions one transaction at a time, through either instance's pool, and wakes that instance.
      await Promise.all(
        keys.map(async (key, w) => {
          const instance = w % 2 === 0 ? first : (second as RelayInstance);
          const outbox = new OutboxRepository(instance.db);
          for (let v = 1; v <= perWriter; v += 1) {
            await instance.db.transaction((m) => outbox.append(m, [{ topic, key, value: { version: v } }]));
            instance.relay.wake();
          }
        }),
      );
      const byKey = await expectEventually(
        () => {
          const grouped = new Map(keys.map((k) => [k, [] as number[]]));
          for (const r of reader.records)
            grouped.get(r.key ?? '')?.push((JSON.parse(r.value?.toString() ?? 'null') as { version: number }).version);
          for (const versions of grouped.values()) assert.equal(versions.length, perWriter);
          return grouped;
        },
        { timeoutMs: 30_000 },
      );
      const expected = Array.from({ length: perWriter }, (_, i) => i + 1);
      for (const versions of byKey.values()) assert.deepEqual(versions, expected);
      const outboxIds = reader.records.map((r) => r.headers[CONFIG_OUTBOX_ID_HEADER]);
      assert.equal(new Set(outboxIds).size, outboxIds.length, 'an outbox row was published twice');
    } finally {
      await reader.stop();
    }
  });
});
