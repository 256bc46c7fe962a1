/**
 * Policy evaluation at two federation sizes: 10 agencies / ~100 policies and 1,000 agencies /
 * 10,000 policies, with a realistic mix (agency and group policies, every TLP label, feeds, types,
 * geographic scopes, field rules, some revoked or out of their window). Each event is decided for
 * every active agency, as the router does, and — so the comparison is not flattered by the many
 * candidates without any policy in a large federation — for the owner's partners only. The index
 * keeps the cost of one decision independent of the total number of policies, so the large
 * federation should stay within 2x of the small one.
 */
import {
  decideRecipients,
  PolicyIndex,
  TLP_ORDER,
  type AgencyFacts,
  type EventFacts,
  type FieldRules,
  type GeoScope,
  type SharingGroupFacts,
  type SharingPolicy,
  type TlpLabel,
} from '@liaison/policy';
import { measureInterleaved, seededRandom, summarise, table, type Sample } from './measure';
import type { Scenario } from './scenario';

interface Size {
  label: string;
  agencies: number;
  policies: number;
  groups: number;
  events: number;
}

const SIZES: readonly Size[] = [
  { label: 'small', agencies: 10, policies: 100, groups: 2, events: 200 },
  { label: 'large', agencies: 1_000, policies: 10_000, groups: 100, events: 200 },
];
const SMOKE_SIZES: readonly Size[] = [
  { label: 'small', agencies: 5, policies: 20, groups: 1, events: 10 },
  { label: 'large', agencies: 50, policies: 500, groups: 5, events: 10 },
];

const NOW = new Date('2026-11-25T12:00:00Z');
const FEEDS = ['cad', 'rms', 'lpr', 'gunshot', 'intel'];
const TYPES = [
  'gov.liaison.incident.reported.v1',
  'gov.liaison.incident.updated.v1',
  'gov.liaison.intel.published.v1',
  'gov.liaison.alert.issued.v1',
  'gov.liaison.sensor.alpr-hit.v1',
  'gov.liaison.sensor.gunshot-detected.v1',
];
const REDACTIONS = [
  '/involvedPersons/-/identifiers',
  '/involvedPersons/-/dateOfBirth',
  '/narrative',
  '/location/address/street',
  '/vehicles',
];
/** The region every generated place falls in (a 4 x 4 degree square). */
const REGION = { west: -99, south: 30, east: -95, north: 34 };

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function some<T>(random: Random, items: readonly T[], max: number): T[] {
  const n = 1 + Math.floor(random() * max);
  return [...new Set(Array.from({ length: n }, () => pick(random, items)))];
}

/** Picks a label with the given weights, in TLP order. */
function weightedTlp(random: Random, weights: readonly number[]): TlpLabel {
  let r = random() * weights.reduce((a, b) => a + b, 0);
  for (const [i, w] of weights.entries()) {
    r -= w;
    if (r <= 0) return TLP_ORDER[i] ?? 'RED';
  }
  return 'RED';
}

