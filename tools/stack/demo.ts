import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  openDemoStream,
  pullUntil,
  shortType,
  type DemoReceiver,
  type DemoStream,
  type StreamedEvent,
  type VerifiedCall,
} from './demo-partners';

/** A small federation, as an operator would onboard it through the admin API. */
export const DEMO_AGENCIES = [
  { key: 'pd', ori: 'XX0000001', name: 'Metro City Police Department', kind: 'local' },
  { key: 'rtcc', ori: 'XX000001R', name: 'Metro City Real-Time Crime Center', kind: 'rtcc' },
  { key: 'sheriff', ori: 'XX0010000', name: 'Lakeside County Sheriff’s Office', kind: 'county' },
  { key: 'fusion', ori: 'XXFC00001', name: 'State Fusion Center', kind: 'state' },
] as const;

type DemoKey = (typeof DEMO_AGENCIES)[number]['key'];

/** The police department shares everything up to AMBER with its RTCC (an agreement); not (yet) with the sheriff. */
export const DEMO_AGREEMENTS: { grantor: DemoKey; grantee: DemoKey; purpose: string }[] = [
  { grantor: 'pd', grantee: 'rtcc', purpose: 'Real-time investigative support for PD incidents (camera canvass, ALPR).' },
];

/** The fusion center gets a cut-down copy: no narrative, locations snapped to a 0.01° grid (about 1 km). */
export const DEMO_POLICIES = [
  {
    grantor: 'pd',
    grantee: 'fusion',
    body: {
      maxTlp: 'AMBER',
      purpose: 'Regional violent-crime analysis under the state information-sharing MOU.',
      fieldRules: { redact: [], coarsenLocationDegrees: 0.01, dropNarrative: true },
    },
  },
] as const satisfies readonly { grantor: DemoKey; grantee: DemoKey; body: Json }[];

interface Json {
  [key: string]: unknown;
}

/** The RTCC's CAD bridge takes incidents only: a subscription filter narrows what its policies allow. */
export const DEMO_WEBHOOK_TYPES = ['gov.liaison.incident.reported.v1', 'gov.liaison.incident.updated.v1', 'gov.liaison.incident.closed.v1'];

/** Retries a few seconds apart, so the demo shows one within its run (production: 5s,5m,30m,2h,5h,10h,10h). */
export const DEMO_RETRY_SCHEDULE = '2s,5s,30s,2m,10m';

/**
 * The delivery settings of the demo stack only: the SSRF guard stays on and allows exactly the
 * demo receiver's loopback port (besides any hosts the operator set), and failed webhooks are
 * retried seconds apart (unless WEBHOOK_RETRY_SCHEDULE is set), so a retry shows within the run.
 */
export function demoDeliveryEnv(
  env: NodeJS.ProcessEnv,
  receiverPort: number,
): { WEBHOOK_ALLOWED_HOSTS: string; WEBHOOK_RETRY_SCHEDULE: string } {
  const allowed = env['WEBHOOK_ALLOWED_HOSTS'];
  return {
    WEBHOOK_ALLOWED_HOSTS: [allowed, `127.0.0.1:${receiverPort}`].filter((h) => h !== undefined && h !== '').join(','),
    WEBHOOK_RETRY_SCHEDULE: env['WEBHOOK_RETRY_SCHEDULE'] || DEMO_RETRY_SCHEDULE,
  };
}

/** Which partner clients show what; each line is printed as it happens. */
export type PartnerLog = (client: 'webhook' | 'sse' | 'pull', line: string) => void;

/** One recipient's entry in the owner's dissemination ledger (GET …/events/{id}/disseminations). */
interface LedgerItem {
  recipientAgencyId: string;
  decision: string;
  reasons: string[];
  deliveries: { channel: string; outcome: string; at: string }[];
}

/** One attempt as the receiving agency's delivery log (GET …/deliveries) shows it. */
export interface DeliveryAttempt {
  eventId: string;
  outcome: string;
  detail: string | null;
  at: string;
}

