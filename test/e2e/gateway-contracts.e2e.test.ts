import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { EVENT_TYPES, topicNames } from '@liaison/contracts';
import type { ConsumedRecord } from '@liaison/messaging';
import { repoRoot } from '../../tools/kafka/cluster';
import {
  collect,
  createAgency,
  expectEventually,
  issueKey,
  recordCount,
  request,
  startStack,
  testKafka,
  type TestStack,
} from '@liaison/testing';

type Json = Record<string, unknown>;

const examplesDir = (): string => join(repoRoot(), 'docs', 'examples');
const loadExamples = (): Json[] =>
  readdirSync(examplesDir())
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(examplesDir(), f), 'utf8')) as Json);

/** A fresh copy of an example: new id, so every publish is a distinct event. */
const fresh = (example: Json): Json => ({ ...example, id: randomUUID() });

describe('gateway: every contract over HTTP, single and batch, lands on Kafka in binary mode', () => {
  let stack: TestStack;
  let key: string;
  let agencyId: string;
  let ingest: { records: ConsumedRecord[]; stop: () => Promise<void> };
  const examples = loadExamples();

  before(async () => {
    stack = await startStack('gateway', ['admin', 'gateway']);
    const agency = await createAgency(stack, 'Publisher');
    agencyId = agency.id;
    key = await issueKey(stack, agency, ['publish']);
    ingest = await collect(testKafka(stack.brokers), [topicNames(stack.namespace).ingest]);
  });

  after(async () => {
    await ingest?.stop();
    await stack?.stop();
  });

  const onKafka = (id: string): Promise<ConsumedRecord> =>
    expectEventually(() => {
      const found = ingest.records.filter((r) => r.headers['ce_id'] === id);
      assert.equal(found.length, 1, `event ${id} on the ingest topic`);
      return found[0]!;
    });

  /** The binary-mode record carries every context attribute as a ce_ header, the data as its value. */
  const assertBinary = (record: ConsumedRecord, event: Json): void => {
    assert.equal(record.key, event['subject']);
    assert.equal(record.headers['content-type'], 'application/json');
    for (const [name, value] of Object.entries(event)) {
      if (name === 'data' || name === 'datacontenttype') continue;
      assert.equal(record.headers[`ce_${name}`], String(value), `ce_${name}`);
    }
    assert.equal(record.headers['ce_agency'], agencyId);
    assert.deepEqual(JSON.parse(record.value?.toString() ?? 'null'), event['data']);
  };

  it('has an example for every registered type', () => {
    assert.deepEqual(examples.map((e) => e['type']).sort(), Object.keys(EVENT_TYPES).sort());
  });

  it('accepts every example in structured mode (202) and writes it in binary mode keyed by subject', async () => {
    for (const example of examples) {
      const event = fresh(example);
      const res = await request('POST', `${stack.url('gateway')}/v1/events`, {
        token: key,
        body: event,
        contentType: 'application/cloudevents+json',
      });
      assert.equal(res.status, 202, `${String(event['type'])}: ${res.text}`);
      assertBinary(await onKafka(String(event['id'])), event);
    }
  });

  it('judges each event of a batch on its own (207) and publishes only the valid ones', async () => {
    const valid = examples.map(fresh);
    const unknownType = { ...fresh(examples[0]!), type: 'gov.liaison.incident.invented.v1' };
    const badMarking = { ...fresh(examples[0]!), tlp: 'AMBER-ISH' };
    const before = await recordCount(testKafka(stack.brokers), topicNames(stack.namespace).ingest);
    const res = await request('POST', `${stack.url('gateway')}/v1/events`, {
      token: key,
      body: [...valid, unknownType, badMarking],
      contentType: 'application/cloudevents-batch+json',
    });
    assert.equal(res.status, 207, res.text);
    assert.equal(res.body['accepted'], valid.length);
    assert.equal(res.body['rejected'], 2);
    const results = res.body['results'] as { index: number; status: string; errors?: { pointer: string }[] }[];
    assert.deepEqual(
      results.find((r) => r.index === valid.length)?.errors?.map((e) => e.pointer),
      [`/${valid.length}/type`],
    );
    assert.deepEqual(
      results.find((r) => r.index === valid.length + 1)?.errors?.map((e) => e.pointer),
      [`/${valid.length + 1}/tlp`],
    );
    for (const event of valid) assertBinary(await onKafka(String(event['id'])), event);
    assert.equal(await recordCount(testKafka(stack.brokers), topicNames(stack.namespace).ingest), before + valid.length);

    const allBad = await request('POST', `${stack.url('gateway')}/v1/events`, {
      token: key,
      body: [unknownType],
      contentType: 'application/cloudevents-batch+json',
    });
    assert.equal(allBad.status, 400);
    assert.equal(allBad.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    assert.equal(allBad.body['type'], 'urn:liaison:problem:validation-failed');
    assert.deepEqual(
      (allBad.body['errors'] as { pointer: string }[]).map((e) => e.pointer),
      ['/0/type'],
    );
    const empty = await request('POST', `${stack.url('gateway')}/v1/events`, {
      token: key,
      body: [],
      contentType: 'application/cloudevents-batch+json',
    });
    assert.equal(empty.status, 400);
    assert.equal(empty.body['type'], 'urn:liaison:problem:validation-failed');
  });

  it('refuses oversized bodies (413) and unknown media types (415)', async () => {
    const huge = { ...fresh(examples[0]!), data: { ...(examples[0]!['data'] as Json), narrative: 'x'.repeat(300_000) } };
    const tooLarge = await request('POST', `${stack.url('gateway')}/v1/events`, { token: key, body: huge });
    assert.equal(tooLarge.status, 413);
    assert.equal(tooLarge.body['type'], 'urn:liaison:problem:payload-too-large');
    const xml = await request('POST', `${stack.url('gateway')}/v1/events`, {
      token: key,
      rawBody: '<event/>',
      contentType: 'application/xml',
    });
    assert.equal(xml.status, 415);
  });

  it('never answers 5xx, whatever the body (property-based)', async () => {
    const url = `${stack.url('gateway')}/v1/events`;
    const mutated = fc
      .tuple(
        fc.constantFrom(...examples),
        fc.array(
          fc.tuple(fc.constantFrom('', 'data', 'data.location', 'data.location.point'), fc.string({ maxLength: 12 }), fc.jsonValue()),
          { maxLength: 4 },
        ),
      )
      .map(([example, edits]) => {
        const copy = JSON.parse(JSON.stringify(example)) as Json;
        for (const [path, field, value] of edits) {
          let target: unknown = copy;
          for (const part of path.split('.').filter(Boolean))
            target = typeof target === 'object' && target !== null ? (target as Json)[part] : undefined;
          if (typeof target === 'object' && target !== null) (target as Json)[field] = value;
        }
        return copy;
      });
    const body = fc.oneof(fc.jsonValue(), mutated, fc.array(mutated, { maxLength: 3 }));
    const contentType = fc.constantFrom('application/cloudevents+json', 'application/json', 'application/cloudevents-batch+json');
    await fc.assert(
      fc.asyncProperty(body, contentType, async (value, type) => {
        const res = await request('POST', url, { token: key, body: value, contentType: type });
        assert.ok(res.status < 500, `${res.status} for ${JSON.stringify(value).slice(0, 300)}: ${res.text}`);
        assert.ok([202, 207, 400].includes(res.status), `${res.status}: ${res.text}`);
      }),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (raw) => {
        const res = await request('POST', url, { token: key, rawBody: raw, contentType: 'application/cloudevents+json' });
        assert.ok(res.status < 500, `${res.status} for ${JSON.stringify(raw)}: ${res.text}`);
      }),
      { numRuns: 100 },
    );
  });
});