function uuid(prefix: number, n: number): string {
  return `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export interface Federation {
  agencies: AgencyFacts[];
  groups: SharingGroupFacts[];
  policies: SharingPolicy[];
  events: EventFacts[];
}

/** A deterministic synthetic federation of the given size. */
export function generateFederation(size: Size, seed = 42): Federation {
  const random = seededRandom(seed);
  const agencies: AgencyFacts[] = Array.from({ length: size.agencies }, (_, i) => ({
    id: uuid(1, i),
    ori: `XX${String(i).padStart(7, '0')}`,
    kind: pick(random, ['local', 'local', 'local', 'county', 'state', 'rtcc'] as const),
    status: random() < 0.03 ? 'suspended' : 'active',
    lawEnforcement: random() < 0.9,
    acceptsStatuses: random() < 0.2 ? ['Exercise', 'Test'] : [],
  }));
  const ids = agencies.map((a) => a.id);
  const groups: SharingGroupFacts[] = Array.from({ length: size.groups }, (_, g) => ({
    id: uuid(2, g),
    name: `task force ${g}`,
    memberAgencyIds: some(random, ids, Math.min(30, ids.length)),
  }));
  const policies: SharingPolicy[] = Array.from({ length: size.policies }, (_, p) => {
    const grantorAgencyId = pick(random, ids);
    const toGroup = groups.length > 0 && random() < 0.3;
    let granteeId = pick(random, ids);
    if (granteeId === grantorAgencyId) granteeId = ids[(ids.indexOf(granteeId) + 1) % ids.length] as string;
    return {
      id: uuid(3, p),
      grantorAgencyId,
      grantee: toGroup ? { kind: 'group', groupId: pick(random, groups).id } : { kind: 'agency', agencyId: granteeId },
      feeds: random() < 0.4 ? null : some(random, FEEDS, 2),
      eventTypes: random() < 0.6 ? null : some(random, TYPES, 3),
      maxTlp: weightedTlp(random, [10, 35, 40, 5, 10]),
      geoScope: geoScope(random),
      purpose: random() < 0.9 ? 'joint investigations' : '',
      validFrom: random() < 0.05 ? '2027-01-01T00:00:00Z' : null,
      validUntil: random() < 0.1 ? '2026-01-01T00:00:00Z' : random() < 0.3 ? '2027-12-31T00:00:00Z' : null,
      fieldRules: fieldRules(random),
      revoked: random() < 0.05,
    };
  });
  const events = Array.from({ length: size.events }, (_, e) => event(random, e, ids));
  return { agencies, groups, policies, events };
}

function geoScope(random: Random): GeoScope | null {
  const r = random();
  const west = REGION.west + random() * 3;
  const south = REGION.south + random() * 3;
  if (r < 0.15) return { kind: 'bbox', west, south, east: west + 1, north: south + 1 };
  if (r < 0.25) {
    return {
      kind: 'polygon',
      ring: [
        [west, south],
        [west + 1.2, south + 0.1],
        [west + 1, south + 1.1],
        [west + 0.3, south + 0.9],
        [west - 0.1, south + 0.5],
        [west, south],
      ],
    };
  }
  if (r < 0.3) return { kind: 'jurisdiction', codes: [pick(random, ['XX', 'YY', 'ZZ'])] };
  return null;
}

function fieldRules(random: Random): FieldRules {
  return {
    redact: random() < 0.4 ? some(random, REDACTIONS, 2) : [],
    coarsenLocationDegrees: random() < 0.3 ? pick(random, [0.01, 0.1, 0.5]) : null,
    dropNarrative: random() < 0.2,
  };
}

function event(random: Random, e: number, ids: readonly string[]): EventFacts {
  const type = pick(random, TYPES);
  const tlp = weightedTlp(random, [10, 40, 35, 5, 10]);
  const point = { lat: REGION.south + random() * 4, lon: REGION.west + random() * 4 };
  const data: Record<string, unknown> = type.includes('.sensor.')
    ? { point }
    : {
        status: random() < 0.9 ? 'Actual' : 'Exercise',
        location: { address: { street: '1 Main St', city: 'Metro City', state: pick(random, ['XX', 'YY', 'ZZ']) }, point },
        narrative: 'text',
        involvedPersons: [{ role: 'victim', identifiers: [{ kind: 'dl', value: 'X' }] }],
        ...(random() < 0.95 ? { criminalPredicate: { offense: 'o', basis: 'b' } } : {}),
      };
  return {
    id: `evt-${e}`,
    ownerAgencyId: pick(random, ids),
    type,
    feed: random() < 0.1 ? null : pick(random, FEEDS),
    tlp,
    namedRecipientIds: tlp === 'RED' ? some(random, ids, 3) : [],
    expires: random() < 0.05 ? '2026-11-01T00:00:00Z' : null,
    data,
  };
}

/** Who each event is decided for: every active agency (what the router does), or only the owner's partners. */
type Mode = 'all active' | 'partners only';

interface CaseResult {
  label: string;
  mode: Mode;
  agencies: number;
  groups: number;
  policies: number;
  events: number;
  decisionsPerPass: number;
  /** Median of three builds after a warm-up build (the router rebuilds its index on every snapshot refresh). */
  indexBuildMs: number;
  shareRate: number;
  nsPerDecision: Sample;
  decisionsPerSecond: number;
}

interface PreparedCase {
  size: Size;
  mode: Mode;
  index: PolicyIndex;
  indexBuildMs: number;
  decisions: number;
  shares: number;
  pass: () => void;
}

/** Agencies the owner has at least one policy towards, directly or through a group. */
function partnersOf(federation: Federation): Map<string, string[]> {
  const members = new Map(federation.groups.map((g) => [g.id, g.memberAgencyIds]));
  const partners = new Map<string, Set<string>>();
  for (const p of federation.policies) {
    const set = partners.get(p.grantorAgencyId) ?? new Set<string>();
    partners.set(p.grantorAgencyId, set);
    if (p.grantee.kind === 'agency') set.add(p.grantee.agencyId);
    else for (const m of members.get(p.grantee.groupId) ?? []) set.add(m);
  }
  return new Map([...partners].map(([owner, set]) => [owner, [...set]]));
}

function prepare(size: Size): PreparedCase[] {
  const federation = generateFederation(size);
  new PolicyIndex(federation);
  const builds: number[] = [];
  let index: PolicyIndex | undefined;
  for (let i = 0; i < 3; i += 1) {
    const start = performance.now();
    index = new PolicyIndex(federation);
    builds.push(performance.now() - start);
  }
  const built = index as PolicyIndex;
  const indexBuildMs = summarise(builds).median;
  const active = federation.agencies.filter((a) => a.status === 'active').map((a) => a.id);
  const partners = partnersOf(federation);
  const modes: [Mode, (e: EventFacts) => readonly string[]][] = [
    ['all active', () => active],
    ['partners only', (e) => partners.get(e.ownerAgencyId) ?? []],
  ];
  return modes.map(([mode, candidatesOf]) => {
    const work = federation.events.map((e) => ({ e, candidates: candidatesOf(e) }));
    let decisions = 0;
    let shares = 0;
    for (const { e, candidates } of work) {
      for (const d of decideRecipients(e, candidates, built, NOW)) {
        decisions += 1;
        if (d.share) shares += 1;
      }
    }
    let sink = 0;
    const pass = (): void => {
      for (const { e, candidates } of work) sink += decideRecipients(e, candidates, built, NOW).length;
      if (sink < 0) throw new Error('unreachable: keeps the decisions from being optimised away');
    };
    return { size, mode, index: built, indexBuildMs, decisions, shares, pass };
  });
}

const TARGET_RATIO = 2;

export const policyScenario: Scenario = {
  name: 'policy',
  description: 'policy evaluation: ns per decision at 10 agencies / 100 policies vs 1,000 agencies / 10,000 policies',
  run(options) {
    const prepared = (options.smoke ? SMOKE_SIZES : SIZES).flatMap(prepare);
    const samples = measureInterleaved(
      prepared.map((p) => ({ pass: p.pass, operationsPerPass: Math.max(1, p.decisions) })),
      { warmupMs: options.smoke ? 20 : 400, repetitions: options.smoke ? 3 : 11, minRepetitionMs: options.smoke ? 10 : 200 },
    );
    const results: CaseResult[] = prepared.map((p, i) => {
      const nsPerDecision = samples[i] as Sample;
      return {
        label: p.size.label,
        mode: p.mode,
        agencies: p.size.agencies,
        groups: p.size.groups,
        policies: p.index.policyCount,
        events: p.size.events,
        decisionsPerPass: p.decisions,
        indexBuildMs: p.indexBuildMs,
        shareRate: p.decisions === 0 ? 0 : p.shares / p.decisions,
        nsPerDecision,
        decisionsPerSecond: 1e9 / nsPerDecision.median,
      };
    });
    const fmt = (n: number, digits = 0): string =>
      n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
    const report = table(
      [
        'size',
        'candidates',
        'agencies',
        'groups',
        'policies',
        'index build',
        'decisions/pass',
        'shared',
        'ns/decision (median)',
        'min–max',
        'spread',
        'decisions/s',
      ],
      results.map((r) => [
        r.label,
        r.mode,
        fmt(r.agencies),
        fmt(r.groups),
        fmt(r.policies),
        `${fmt(r.indexBuildMs, 1)} ms`,
        fmt(r.decisionsPerPass),
        `${fmt(r.shareRate * 100, 1)} %`,
        fmt(r.nsPerDecision.median, 1),
        `${fmt(r.nsPerDecision.min, 1)}–${fmt(r.nsPerDecision.max, 1)}`,
        `${fmt(r.nsPerDecision.spread * 100, 1)} %`,
        fmt(r.decisionsPerSecond),
      ]),
    );
    const ratios = (['all active', 'partners only'] as const).map((mode) => {
      const small = results.find((r) => r.mode === mode && r.label === 'small');
      const large = results.find((r) => r.mode === mode && r.label === 'large');
      const ratio = small === undefined || large === undefined ? Number.NaN : large.nsPerDecision.median / small.nsPerDecision.median;
      return { mode, ratio, withinTarget: ratio <= TARGET_RATIO };
    });
    const lines = ratios.map(
      (r) =>
        `ratio large/small, ${r.mode} (median ns/decision): ${r.ratio.toFixed(2)} (target ≤ ${TARGET_RATIO}: ${r.withinTarget ? 'within target' : 'OVER TARGET'})`,
    );
    return {
      report: `${report}\n\n${lines.join('\n')}`,
      json: { cases: results, ratios, targetRatio: TARGET_RATIO },
    };
  },
};
