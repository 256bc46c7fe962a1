/**
 * A consumer built only from docs/asyncapi.yaml and docs/schemas can decode what the gateway
 * writes. This file deliberately imports nothing from libs/contracts: topic address, header names,
 * the key and the payload schemas all come from the published documents.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Parser, fromFile } from '@asyncapi/parser';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Consumer, IHeaders } from 'kafkajs';
import { parse as parseYaml } from 'yaml';
import { repoRoot } from '../../tools/kafka/cluster';
import { createAgency, expectEventually, issueKey, request, startStack, testKafka, uniqueSuffix, type TestStack } from '@liaison/testing';

type Json = Record<string, unknown>;

interface RawRecord {
  key: string | null;
  value: Buffer | null;
  headers: IHeaders;
}

/** What a consumer needs to know about one message of a channel, read from the AsyncAPI document. */
interface MessageContract {
  type: string;
  headerNames: string[];
  requiredHeaders: string[];
  validateHeaders: ValidateFunction;
  validatePayload: ValidateFunction;
  validateKey: ValidateFunction;
  /** Where the correlation id (the key's twin) lives, e.g. `$message.header#/ce_subject`. */
  correlationLocation: string;
}

const docsDir = join(repoRoot(), 'docs');
const asyncApiPath = join(docsDir, 'asyncapi.yaml');
const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strict: false });
addFormats(ajv);

/** Flattens `allOf` members into one object schema's properties and required list. */
function objectShape(schema: Json): { properties: Record<string, Json>; required: string[] } {
  const parts = [schema, ...((schema['allOf'] ?? []) as Json[])];
  const properties: Record<string, Json> = {};
  const required: string[] = [];
  for (const part of parts) {
    Object.assign(properties, (part['properties'] ?? {}) as Record<string, Json>);
    required.push(...((part['required'] ?? []) as string[]));
  }
  return { properties, required };
}

/** Reads the ingest channel's address and its messages' contracts from the AsyncAPI document. */
async function readContracts(): Promise<{ ingestAddress: string; messages: Map<string, MessageContract> }> {
  const { document, diagnostics } = await fromFile(new Parser(), asyncApiPath).parse();
  assert.ok(document, `asyncapi.yaml does not parse: ${JSON.stringify(diagnostics.filter((d) => Number(d.severity) === 0))}`);
  // The raw YAML keeps each payload's $ref, i.e. which schema file the message points to.
  const raw = parseYaml(readFileSync(asyncApiPath, 'utf8')) as Json;
  const rawMessages = (raw['components'] as Json)['messages'] as Record<string, Json>;
  const ingest = document
    .channels()
    .all()
    .find((c) => c.id() === 'ingest');
  assert.ok(ingest, 'an ingest channel');
  const messages = new Map<string, MessageContract>();
  for (const message of ingest.messages().all()) {
    const headers = message.headers();
    assert.ok(headers, `${message.id()} has headers`);
    const shape = objectShape(headers.json<Json>());
    const typeHeader = shape.properties['ce_type'];
    const type = String(typeHeader?.['const']);
    const payloadRef = ((rawMessages[message.id()]!['payload'] as Json)['schema'] as Json)['$ref'] as string;
    const schemaFile = resolve(dirname(asyncApiPath), payloadRef);
    const keySchema = message.bindings().get('kafka')?.value<Json>()['key'] as Json | undefined;
    assert.ok(keySchema, `${message.id()} documents its Kafka key`);
    const correlation = message.correlationId();
    assert.ok(correlation, `${message.id()} documents its correlation id`);
    messages.set(type, {
      type,
      headerNames: Object.keys(shape.properties),
      requiredHeaders: shape.required,
      validateHeaders: ajv.compile(headers.json<Json>()),
      validatePayload: ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as Json),
      validateKey: ajv.compile(keySchema),
      correlationLocation: correlation.location() ?? '',
    });
  }
  return { ingestAddress: ingest.address() ?? '', messages };
}

