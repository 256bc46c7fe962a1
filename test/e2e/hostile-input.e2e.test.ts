/**
 * The hostile-input suite: thousands of generated requests (fast-check, fixed seed) against every
 * route of every OpenAPI document the services serve, the CloudEvents ingest in structured and
 * batch mode, and the delivery pull and stream routes. Each request is built from the schemas and
 * then broken (see test/harness/hostile-input.ts), so each must be refused. For every request it
 * asserts: no 5xx; every 4xx an RFC 9457 document, naming a broken member when a member is at fault;
 * no table's row count changed and the audit trail gained only refusals (every table counted in
 * PostgreSQL before and after each route's phase). Then: no-op updates are answered without writing, and a canary event published
 * after all of it reaches its partner. `LIAISON_HOSTILE_SEED` and `LIAISON_HOSTILE_SCALE` vary the
 * run (the seed is fixed otherwise, so a failure reproduces).
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { Client } from 'pg';
import { EVENT_TYPES, topicNames } from '@liaison/contracts';
import {
  BREAKING_QUERY_VALUES,
  createAgency,
  createAgreement,
  createAccount,
  exampleEvent,
  expectEventually,
  FAST_ADMIN_ENV,
  IMPOSSIBLE_QUERY_DATES,
  issueKey,
  mutatedValue,
  ODD_QUERY_VALUES,
  recordCount,
  request,
  routesOf,
  sample,
  startStack,
  testKafka,
  wireBody,
  type OpenApi,
  type Route,
  type Schema,
  type SchemaRoot,
  type TestAgency,
  type TestStack,
  type WireBody,
} from '@liaison/testing';
import { repoRoot } from '../../tools/kafka/cluster';

const SEED = Number(process.env['LIAISON_HOSTILE_SEED'] ?? 20_261_201);
const SCALE = Number(process.env['LIAISON_HOSTILE_SCALE'] ?? 1);
const runs = (n: number): number => Math.max(1, Math.round(n * SCALE));
/** Cases per route of an OpenAPI document; the ingest and delivery routes have their own counts below. */
const CASES_PER_ROUTE = runs(55);
const REQUEST_TIMEOUT_MS = 20_000;
/** Requests in flight at once within a phase. */
const CONCURRENCY = 4;

type Json = Record<string, unknown>;
type PathKind = 'own' | 'other' | 'random' | 'garbage';
type Credential = 'operator' | 'agency' | 'garbage';

interface HostileCase {
  route: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Every part of the request that was broken; a success would be a bug. */
  mustRefuse: boolean;
  /** Pointers of the members the case broke: a 400 must name one of them (or a member inside or around it). */
  blamed: string[];
  labels: string[];
}

interface Outcome {
  status: number;
  contentType: string;
  body: Json | undefined;
  text: string;
}

const GARBAGE_IDS = ['not-a-uuid', '%00', 'x'.repeat(300), '%ED%A0%80', '..%2F..%2Fetc', '0', '%E2%80%AE', "1'%20OR%20'1'='1"];
const GARBAGE_TOKENS = [
  'lsk_garbage',
  'Bearer',
  `lss_${'a'.repeat(4_000)}`,
  "' OR 1=1 --",
  'lsk_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
];

function related(error: string, blamed: string): boolean {
  return error === blamed || error.startsWith(`${blamed}/`) || (error !== '' && blamed.startsWith(`${error}/`));
}

