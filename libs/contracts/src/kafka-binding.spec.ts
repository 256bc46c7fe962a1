import 'reflect-metadata';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { ENVELOPE_ATTRIBUTES, type LiaisonEvent } from './envelope';
import { CONTENT_TYPE_HEADER, fromBinaryRecord, toBinaryRecord, UndecodableRecordError, type BinaryKafkaRecord } from './kafka-binding';
import { validateEvent } from './validation';

type JsonObject = Record<string, unknown>;

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

const EXAMPLES_DIR = join(repoRoot(), 'docs', 'examples');

function readExample(file = 'gov.liaison.incident.reported.v1.json'): JsonObject {
  return JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as JsonObject;
}

/** Validates a plain event, failing the test if it is not valid. */
function valid(input: unknown): LiaisonEvent {
  const outcome = validateEvent(input);
  if (!outcome.ok) assert.fail(`expected a valid event, got ${JSON.stringify(outcome.problems)}`);
  return outcome.value;
}

/** The headers as kafkajs hands them to a consumer: Buffers. */
function asBuffers(headers: Record<string, string>): Record<string, Buffer> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)]));
}

/** A well-formed record whose headers/value a test can then break. */
function goodRecord(): BinaryKafkaRecord {
  return toBinaryRecord(valid(readExample()));
}

function assertUndecodable(record: Parameters<typeof fromBinaryRecord>[0], reasonPattern: RegExp): void {
  assert.throws(
    () => fromBinaryRecord(record),
    (error: unknown) => {
      assert.ok(error instanceof UndecodableRecordError, `expected UndecodableRecordError, got ${String(error)}`);
      assert.match(error.reason, reasonPattern);
      assert.equal(error.message, error.reason);
      return true;
    },
  );
}

describe('toBinaryRecord', () => {
  it('keys the record by the event subject', () => {
    const event = valid(readExample());
    assert.equal(toBinaryRecord(event).key, 'MCPD-2026-118734');
    assert.equal(toBinaryRecord(event).key, event.subject);
  });

  it('writes the payload, and only the payload, as the JSON value', () => {
    const example = readExample();
    const record = toBinaryRecord(valid(example));
    assert.deepEqual(JSON.parse(record.value.toString('utf8')), example['data']);
  });

  it('writes every context attribute as a ce_-prefixed string header, plus content-type', () => {
    const record = goodRecord();
    assert.deepEqual(record.headers, {
      'content-type': 'application/json',
      ce_specversion: '1.0',
      ce_id: '6f1c2a9e-4b7d-4e0a-9c51-3d2f8a7b1e01',
      ce_source: 'urn:liaison:agency:XX0000001:cad',
      ce_type: 'gov.liaison.incident.reported.v1',
      ce_subject: 'MCPD-2026-118734',
      ce_time: '2026-11-25T02:14:07-06:00',
      ce_tlp: 'AMBER',
      ce_caveats: 'LES',
      ce_personaldata: '/narrative',
      ce_feed: 'cad-incidents',
    });
  });

  it('never writes datacontenttype or data as ce_ headers, nor absent attributes', () => {
    const headers = goodRecord().headers;
    assert.equal(headers['ce_datacontenttype'], undefined);
    assert.equal(headers['ce_data'], undefined);
    assert.equal(headers['ce_dataschema'], undefined);
    for (const name of Object.keys(headers)) {
      assert.ok(name === CONTENT_TYPE_HEADER || name.startsWith('ce_'), name);
      assert.equal(typeof headers[name], 'string');
    }
  });

  it('writes headers in the documented attribute order', () => {
    const names = Object.keys(goodRecord().headers)
      .filter((n) => n.startsWith('ce_'))
      .map((n) => n.slice(3));
    const documented = ENVELOPE_ATTRIBUTES.filter((a) => names.includes(a));
    assert.deepEqual(names, documented);
  });

  it('defaults the content-type header to application/json when datacontenttype is absent', () => {
    const example = readExample();
    delete example['datacontenttype'];
    assert.equal(toBinaryRecord(valid(example)).headers[CONTENT_TYPE_HEADER], 'application/json');
  });
});