/** Decodes one raw record using only the contract: headers by the documented names, payload by its schema. */
function decode(record: RawRecord, messages: Map<string, MessageContract>): { event: Json; key: string; contract: MessageContract } {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(record.headers)) {
    if (value === undefined) continue;
    assert.ok(!Array.isArray(value), `header ${name} appears once`);
    headers[name] = value.toString();
  }
  const contract = messages.get(headers['ce_type'] ?? '');
  assert.ok(contract, `a documented message for ce_type ${headers['ce_type']}`);
  assert.ok(contract.validateHeaders(headers), `headers: ${ajv.errorsText(contract.validateHeaders.errors)}`);
  for (const name of contract.requiredHeaders) assert.ok(headers[name] !== undefined, `required header ${name}`);
  const event: Json = {};
  for (const name of contract.headerNames) {
    if (headers[name] === undefined) continue;
    if (name === 'content-type') event['datacontenttype'] = headers[name];
    else if (name.startsWith('ce_')) event[name.slice('ce_'.length)] = headers[name];
  }
  const data = JSON.parse(record.value?.toString('utf8') ?? 'null') as unknown;
  assert.ok(contract.validatePayload(data), `${contract.type} payload: ${ajv.errorsText(contract.validatePayload.errors)}`);
  event['data'] = data;
  const key = record.key ?? '';
  assert.ok(contract.validateKey(key), `key: ${ajv.errorsText(contract.validateKey.errors)}`);
  return { event, key, contract };
}

describe('a consumer built only from docs/asyncapi.yaml and docs/schemas decodes every event the gateway writes', () => {
  let stack: TestStack;
  let key: string;
  let agencyId: string;
  let consumer: Consumer;
  const records: RawRecord[] = [];
  let contracts: Awaited<ReturnType<typeof readContracts>>;
  const examples = readdirSync(join(docsDir, 'examples'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(docsDir, 'examples', f), 'utf8')) as Json);

  before(async () => {
    contracts = await readContracts();
    stack = await startStack('asyncapi', ['admin', 'gateway']);
    const agency = await createAgency(stack, 'Publisher');
    agencyId = agency.id;
    key = await issueKey(stack, agency, ['publish']);
    consumer = testKafka(stack.brokers).consumer({ groupId: `asyncapi-consumer-${uniqueSuffix()}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    const topic = contracts.ingestAddress.replace('{namespace}', stack.namespace);
    // The gateway creates the ingest topic; wait for it rather than let the consumer auto-create it.
    await expectEventually(async () => {
      const admin = testKafka(stack.brokers).admin();
      await admin.connect();
      try {
        assert.ok((await admin.listTopics()).includes(topic), `${topic} exists`);
      } finally {
        await admin.disconnect();
      }
    });
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        records.push({ key: message.key?.toString('utf8') ?? null, value: message.value, headers: message.headers ?? {} });
        return Promise.resolve();
      },
    });
  });

  after(async () => {
    await consumer?.disconnect();
    await stack?.stop();
  });

  it('documents one message per example type on the ingest channel', () => {
    assert.deepEqual([...contracts.messages.keys()].sort(), examples.map((e) => String(e['type'])).sort());
    assert.equal(contracts.ingestAddress, '{namespace}.ingest.v1');
  });

  it('decodes every example, and a TLP:RED event with recipients, attribute for attribute', async () => {
    const intel = examples.find((e) => e['type'] === 'gov.liaison.intel.published.v1')!;
    const published: Json[] = [
      ...examples.map((e) => ({ ...e, id: randomUUID() })),
      { ...intel, id: randomUUID(), tlp: 'RED', recipients: 'TX2270100 TX227SO00' },
    ];
    for (const event of published) {
      const res = await request('POST', `${stack.url('gateway')}/v1/events`, {
        token: key,
        body: event,
        contentType: 'application/cloudevents+json',
      });
      assert.equal(res.status, 202, `${String(event['type'])}: ${res.text}`);
    }
    for (const sent of published) {
      const record = await expectEventually(() => {
        const found = records.filter((r) => r.headers['ce_id']?.toString() === sent['id']);
        assert.equal(found.length, 1, `event ${String(sent['id'])} on the ingest topic`);
        return found[0]!;
      });
      const { event, key: recordKey, contract } = decode(record, contracts.messages);
      // Every attribute the publisher sent comes back (as the string a header carries), plus the stamped agency.
      for (const [name, value] of Object.entries(sent)) {
        if (name === 'data') assert.deepEqual(event['data'], value, `${contract.type} data`);
        else assert.equal(event[name], String(value), `${contract.type} ${name}`);
      }
      assert.equal(event['agency'], agencyId);
      assert.deepEqual(Object.keys(event).sort(), [...Object.keys(sent), 'agency'].sort(), `${contract.type}: no undocumented attribute`);
      // The key is the CloudEvents subject, found where the correlation id says.
      assert.equal(contract.correlationLocation, '$message.header#/ce_subject');
      assert.equal(recordKey, sent['subject']);
      assert.equal(recordKey, event['subject']);
    }
  });
});