describe('hostile input on every route (property-based; real Kafka and PostgreSQL)', () => {
  let stack: TestStack;
  let db: Client;
  let a: TestAgency;
  let b: TestAgency;
  let c: TestAgency;
  const keys: Record<'aManage' | 'aPublish' | 'bConsume' | 'cManage' | 'cConsume', string> = {
    aManage: '',
    aPublish: '',
    bConsume: '',
    cManage: '',
    cConsume: '',
  };
  const own: Record<string, string> = {};
  const other: Record<string, string> = {};
  const documents: { service: string; doc: OpenApi }[] = [];
  const tally = new Map<string, { cases: number; statuses: Map<number, number> }>();
  const violations: string[] = [];
  let serverErrors = 0;
  let countQuery = '';
  let lastAuditId = '0';

  const admin = (path: string): string => `${stack.url('admin')}${path}`;

  async function tableCounts(): Promise<Record<string, number>> {
    const res = await db.query<{ counts: Record<string, number> }>(countQuery);
    return res.rows[0]!.counts;
  }

  async function newAuditRows(): Promise<{ id: string; action: string; outcome: string }[]> {
    const res = await db.query<{ id: string; action: string; outcome: string }>(
      'SELECT id::text AS id, action, outcome FROM audit_log WHERE id > $1 ORDER BY audit_log.id',
      [lastAuditId],
    );
    if (res.rows.length > 0) lastAuditId = res.rows[res.rows.length - 1]!.id;
    return res.rows;
  }

  async function send(hostile: HostileCase): Promise<Outcome> {
    const response = await fetch(hostile.url, {
      method: hostile.method,
      headers: hostile.headers,
      body: hostile.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const contentType = response.headers.get('content-type') ?? '';
    if (contentType.startsWith('text/event-stream')) {
      await response.body?.cancel();
      return { status: response.status, contentType, body: undefined, text: '' };
    }
    const text = await response.text();
    let body: Json | undefined;
    try {
      body = JSON.parse(text) as Json;
    } catch {
      body = undefined;
    }
    return { status: response.status, contentType, body, text };
  }

  function violation(hostile: HostileCase, what: string, outcome?: Outcome): void {
    if (violations.length >= 60) return;
    const shown = hostile.body === undefined ? '' : ` body ${hostile.body.subarray(0, 300).toString('latin1')}`;
    violations.push(
      `${hostile.route} [${hostile.labels.join(', ')}] ${what}${outcome === undefined ? '' : ` → ${outcome.status} ${outcome.text.slice(0, 300)}`} (${hostile.method} ${hostile.url.slice(0, 200)}${shown})`,
    );
  }

  /** Sends one case and checks its answer; true when the request was refused or only read. */
  async function probe(hostile: HostileCase): Promise<boolean> {
    let outcome: Outcome;
    try {
      outcome = await send(hostile);
    } catch (error: unknown) {
      violation(hostile, `no answer: ${error instanceof Error ? error.message : String(error)}`);
      return true;
    }
    const entry = tally.get(hostile.route) ?? { cases: 0, statuses: new Map<number, number>() };
    entry.cases += 1;
    entry.statuses.set(outcome.status, (entry.statuses.get(outcome.status) ?? 0) + 1);
    tally.set(hostile.route, entry);
    if (outcome.status >= 500) {
      serverErrors += 1;
      violation(hostile, '5xx', outcome);
    }
    const refused = outcome.status >= 400 && outcome.status < 500;
    if (hostile.mustRefuse && !refused && outcome.status < 500) violation(hostile, 'a hostile request was accepted', outcome);
    if (refused) {
      const doc = outcome.body;
      if (!outcome.contentType.startsWith('application/problem+json')) violation(hostile, `4xx as ${outcome.contentType}`, outcome);
      else if (
        doc === undefined ||
        typeof doc['type'] !== 'string' ||
        !doc['type'].startsWith('urn:liaison:problem:') ||
        typeof doc['title'] !== 'string' ||
        doc['status'] !== outcome.status
      ) {
        violation(hostile, 'not an RFC 9457 problem document', outcome);
      } else if (
        outcome.status === 400 &&
        hostile.blamed.length > 0 &&
        // A body that is not JSON at all is at fault as a whole: the problem names the body, not a member.
        !(doc['type'] === 'urn:liaison:problem:malformed-json' && hostile.blamed.includes(''))
      ) {
        const pointers = Array.isArray(doc['errors']) ? (doc['errors'] as { pointer?: unknown }[]).map((e) => String(e.pointer)) : [];
        if (!pointers.some((p) => hostile.blamed.some((blamed) => related(p, blamed)))) {
          violation(
            hostile,
            `400 names ${JSON.stringify(pointers)}, none of the broken members ${JSON.stringify(hostile.blamed)}`,
            outcome,
          );
        }
      }
    }
    return refused || hostile.method === 'GET';
  }

  /**
   * One phase: the cases of one route, a few at a time. Every case of a phase is refused (or only
   * reads), so afterwards no table may have gained or lost a row, and the audit log may have gained
   * only refusals.
   */
  async function runCases(label: string, cases: fc.Arbitrary<HostileCase>, numRuns: number, seed: number): Promise<number> {
    const started = Date.now();
    const drawn = fc.sample(cases, { seed, numRuns });
    const before = await tableCounts();
    let next = 0;
    let allHarmless = true;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < drawn.length; i = next++) allHarmless = (await probe(drawn[i]!)) && allHarmless;
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const counts = await tableCounts();
    const changed = Object.keys(counts).filter((t) => t !== 'audit_log' && counts[t] !== before[t]);
    if (changed.length > 0)
      phaseViolation(label, `changed the row counts of ${changed.map((t) => `${t} ${before[t]}→${counts[t]}`).join(', ')}`);
    const audited = await newAuditRows();
    const successes = audited.filter((row) => row.outcome === 'success');
    if (allHarmless && successes.length > 0)
      phaseViolation(label, `wrote success rows to the audit log: ${successes.map((r) => r.action).join(', ')}`);
    if (process.env['LIAISON_HOSTILE_PROGRESS'])
      process.stderr.write(`[hostile] ${label}: ${drawn.length} cases in ${Date.now() - started} ms\n`);
    return drawn.length;
  }

  function phaseViolation(label: string, what: string): void {
    if (violations.length < 60) violations.push(`${label}: ${what}`);
  }

  /** Builds the query string from raw (already percent-encoded) pairs. */
  const queryOf = (pairs: [string, string][]): string => (pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`);

  /** 0–2 query mutations over the declared parameters (and made-up ones); whether one must be refused. */
  function queryMutations(
    declared: { name: string; dateLike: boolean }[],
  ): fc.Arbitrary<{ pairs: [string, string][]; breaking: string[] }> {
    const names = [...declared.map((d) => d.name), 'unknown', 'limit', 'after', 'cursor', '__proto__'];
    return fc
      .array(
        fc.record({
          name: fc.constantFrom(...names),
          value: fc.oneof(
            fc.constantFrom(...BREAKING_QUERY_VALUES).map((v) => ({ v, breaking: true })),
            fc.constantFrom(...ODD_QUERY_VALUES).map((v) => ({ v, breaking: false })),
            fc.constantFrom(...IMPOSSIBLE_QUERY_DATES).map((v) => ({ v, breaking: false, date: true })),
            fc.string({ maxLength: 40 }).map((v) => ({ v: encodeURIComponent(v), breaking: false })),
            fc.base64String({ maxLength: 60 }).map((v) => ({ v: encodeURIComponent(v), breaking: false })),
          ),
        }),
        { maxLength: 2 },
      )
      .map((mutations) => {
        const pairs: [string, string][] = mutations.map((m) => [m.name, m.value.v]);
        const breaking = mutations
          .filter(
            (m) =>
              m.value.breaking || m.name === '__proto__' || ('date' in m.value && declared.some((d) => d.name === m.name && d.dateLike)),
          )
          .map((m) => `/${m.name}`);
        return { pairs, breaking };
      });
  }

  /** The hostile cases of one operation of an OpenAPI document. */
  function operationCases(service: string, doc: OpenApi, route: Route): fc.Arbitrary<HostileCase> {
    // The first media type the operation documents (application/json on the admin API, CloudEvents on the gateway's).
    const [mediaType, media] = Object.entries(route.op.requestBody?.content ?? {})[0] ?? ['application/json', undefined];
    const schema = media?.schema;
    const hasBody = schema !== undefined;
    const bodyless = !hasBody && route.method !== 'GET';
    const uuidFor = (field: string): string =>
      ({ granteeAgencyId: b.id, recipientAgencyId: b.id, agencyId: a.id, granteeGroupId: own['groupId']!, policyId: own['policyId']! })[
        field
      ] ?? b.id;
    const declaredQuery = (route.op.parameters ?? [])
      .filter((p) => p.in === 'query')
      .map((p) => ({ name: p.name, dateLike: p.schema?.format === 'date-time' || /^(from|to|added_after)$/.test(p.name) }));
    const body: fc.Arbitrary<{ wire: WireBody; blamed: string[]; kinds: string[] } | undefined> = hasBody
      ? mutatedValue(() => sample(schema, doc, uuidFor), schema, doc as SchemaRoot).chain((m) =>
          wireBody(m.value, mediaType).map((wire) => ({ wire, blamed: wire.brokenAsWhole ? [] : m.blamed, kinds: m.kinds })),
        )
      : fc.constant(undefined);
    // A request without a body that changes something must name an object that is not the caller's.
    const pathKinds: PathKind[] = bodyless ? ['other', 'random', 'garbage'] : ['own', 'own', 'other', 'random', 'garbage'];
    return fc
      .record({
        credential: fc.constantFrom<Credential>(
          ...(bodyless ? ['agency' as const] : ['operator' as const, 'agency' as const]),
          'agency',
          'garbage',
        ),
        paths: fc.array(fc.record({ kind: fc.constantFrom(...pathKinds), garbage: fc.constantFrom(...GARBAGE_IDS) }), {
          minLength: route.params.length,
          maxLength: route.params.length,
        }),
        query: queryMutations(declaredQuery),
        body,
        garbageToken: fc.constantFrom(...GARBAGE_TOKENS),
        requestId: fc.constantFrom(undefined, 'r'.repeat(5_000), "'; DROP TABLE audit_log; --", 'caf\u00e9'),
      })
      .map(({ credential, paths, query, body: b2, garbageToken, requestId }) => {
        const labels: string[] = [credential];
        const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
          const choice = paths[route.params.indexOf(name)]!;
          // An operator may act on any agency: for it, another tenant's object is just a made-up one.
          const kind = credential === 'operator' && choice.kind === 'other' ? 'random' : choice.kind;
          labels.push(`${name}:${kind}`);
          if (kind === 'own') return own[name] ?? randomUUID();
          if (kind === 'other') return other[name] ?? randomUUID();
          if (kind === 'random') return randomUUID();
          return choice.garbage;
        });
        const headers: Record<string, string> = { ...(b2?.wire.headers ?? {}) };
        if (credential === 'operator') headers['authorization'] = `Bearer ${stack.adminToken}`;
        else if (credential === 'agency') headers['authorization'] = `Bearer ${keys.aManage}`;
        else headers['authorization'] = garbageToken;
        if (requestId !== undefined) {
          headers['x-request-id'] = requestId;
          labels.push(`request-id:${requestId.length}`);
        }
        if (b2 !== undefined) labels.push(b2.wire.kind, ...b2.kinds);
        if (query.pairs.length > 0) labels.push(`query:${query.pairs.map(([k]) => k).join('+')}`);
        const pathBroken = labels.some((l) => /:(other|random|garbage)$/.test(l));
        const needsCredential = (route.op.security ?? []).length > 0;
        const wellAddressed = !labels.some((l) => /:garbage$/.test(l)) && (credential !== 'garbage' || !needsCredential);
        // A body broken as a whole is refused before its members or the query are looked at.
        const brokenAsWhole = b2?.wire.brokenAsWhole === true;
        return {
          route: `${service} ${route.method} ${route.path}`,
          method: route.method,
          url: `${stack.url(service as 'admin')}${path}${queryOf(query.pairs)}`,
          headers,
          body: b2?.wire.bytes,
          mustRefuse: b2 !== undefined || pathBroken || (credential === 'garbage' && needsCredential) || query.breaking.length > 0,
          blamed: wellAddressed && !brokenAsWhole ? [...(b2?.blamed ?? []), ...query.breaking] : [],
          labels,
        };
      });
  }

  const envelopeSchema = JSON.parse(readFileSync(join(repoRoot(), 'docs', 'schemas', 'envelope.json'), 'utf8')) as Schema & SchemaRoot;
  /** The JSON Schema of a whole event of `type`: the envelope with the type's payload schema as `data`. */
  function eventSchema(type: string): Schema & SchemaRoot {
    const payload = JSON.parse(readFileSync(join(repoRoot(), 'docs', 'schemas', `${type}.json`), 'utf8')) as Schema & SchemaRoot;
    const { definitions, ...data } = payload;
    return {
      ...envelopeSchema,
      properties: { ...envelopeSchema.properties, data: { $ref: '#/definitions/__data' } },
      definitions: { ...envelopeSchema.definitions, ...definitions, __data: data },
    };
  }

  /** One broken event (and, sometimes, another tenant's agency id in it), with the pointers it broke. */
  const hostileEvent: fc.Arbitrary<{ value: unknown; blamed: string[]; kinds: string[] }> = fc
    .record({ type: fc.constantFrom(...Object.keys(EVENT_TYPES)), otherTenant: fc.boolean() })
    .chain(({ type, otherTenant }) => {
      const schema = eventSchema(type);
      return mutatedValue(() => exampleEvent(type), schema, schema).map((m) => {
        if (!otherTenant || typeof m.value !== 'object' || m.value === null || Array.isArray(m.value)) return m;
        (m.value as Json)['agency'] = c.id;
        return { value: m.value, blamed: [...m.blamed, '/agency'], kinds: [...m.kinds, 'other-tenant-agency'] };
      });
    });

  function ingestCase(mode: 'structured' | 'batch'): fc.Arbitrary<HostileCase> {
    const events =
      mode === 'structured'
        ? hostileEvent
        : fc.array(hostileEvent, { minLength: 1, maxLength: 4 }).map((list) => ({
            value: list.map((e) => e.value),
            blamed: list.flatMap((e, i) => e.blamed.map((p) => `/${i}${p}`)),
            kinds: list.flatMap((e) => e.kinds),
          }));
    const types = mode === 'structured' ? ['application/cloudevents+json', 'application/json'] : ['application/cloudevents-batch+json'];
    return fc
      .record({
        events,
        type: fc.constantFrom(...types),
        credential: fc.constantFrom('publisher', 'publisher', 'publisher', 'manage-only', 'garbage'),
      })
      .chain(({ events: e, type, credential }) =>
        wireBody(e.value, type).map((wire): HostileCase => {
          const headers = { ...wire.headers };
          headers['authorization'] =
            credential === 'publisher' ? `Bearer ${keys.aPublish}` : credential === 'manage-only' ? `Bearer ${keys.cManage}` : 'lsk_nope';
          return {
            route: `gateway POST /v1/events (${mode})`,
            method: 'POST',
            url: `${stack.url('gateway')}/v1/events`,
            headers,
            body: wire.bytes,
            mustRefuse: true,
            blamed: wire.brokenAsWhole || credential !== 'publisher' ? [] : e.blamed,
            labels: [credential, wire.kind, ...e.kinds],
          };
        }),
      );
  }

  function deliveryCase(route: 'events' | 'stream', realCursor: string): fc.Arbitrary<HostileCase> {
    const declared =
      route === 'events' ? ['cursor', 'limit', 'added_after', 'type'].map((name) => ({ name, dateLike: name === 'added_after' })) : [];
    const cursors = [
      realCursor,
      `${realCursor.slice(0, -2)}AA`,
      `${realCursor}x`,
      'djE6MTAw.k3',
      'djE6LTE.AAAA',
      encodeURIComponent(`${realCursor}\u0000`),
    ];
    return fc
      .record({
        path: fc.constantFrom<PathKind>('own', 'own', 'other', 'random', 'garbage'),
        garbage: fc.constantFrom(...GARBAGE_IDS),
        query: queryMutations(declared),
        cursor: fc.option(fc.constantFrom(...cursors), { nil: undefined }),
        lastEventId: fc.option(fc.constantFrom('-1', 'abc', '1e400', '99999999999999999999999', '0x10', ' 1', '1.5', ''), {
          nil: undefined,
        }),
        credential: fc.constantFrom('consumer', 'consumer', 'other-consumer', 'garbage'),
      })
      .map(({ path, garbage, query, cursor, lastEventId, credential }) => {
        const agency = path === 'own' ? b.id : path === 'other' ? c.id : path === 'random' ? randomUUID() : garbage;
        const pairs: [string, string][] = [
          ...query.pairs,
          ...(cursor === undefined || route === 'stream' ? [] : [['cursor', cursor] as [string, string]]),
        ];
        const headers: Record<string, string> = {
          authorization:
            credential === 'consumer'
              ? `Bearer ${keys.bConsume}`
              : credential === 'other-consumer'
                ? `Bearer ${keys.cConsume}`
                : 'lsk_nope',
        };
        if (route === 'stream' && lastEventId !== undefined) headers['last-event-id'] = lastEventId;
        // Each consumer key may read its own agency's copies, and only those.
        const entitled = (path === 'own' && credential === 'consumer') || (path === 'other' && credential === 'other-consumer');
        return {
          route: `delivery GET /v1/agencies/{agencyId}/${route}`,
          method: 'GET',
          url: `${stack.url('delivery')}/v1/agencies/${agency}/${route}${queryOf(pairs)}`,
          headers,
          mustRefuse: !entitled || query.breaking.length > 0,
          blamed: entitled ? query.breaking : [],
          labels: [
            credential,
            `agencyId:${path}`,
            ...(cursor === undefined ? [] : ['cursor']),
            ...(lastEventId === undefined ? [] : ['last-event-id']),
          ],
        };
      });
  }

  before(async () => {
    stack = await startStack('hostile', []);
    Object.assign(stack.env, FAST_ADMIN_ENV);
    for (const name of ['admin', 'gateway', 'router', 'delivery'] as const) await stack.start(name);
    db = new Client({ connectionString: stack.database.url });
    await db.connect();
    a = await createAgency(stack, 'Hostile A');
    b = await createAgency(stack, 'Partner B');
    c = await createAgency(stack, 'Other tenant C');
    keys.aManage = await issueKey(stack, a, ['manage']);
    keys.aPublish = await issueKey(stack, a, ['publish']);
    keys.bConsume = await issueKey(stack, b, ['consume']);
    keys.cManage = await issueKey(stack, c, ['manage']);
    keys.cConsume = await issueKey(stack, c, ['consume']);
    const aAgreement = await createAgreement(stack, a, b);

    // One object of each kind for A (its own) and for C (another tenant's), named by the path parameters that address them.
    for (const [agency, ids] of [
      [a, own],
      [c, other],
    ] as const) {
      const post = async (path: string, body: Json): Promise<string> => {
        const res = await request('POST', admin(path), { token: stack.adminToken, body });
        assert.ok(res.status === 201 || res.status === 200, `${path}: ${res.status} ${res.text}`);
        return String(res.body['id']);
      };
      ids['agencyId'] = agency.id;
      ids['keyId'] = await post(`/v1/agencies/${agency.id}/api-keys`, { label: 'fixture', scopes: ['consume'] });
      ids['agreementId'] =
        agency === a
          ? aAgreement
          : await post(`/v1/agencies/${agency.id}/sharing-agreements`, { granteeAgencyId: b.id, purpose: 'fixture agreement' });
      ids['feedId'] = await post(`/v1/agencies/${agency.id}/feeds`, {
        name: 'fixture-feed',
        eventTypes: ['gov.liaison.incident.reported.v1'],
        defaultTlp: 'AMBER',
        retentionDays: 30,
      });
      ids['policyId'] = await post(`/v1/agencies/${agency.id}/policies`, {
        granteeAgencyId: b.id,
        maxTlp: 'GREEN',
        purpose: 'fixture policy',
      });
      ids['groupId'] = await post('/v1/sharing-groups', { name: `fixture-group-${agency.ori}`, memberAgencyIds: [agency.id] });
      ids['subscriptionId'] = await post(`/v1/agencies/${agency.id}/subscriptions`, { channel: 'pull', label: 'fixture pull' });
      ids['accountId'] = (await createAccount(stack, { role: 'agency-admin', agencyId: agency.id })).id;
      ids['eventId'] = randomUUID();
    }

    for (const service of ['admin', 'gateway', 'delivery'] as const) {
      const res = await request('GET', `${stack.url(service)}/openapi.json`);
      if (res.status === 200) documents.push({ service, doc: res.body as unknown as OpenApi });
    }
    assert.ok(
      documents.some((d) => d.service === 'admin'),
      'the admin service serves its OpenAPI document',
    );

    const tables = await db.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('migrations', 'rate_limit_counter') ORDER BY table_name`,
    );
    assert.ok(tables.rows.length >= 10, `found only ${tables.rows.length} tables`);
    countQuery = `SELECT json_build_object(${tables.rows.map(({ name }) => `'${name}', (SELECT count(*) FROM "${name}")::int`).join(', ')}) AS counts`;
    await newAuditRows();
  });

  after(async () => {
    await db?.end();
    await stack?.stop();
  });

  it('refuses every hostile request to every route with a 4xx problem naming the member, changing nothing, never a 5xx', async (t) => {
    const ingest = topicNames(stack.namespace).ingest;
    const kafka = testKafka(stack.brokers);
    const ingestBefore = await recordCount(kafka, ingest);
    let seed = SEED;
    let total = 0;
    for (const { service, doc } of documents) {
      for (const route of routesOf(doc)) {
        // The document and its page are static and public; the stream is driven by its own generator below.
        if (/^\/(openapi\.json|docs)/.test(route.path) || route.path.endsWith('/stream')) continue;
        total += await runCases(
          `${service} ${route.method} ${route.path}`,
          operationCases(service, doc, route),
          CASES_PER_ROUTE,
          (seed += 1),
        );
      }
    }
    total += await runCases('ingest structured', ingestCase('structured'), runs(700), (seed += 1));
    total += await runCases('ingest batch', ingestCase('batch'), runs(400), (seed += 1));
    const page = await request('GET', `${stack.url('delivery')}/v1/agencies/${b.id}/events?limit=1`, { token: keys.bConsume });
    assert.equal(page.status, 200, page.text);
    const cursor = String(page.body['next']);
    total += await runCases('delivery events', deliveryCase('events', cursor), runs(300), (seed += 1));
    total += await runCases('delivery stream', deliveryCase('stream', cursor), runs(80), (seed += 1));

    assert.equal(await recordCount(kafka, ingest), ingestBefore, 'no hostile event reached the ingest topic');
    const report = [...tally.entries()]
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([route, { cases, statuses }]) => {
        const byStatus = [...statuses.entries()].sort(([x], [y]) => x - y).map(([s, n]) => `${s}×${n}`);
        return `${String(cases).padStart(5)}  ${route}  ${byStatus.join(' ')}`;
      });
    const summary = `hostile input: ${total} cases over ${tally.size} routes (seed ${SEED}), 5xx: ${serverErrors}`;
    mkdirSync(join(repoRoot(), '.liaison'), { recursive: true });
    writeFileSync(join(repoRoot(), '.liaison', 'hostile-input-report.txt'), `${summary}\n${report.join('\n')}\n${violations.join('\n')}\n`);
    t.diagnostic(summary);
    for (const line of report) t.diagnostic(line);
    assert.ok(total >= runs(4_000), `only ${total} cases`);
    assert.deepEqual(violations, [], `${violations.length} violations (first 60 shown); ${summary}`);
    assert.equal(serverErrors, 0);
  });

  it('answers no-op updates without writing, and refuses empty, mistyped and prototype-only PATCH bodies', async () => {
    const patches: [string, Json][] = [
      [`/v1/agencies/${a.id}`, { name: 'Hostile A' }],
      [`/v1/agencies/${a.id}/feeds/${own['feedId']}`, { name: 'fixture-feed', retentionDays: 30 }],
      [`/v1/sharing-groups/${own['groupId']}`, { name: `fixture-group-${a.ori}` }],
    ];
    const unchanged = async (label: string, send: () => Promise<{ status: number; text: string }>, status: number): Promise<void> => {
      const counts = await tableCounts();
      const res = await send();
      assert.equal(res.status, status, `${label}: ${res.text}`);
      assert.deepEqual(await tableCounts(), counts, `${label}: no row written, the audit log included`);
    };
    for (const [path, same] of patches) {
      const token = stack.adminToken;
      await unchanged(`PATCH ${path} with its current values`, () => request('PATCH', admin(path), { token, body: same }), 200);
      for (const [label, options, status] of [
        ['an empty object', { body: {} }, 400],
        ['a null name (not a way to clear it)', { body: { name: null } }, 400],
        ['no body', {}, 400],
        ['text/plain', { rawBody: JSON.stringify(same), contentType: 'text/plain' }, 415],
        ['only __proto__', { rawBody: '{"__proto__":{"name":"x"}}' }, 400],
        ['only constructor', { rawBody: '{"constructor":{"prototype":{"name":"x"}}}' }, 400],
      ] as const) {
        const counts = await tableCounts();
        const res = await request('PATCH', admin(path), { token, ...options });
        assert.equal(res.status, status, `PATCH ${path} with ${label}: ${res.text}`);
        assert.equal(res.body['status'], status, `PATCH ${path} with ${label}: a problem document`);
        const after = await tableCounts();
        assert.deepEqual({ ...after, audit_log: 0 }, { ...counts, audit_log: 0 }, `PATCH ${path} with ${label}: no change written`);
        for (const row of await newAuditRows())
          assert.notEqual(row.outcome, 'success', `PATCH ${path} with ${label}: only a refusal is audited`);
      }
    }
    const group = own['groupId']!;
    await unchanged(
      'adding a member that is one',
      () => request('PUT', admin(`/v1/sharing-groups/${group}/members/${a.id}`), { token: stack.adminToken }),
      200,
    );
    await unchanged(
      'removing a member that is not one',
      () => request('DELETE', admin(`/v1/sharing-groups/${group}/members/${c.id}`), { token: stack.adminToken }),
      200,
    );

    // The counting sees a real change: one audit row and one outbox record.
    const counts = await tableCounts();
    const renamed = await request('PATCH', admin(`/v1/agencies/${a.id}`), {
      token: stack.adminToken,
      body: { name: 'Hostile A, renamed' },
    });
    assert.equal(renamed.status, 200, renamed.text);
    const afterRename = await tableCounts();
    assert.equal(afterRename['audit_log'], (counts['audit_log'] ?? 0) + 1);
    assert.equal(afterRename['outbox'], (counts['outbox'] ?? 0) + 1, 'the change went to the outbox');
    await newAuditRows();
  });

  it('refuses a simulation whose change is not an object with a kind, naming the member', async () => {
    for (const [body, pointer] of [
      [{}, '/change'],
      [{ change: [] }, '/change'],
      [{ change: {} }, '/change/kind'],
      [{ change: { policy: { maxTlp: 'GREEN', purpose: 'x', granteeAgencyId: b.id } } }, '/change/kind'],
    ] as const) {
      const res = await request('POST', admin(`/v1/agencies/${a.id}/policies/simulate`), { token: stack.adminToken, body });
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
      const pointers = (res.body['errors'] as { pointer: string }[]).map((e) => e.pointer);
      assert.ok(pointers.includes(pointer), `${JSON.stringify(body)} names ${pointer}: ${JSON.stringify(pointers)}`);
    }
  });

  it('delivers a canary event published after the hostile phase to its partner', async () => {
    const event = exampleEvent('gov.liaison.incident.reported.v1', { tlp: 'GREEN' });
    const res = await request('POST', `${stack.url('gateway')}/v1/events`, {
      token: keys.aPublish,
      body: event,
      contentType: 'application/cloudevents+json',
    });
    assert.equal(res.status, 202, res.text);
    await expectEventually(
      async () => {
        const page = await request('GET', `${stack.url('delivery')}/v1/agencies/${b.id}/events?limit=1000`, { token: keys.bConsume });
        assert.equal(page.status, 200, page.text);
        const ids = (page.body['objects'] as Json[]).map((o) => o['id']);
        assert.ok(ids.includes(event['id']), 'the canary reached partner B');
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
  });
});