export interface DemoResult {
  agencies: Record<DemoKey, { id: string; ori: string; name: string }>;
  publisherKey: string;
  eventId: string;
  table: string;
  /** What the fusion center's copy looks like next to the original, as pulled from delivery. */
  redaction: string;
  /** One line per example type, published together as one batch request. */
  examplesTable: string;
  webhook: {
    subscriptionId: string;
    /** Event ids the RTCC's webhook had to get: shared with the RTCC and passing its filter. */
    expected: string[];
    calls: VerifiedCall[];
    /** The retried copy's attempts from the RTCC's delivery log, oldest first. */
    attempts: DeliveryAttempt[];
    /** Delivery counts by state from GET …/subscriptions/{id}. */
    health: Record<string, number>;
    summary: string;
  };
  sse: {
    /** Event ids shared with the RTCC, which its live stream had to show. */
    expected: string[];
    events: StreamedEvent[];
    resumedAfter: string;
    resumed: StreamedEvent[];
    /** Still open: it prints what arrives until the stack stops. */
    stream: DemoStream;
  };
  pull: { expected: string[]; objects: Json[]; pages: number };
}

async function call(method: string, url: string, token: string, body?: unknown): Promise<Json> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = url.includes('/v1/events') ? 'application/cloudevents+json' : 'application/json';
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const parsed = text === '' ? {} : (JSON.parse(text) as Json);
  if (!response.ok) throw Object.assign(new Error(`${method} ${url} → ${response.status}: ${text}`), { status: response.status });
  return parsed;
}