describe('fromBinaryRecord ∘ toBinaryRecord', () => {
  it('gives back an equal event after validation (string headers)', () => {
    const event = valid(readExample());
    const record = toBinaryRecord(event);
    assert.deepEqual(valid(fromBinaryRecord(record)), event);
  });

  it('gives back an equal event when headers arrive as Buffers, as kafkajs delivers them', () => {
    const event = valid(readExample());
    const record = toBinaryRecord(event);
    const decoded = fromBinaryRecord({ value: record.value, headers: asBuffers(record.headers) });
    assert.deepEqual(valid(decoded), event);
  });

  for (const file of readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    it(`round-trips the committed example ${file}`, () => {
      const event = valid(readExample(file));
      assert.deepEqual(valid(fromBinaryRecord(toBinaryRecord(event))), event);
    });
  }

  it('round-trips every optional extension attribute', () => {
    const event = valid({
      ...readExample(),
      dataschema: 'https://liaison.example/schemas/incident.reported.v1.json',
      agency: 'b3f1c2d4-0000-4000-8000-000000000001',
      expires: '2027-11-25T00:00:00Z',
      reviewby: '2031-11-25T00:00:00+00:00',
      correlationid: 'corr-1',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      tracestate: 'vendor=value',
    });
    assert.deepEqual(valid(fromBinaryRecord(toBinaryRecord(event))), event);
  });

  it('decodes an event without datacontenttype as application/json (the binding always sets content-type)', () => {
    const example = readExample();
    delete example['datacontenttype'];
    const decoded = valid(fromBinaryRecord(toBinaryRecord(valid(example))));
    assert.equal(decoded.datacontenttype, 'application/json');
    assert.deepEqual({ ...decoded, datacontenttype: undefined }, valid(example));
  });

  // An optional attribute sent as JSON null passes validateEvent (class-validator's @IsOptional
  // treats null like absent), so the gateway accepts it; toBinaryRecord then writes it as the
  // string "null". Consumers read back a different event, which for most attributes is invalid.
  for (const attribute of ['caveats', 'personaldata', 'expires', 'feed', 'correlationid'] as const) {
    it(`an accepted event with ${attribute}: null survives the binary round trip`, () => {
      const event = valid({ ...readExample(), [attribute]: null });
      const record = toBinaryRecord(event);
      assert.equal(
        record.headers[`ce_${attribute}`],
        undefined,
        `null ${attribute} was written as header ${record.headers[`ce_${attribute}`]}`,
      );
      const outcome = validateEvent(fromBinaryRecord(record));
      assert.ok(outcome.ok, `round trip rejected: ${JSON.stringify(outcome.ok ? [] : outcome.problems)}`);
    });
  }
});

describe('fromBinaryRecord', () => {
  it('maps content-type to datacontenttype and strips the ce_ prefix', () => {
    const plain = fromBinaryRecord({
      value: Buffer.from('{"a":1}'),
      headers: { 'content-type': 'application/json', ce_id: 'x', ce_tlp: Buffer.from('RED') },
    });
    assert.deepEqual(plain, { datacontenttype: 'application/json', id: 'x', tlp: 'RED', data: { a: 1 } });
  });

  it('ignores headers that are not part of the binding and headers whose value is undefined', () => {
    const plain = fromBinaryRecord({
      value: Buffer.from('{}'),
      headers: { 'content-type': 'application/json', 'liaison-dlq-reason': 'x', traceparent: 't', ce_id: undefined },
    });
    assert.deepEqual(plain, { datacontenttype: 'application/json', data: {} });
  });

  it('returns JSON values that are not objects as data, leaving the rejection to validateEvent', () => {
    const record = goodRecord();
    const plain = fromBinaryRecord({ value: Buffer.from('42'), headers: record.headers });
    assert.equal(plain['data'], 42);
    const outcome = validateEvent(plain);
    assert.ok(!outcome.ok);
    assert.deepEqual(
      outcome.problems.map((p) => p.pointer),
      ['/data'],
    );
  });

  it('throws UndecodableRecordError for a value that is not JSON', () => {
    assertUndecodable({ value: Buffer.from('{"incidentType": '), headers: goodRecord().headers }, /not valid JSON/);
    assertUndecodable({ value: Buffer.from(''), headers: goodRecord().headers }, /not valid JSON/);
    assertUndecodable({ value: Buffer.from([0xff, 0xfe, 0x00]), headers: goodRecord().headers }, /not valid JSON/);
  });

  it('throws UndecodableRecordError for a null value (a tombstone)', () => {
    assertUndecodable({ value: null, headers: goodRecord().headers }, /no value/);
  });

  it('throws UndecodableRecordError for a content-type other than application/json', () => {
    const headers = { ...goodRecord().headers, 'content-type': 'text/plain' };
    assertUndecodable({ value: goodRecord().value, headers }, /content-type must be application\/json, got text\/plain/);
  });

  it('throws UndecodableRecordError when the content-type header is missing', () => {
    const headers: Record<string, string> = { ...goodRecord().headers };
    delete headers[CONTENT_TYPE_HEADER];
    assertUndecodable({ value: goodRecord().value, headers }, /content-type/);
    assertUndecodable({ value: goodRecord().value }, /content-type/);
  });

  it('throws UndecodableRecordError for a repeated ce_ header', () => {
    const headers = { ...asBuffers(goodRecord().headers), ce_tlp: [Buffer.from('RED'), Buffer.from('CLEAR')] };
    assertUndecodable({ value: goodRecord().value, headers }, /header ce_tlp appears more than once/);
  });

  it('throws UndecodableRecordError for a repeated content-type header, even with equal values', () => {
    const headers = { ...goodRecord().headers, 'content-type': ['application/json', 'application/json'] };
    assertUndecodable({ value: goodRecord().value, headers }, /header content-type appears more than once/);
  });

  it('throws UndecodableRecordError for a repeated header that is not part of the binding', () => {
    const headers = { ...goodRecord().headers, 'x-other': ['a', 'b'] };
    assertUndecodable({ value: goodRecord().value, headers }, /x-other/);
  });
});
