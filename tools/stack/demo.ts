import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

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

export interface DemoResult {
  agencies: Record<DemoKey, { id: string; ori: string; name: string }>;
  publisherKey: string;
  eventId: string;
  table: string;
  /** What the fusion center's copy looks like next to the original, as pulled from delivery. */
  redaction: string;
  /** One line per example type, published together as one batch request. */
  examplesTable: string;
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
}): Promise<DemoResult> {
  const { adminUrl, gatewayUrl, routerUrl, deliveryUrl, adminToken, log } = options;
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

  const example = JSON.parse(
    readFileSync(join(options.repoRoot, 'docs', 'examples', 'gov.liaison.incident.reported.v1.json'), 'utf8'),
  ) as Json;
  const event: Json = { ...example, id: randomUUID(), time: new Date().toISOString() };
  const accepted = await call('POST', `${gatewayUrl}/v1/events`, publisherKey, event);
  const eventId = String(accepted['id']);
  log(`published incident ${String(event['subject'])} (event ${eventId}) as ${agencies.pd.name}: HTTP 202`);

  const url = `${adminUrl}/v1/agencies/${agencies.pd.id}/events/${encodeURIComponent(eventId)}/disseminations`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const ledger = await call('GET', url, adminToken);
      const items = ledger['items'] as {
        recipientAgencyId: string;
        decision: string;
        reasons: string[];
        deliveries: { channel: string; at: string }[];
      }[];
      const shared = items.filter((i) => i.decision === 'shared');
      if (items.length === DEMO_AGENCIES.length - 1 && shared.every((i) => i.deliveries.length > 0)) {
        const byId = new Map(Object.values(agencies).map((a) => [a.id, a]));
        const rows = items.map((i) => [
          byId.get(i.recipientAgencyId)?.name ?? i.recipientAgencyId,
          i.decision === 'shared' ? 'RECEIVED' : 'not shared',
          i.reasons.join(', '),
          i.deliveries.map((d) => `${d.channel} at ${d.at}`).join('; ') || '—',
        ]);
        const redaction = await describeFusionCopy(deliveryUrl, agencies.fusion.id, String(fusionKey['key']), eventId, event);
        const examplesTable = await publishExamples({ ...options, agencies, publisherKey });
        return {
          agencies,
          publisherKey,
          eventId,
          table: formatTable(['recipient', 'outcome', 'why', 'delivery'], rows),
          redaction,
          examplesTable,
        };
      }
    } catch (error: unknown) {
      if (!(error instanceof Error && 'status' in error && error.status === 404)) throw error;
    }
    if (Date.now() > deadline) throw new Error(`the ledger did not record every decision and delivery within 30 s (${url})`);
    await new Promise((r) => setTimeout(r, 200));
  }
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

/** Pulls the fusion center's copy of the event and sets its narrative and location beside the original's. */
async function describeFusionCopy(deliveryUrl: string, agencyId: string, key: string, eventId: string, original: Json): Promise<string> {
  const page = await call('GET', `${deliveryUrl}/v1/agencies/${agencyId}/events?limit=100`, key);
  const copy = (page['objects'] as Json[]).find((o) => o['id'] === eventId);
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
}): Promise<string> {
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
  for (const event of events) {
    const url = `${options.adminUrl}/v1/agencies/${options.agencies.pd.id}/events/${String(event['id'])}/disseminations`;
    const items = await waitForLedger(url, options.adminToken, DEMO_AGENCIES.length - 1);
    const shared = items.filter((i) => i.decision === 'shared').map((i) => names.get(i.recipientAgencyId) ?? i.recipientAgencyId);
    rows.push([String(event['type']).replace(/^gov\.liaison\./, ''), String(event['tlp']), shared.join(', ') || '—']);
  }
  return formatTable(['type', 'tlp', 'shared with'], rows);
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