/** Seeds the demo federation, publishes the sample incident, and waits until the ledger explains it. */
export async function runDemo(options: {
  adminUrl: string;
  gatewayUrl: string;
  routerUrl: string;
  deliveryUrl: string;
  adminToken: string;
  repoRoot: string;
  log: (line: string) => void;
  /** The RTCC's webhook endpoint, already listening (its URL must be allowed by WEBHOOK_ALLOWED_HOSTS). */
  receiver: DemoReceiver;
  partnerLog: PartnerLog;
}): Promise<DemoResult> {
  const { adminUrl, gatewayUrl, routerUrl, deliveryUrl, adminToken, log, receiver, partnerLog } = options;
  const agencies = {} as DemoResult['agencies'];
  for (const a of DEMO_AGENCIES) {
    const created = await call('POST', `${adminUrl}/v1/agencies`, adminToken, { ori: a.ori, name: a.name, kind: a.kind });
    agencies[a.key] = { id: String(created['id']), ori: a.ori, name: a.name };
    log(`onboarded ${a.name} (${a.ori})`);
  }
  for (const g of DEMO_AGREEMENTS) {
    await call('POST', `${adminUrl}/v1/agencies/${agencies[g.grantor].id}/sharing-agreements`, adminToken, {
      granteeAgencyId: agencies[g.grantee].id,
      purpose: g.purpose,
    });
    log(`agreement: ${agencies[g.grantor].name} → ${agencies[g.grantee].name}`);
  }
  const policyIds: string[] = [];
  for (const p of DEMO_POLICIES) {
    const created = await call('POST', `${adminUrl}/v1/agencies/${agencies[p.grantor].id}/policies`, adminToken, {
      ...p.body,
      granteeAgencyId: agencies[p.grantee].id,
    });
    policyIds.push(String(created['id']));
    log(`policy: ${agencies[p.grantor].name} → ${agencies[p.grantee].name} (no narrative, location to 0.01°)`);
  }
  // Policies reach the router over the configuration topic; publish only once it holds them, or the
  // first event could be decided before the router knows them.
  await waitForRouter(routerUrl, policyIds);
  const key = await call('POST', `${adminUrl}/v1/agencies/${agencies.pd.id}/api-keys`, adminToken, {
    label: 'CAD integration',
    scopes: ['publish'],
  });
  const publisherKey = String(key['key']);
  const fusionKey = await call('POST', `${adminUrl}/v1/agencies/${agencies.fusion.id}/api-keys`, adminToken, {
    label: 'analyst workstation',
    scopes: ['consume'],
  });
  const rtcc = agencies.rtcc.id;
  // The RTCC's own administrator (a key with `manage`) subscribes, as a partner would, not the operator.
  const rtccAdminKey = String(
    (await call('POST', `${adminUrl}/v1/agencies/${rtcc}/api-keys`, adminToken, { label: 'RTCC administrator', scopes: ['manage'] }))[
      'key'
    ],
  );
  const rtccWallKey = String(
    (await call('POST', `${adminUrl}/v1/agencies/${rtcc}/api-keys`, adminToken, { label: 'video wall', scopes: ['consume'] }))['key'],
  );
  const subscription = await call('POST', `${adminUrl}/v1/agencies/${rtcc}/subscriptions`, rtccAdminKey, {
    channel: 'webhook',
    label: 'CAD bridge',
    url: receiver.url,
    filters: { types: DEMO_WEBHOOK_TYPES },
  });
  const subscriptionId = String(subscription['id']);
  receiver.secrets.push(String(subscription['secret']));
  log(`RTCC admin subscribed its CAD bridge: webhook ${receiver.url}, incidents only`);
  log(`  (POST /v1/agencies/{rtcc}/subscriptions; the whsec_ signing secret is returned this once)`);
  const stream = await openDemoStream(`${deliveryUrl}/v1/agencies/${rtcc}/stream`, rtccWallKey, {
    onEvent: (e) => partnerLog('sse', `RTCC video wall got #${e.id}  ${shortType(e.event['type'])}  ${String(e.event['subject'])}`),
  });
  log(`RTCC video wall connected to its live stream (GET /v1/agencies/{rtcc}/stream, SSE)`);

  const example = JSON.parse(
    readFileSync(join(options.repoRoot, 'docs', 'examples', 'gov.liaison.incident.reported.v1.json'), 'utf8'),
  ) as Json;
  const event: Json = { ...example, id: randomUUID(), time: new Date().toISOString() };
  const accepted = await call('POST', `${gatewayUrl}/v1/events`, publisherKey, event);
  const eventId = String(accepted['id']);
  log(`published incident ${String(event['subject'])} (event ${eventId}) as ${agencies.pd.name}: HTTP 202`);

  const url = `${adminUrl}/v1/agencies/${agencies.pd.id}/events/${encodeURIComponent(eventId)}/disseminations`;
  let shared: { recipientAgencyId: string }[] = [];
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const items = (await call('GET', url, adminToken))['items'] as LedgerItem[];
      const sharedItems = items.filter((i) => i.decision === 'shared');
      if (items.length === DEMO_AGENCIES.length - 1 && sharedItems.every((i) => i.deliveries.length > 0)) {
        shared = sharedItems;
        break;
      }
    } catch (error: unknown) {
      if (!(error instanceof Error && 'status' in error && error.status === 404)) throw error;
    }
    if (Date.now() > deadline) throw new Error(`the ledger did not record every decision and delivery within 30 s (${url})`);
    await new Promise((r) => setTimeout(r, 200));
  }

  const examples = await publishExamples({ ...options, agencies, publisherKey });
  const sharedWith = (id: string): string[] => [
    ...(shared.some((i) => i.recipientAgencyId === id) ? [eventId] : []),
    ...examples.events.filter((e) => e.sharedWith.includes(id)).map((e) => e.id),
  ];
  const types = new Map([[eventId, String(event['type'])], ...examples.events.map((e): [string, string] => [e.id, e.type])]);
  const webhookExpected = sharedWith(rtcc).filter((id) => DEMO_WEBHOOK_TYPES.includes(types.get(id) ?? ''));
  const sseExpected = sharedWith(rtcc);
  const pullExpected = sharedWith(agencies.fusion.id);

  await waitFor('the RTCC webhook to get every incident', () =>
    webhookExpected.every((id) => receiver.calls.some((c) => c.eventId === id && c.status === 200)),
  );
  await waitFor('the RTCC live stream to show every copy', () =>
    sseExpected.every((id) => stream.events.some((e) => e.event['id'] === id)),
  );
  // Resume: reconnect as after a dropped connection, from the first event seen; the rest is sent again.
  const resumedAfter = stream.events[0]?.id ?? '0';
  const resumedStream = await openDemoStream(`${deliveryUrl}/v1/agencies/${rtcc}/stream`, rtccWallKey, { lastEventId: resumedAfter });
  await waitFor('the resumed stream to catch up', () => resumedStream.events.length >= stream.events.length - 1);
  resumedStream.close();

  const pulled = await pullUntil(`${deliveryUrl}/v1/agencies/${agencies.fusion.id}/events`, String(fusionKey['key']), {
    limit: 4,
    done: (objects) => pullExpected.every((id) => objects.some((o) => o['id'] === id)),
    onPage: (page) => partnerLog('pull', `fusion center pulled a page: ${families(page.objects)}, more: ${page.more}`),
    timeoutMs: 60_000,
  });

  const retried = receiver.calls.find((c) => c.status !== 200);
  const deliveryLog = await call('GET', `${adminUrl}/v1/agencies/${rtcc}/deliveries?channel=webhook&limit=1000`, rtccAdminKey);
  const attempts = (deliveryLog['items'] as DeliveryAttempt[])
    .filter((a) => a.eventId === retried?.eventId)
    .sort((a, b) => a.at.localeCompare(b.at));
  const health = (await call('GET', `${adminUrl}/v1/agencies/${rtcc}/subscriptions/${subscriptionId}`, rtccAdminKey))[
    'deliveries'
  ] as Record<string, number>;
  return {
    agencies,
    publisherKey,
    eventId,
    // Read again at the end: by now the ledger also holds the webhook, stream and pull deliveries.
    table: whoReceived((await call('GET', url, adminToken))['items'] as LedgerItem[], agencies),
    redaction: describeFusionCopy(pulled.objects, eventId, event),
    examplesTable: examples.table,
    webhook: {
      subscriptionId,
      expected: webhookExpected,
      calls: receiver.calls,
      attempts,
      health,
      summary: formatTable(
        ['attempt', 'outcome', 'detail', 'at'],
        attempts.map((a, n) => [String(n + 1), a.outcome, (a.detail ?? '').replace(/^subscription [0-9a-f-]+: /, ''), a.at]),
      ),
    },
    sse: { expected: sseExpected, events: stream.events, resumedAfter, resumed: resumedStream.events, stream },
    pull: { expected: pullExpected, objects: pulled.objects, pages: pulled.pages },
  };
}

/** Waits until the router has applied every one of these policies from the configuration topic. */
async function waitForRouter(routerUrl: string, policyIds: readonly string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (const id of policyIds) {
    for (;;) {
      const status = (await (await fetch(`${routerUrl}/config/status?key=${encodeURIComponent(`policy:${id}`)}`)).json()) as Json;
      if (status['caughtUp'] === true && status['key'] !== null && status['key'] !== undefined) break;
      if (Date.now() > deadline) throw new Error(`the router did not apply policy ${id} within 30 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Who received the event, why, and on which channels (a channel's outcomes in order when one failed). */
function whoReceived(items: readonly LedgerItem[], agencies: DemoResult['agencies']): string {
  const names = new Map(Object.values(agencies).map((a) => [a.id, a.name]));
  const rows = items.map((i) => {
    const byChannel = new Map<string, string[]>();
    for (const d of [...i.deliveries].sort((a, b) => a.at.localeCompare(b.at))) {
      const outcomes = byChannel.get(d.channel) ?? [];
      if (outcomes.at(-1) !== d.outcome) outcomes.push(d.outcome);
      byChannel.set(d.channel, outcomes);
    }
    const channels = [...byChannel].map(([channel, outcomes]) =>
      outcomes.length === 1 && outcomes[0] === 'delivered' ? channel : `${channel} (${outcomes.join(' → ')})`,
    );
    return [
      names.get(i.recipientAgencyId) ?? i.recipientAgencyId,
      i.decision === 'shared' ? 'RECEIVED' : 'not shared',
      i.reasons.join(', '),
      channels.join(', ') || '—',
    ];
  });
  return formatTable(['recipient', 'outcome', 'why', 'delivered by'], rows);
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `incident ×2, alert ×1`: the families of a page of copies, for one short line. */
function families(objects: readonly Json[]): string {
  const counts = new Map<string, number>();
  for (const o of objects) {
    const family = shortType(o['type']).split('.')[0] ?? '?';
    counts.set(family, (counts.get(family) ?? 0) + 1);
  }
  return [...counts].map(([f, n]) => `${f} ×${n}`).join(', ');
}

/** Finds the fusion center's pulled copy of the event and sets its narrative and location beside the original's. */
function describeFusionCopy(pulled: readonly Json[], eventId: string, original: Json): string {
  const copy = pulled.find((o) => o['id'] === eventId);
  if (copy === undefined) return `the fusion center's copy of ${eventId} is not in its pull feed yet`;
  const facts = (e: Json) => {
    const data = (e['data'] ?? {}) as Json;
    const point = ((data['location'] ?? {}) as Json)['point'] as Json | undefined;
    return [
      typeof data['narrative'] === 'string' ? 'present' : 'removed',
      point === undefined ? '—' : `${String(point['lat'])}, ${String(point['lon'])}`,
    ];
  };
  return formatTable(
    ['copy', 'narrative', 'location'],
    [
      ['published by the PD', ...facts(original)],
      ['received by the fusion center', ...facts(copy)],
    ],
  );
}

/** Publishes every committed example (docs/examples) in one batch request and summarises its routing. */
async function publishExamples(options: {
  adminUrl: string;
  gatewayUrl: string;
  adminToken: string;
  repoRoot: string;
  log: (line: string) => void;
  agencies: DemoResult['agencies'];
  publisherKey: string;
}): Promise<{ table: string; events: { id: string; type: string; sharedWith: string[] }[] }> {
  const dir = join(options.repoRoot, 'docs', 'examples');
  const events = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f): Json => ({ ...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as Json), id: randomUUID() }));
  const response = await fetch(`${options.gatewayUrl}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${options.publisherKey}`, 'content-type': 'application/cloudevents-batch+json' },
    body: JSON.stringify(events),
  });
  const body = (await response.json()) as { accepted: number; rejected: number };
  options.log(`published ${events.length} example events (every type) in one batch: HTTP ${response.status}, ${body.accepted} accepted`);
  const names = new Map(Object.values(options.agencies).map((a) => [a.id, a.name.replace(/^(Metro City|Lakeside County|State) /, '')]));
  const rows: string[][] = [];
  const routed: { id: string; type: string; sharedWith: string[] }[] = [];
  for (const event of events) {
    const url = `${options.adminUrl}/v1/agencies/${options.agencies.pd.id}/events/${String(event['id'])}/disseminations`;
    const items = await waitForLedger(url, options.adminToken, DEMO_AGENCIES.length - 1);
    const shared = items.filter((i) => i.decision === 'shared').map((i) => i.recipientAgencyId);
    routed.push({ id: String(event['id']), type: String(event['type']), sharedWith: shared });
    rows.push([
      shortType(event['type']),
      String(event['tlp']),
      shared
        .map((id) => names.get(id) ?? id)
        .sort()
        .join(', ') || '—',
    ]);
  }
  return { table: formatTable(['type', 'tlp', 'shared with'], rows), events: routed };
}

async function waitForLedger(url: string, token: string, expected: number): Promise<{ recipientAgencyId: string; decision: string }[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (response.ok) {
      const items = ((await response.json()) as { items: { recipientAgencyId: string; decision: string }[] }).items;
      if (items.length === expected) return items;
    }
    if (Date.now() > deadline) throw new Error(`no complete ledger for ${url} within 30 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]): string => cells.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
