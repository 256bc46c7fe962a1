/**
 * Renders benchmark results as one self-contained HTML page with inline SVG charts: no script, no
 * stylesheet or font from elsewhere, so the file can be committed, attached or opened offline.
 */
import { formatSpread, type LatencySummary, type Spread } from './stats';

/** One row of the report: a measurement, its baseline, and their ratio. */
export interface BenchRow {
  scenario: string;
  metric: string;
  value: Spread;
  baseline?: { metric: string; value: Spread };
  ratio?: Spread;
  target?: string;
  met?: boolean;
  latency?: LatencySummary;
}

/** The machine a run measured, printed with every result. */
export interface MachineFacts {
  cores: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  kafka: string;
  postgres: string;
}

/** What `npm run bench` writes to bench-results/*.json. */
export interface BenchResults {
  at: string;
  smoke: boolean;
  reps: number;
  machine: MachineFacts;
  rows: BenchRow[];
}

/** The kinds of chart a row can get; each SVG carries its kind in `data-chart`. */
export type ChartKind = 'versus-baseline' | 'ratio' | 'latency' | 'value';

/** Makes text safe inside HTML and SVG, in element content and in quoted attributes alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A target such as `≥ 20×`, `≤ 2×` or `≤ 50 ms`, as a number to draw; undefined for prose targets. */
export function parseTarget(target: string | undefined): { bound: 'min' | 'max'; value: number; unit: '×' | 'ms' } | undefined {
  const match = /^\s*([≥≤])\s*([\d.,]+)\s*(×|ms)\s*$/.exec(target ?? '');
  if (match === null) return undefined;
  const value = Number((match[2] ?? '').replace(/,/g, ''));
  if (!Number.isFinite(value)) return undefined;
  return { bound: match[1] === '≥' ? 'min' : 'max', value, unit: match[3] === 'ms' ? 'ms' : '×' };
}

/** The charts a row gets: its value against its baseline, its ratio to the target, its latency percentiles, or its value alone. */
export function chartKindsOf(row: BenchRow): ChartKind[] {
  const kinds: ChartKind[] = [];
  if (row.baseline !== undefined) kinds.push('versus-baseline');
  if (row.ratio !== undefined) kinds.push('ratio');
  if (row.latency !== undefined) kinds.push('latency');
  if (kinds.length === 0) kinds.push('value');
  return kinds;
}

interface Bar {
  label: string;
  median: number;
  /** Whiskers: the range over repetitions, when there was more than one value. */
  min?: number;
  max?: number;
  tone: 'measured' | 'baseline' | 'neutral';
}

interface ChartSpec {
  kind: ChartKind;
  title: string;
  unit: string;
  bars: Bar[];
  target?: { value: number; label: string };
}

const WIDTH = 780;
const LABEL_WIDTH = 140;
const VALUE_WIDTH = 210;
const BAR_HEIGHT = 22;
const GAP = 12;
const TOP = 30;
const BOTTOM = 24;

function number(n: number, digits: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Digits that keep small figures (ratios, ns, ms) readable and large ones (events/s) whole. */
function digitsFor(n: number): number {
  const abs = Math.abs(n);
  return abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
}

function barChart(spec: ChartSpec): string {
  const plotLeft = LABEL_WIDTH;
  const plotWidth = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const height = TOP + spec.bars.length * (BAR_HEIGHT + GAP) + BOTTOM;
  const finite = spec.bars.flatMap((b) => [b.median, b.max ?? b.median]).filter((n) => Number.isFinite(n));
  const top = Math.max(...finite, spec.target?.value ?? 0, Number.MIN_VALUE) * 1.1;
  const x = (v: number): number => plotLeft + (Number.isFinite(v) ? Math.max(0, v) / top : 0) * plotWidth;
  const parts: string[] = [];
  parts.push(`<text class="title" x="0" y="16">${escapeHtml(spec.title)}</text>`);
  parts.push(`<line class="axis" x1="${plotLeft}" y1="${TOP - 6}" x2="${plotLeft}" y2="${height - BOTTOM + 4}"/>`);
  spec.bars.forEach((bar, i) => {
    const y = TOP + i * (BAR_HEIGHT + GAP);
    const mid = y + BAR_HEIGHT / 2;
    const end = x(bar.median);
    const digits = digitsFor(bar.median);
    const range = bar.min !== undefined && bar.max !== undefined && bar.min !== bar.max;
    const figure = range
      ? `${number(bar.median, digits)} (${number(bar.min ?? bar.median, digits)}–${number(bar.max ?? bar.median, digits)})`
      : number(bar.median, digits);
    const text = escapeHtml(`${figure} ${spec.unit}`.trim());
    parts.push(`<text class="label" x="${plotLeft - 8}" y="${mid + 4}" text-anchor="end">${escapeHtml(bar.label)}</text>`);
    parts.push(
      `<rect class="bar ${bar.tone}" x="${plotLeft}" y="${y}" width="${(end - plotLeft).toFixed(1)}" height="${BAR_HEIGHT}">` +
        `<title>${escapeHtml(bar.label)}: ${text}</title></rect>`,
    );
    if (range) {
      const [lo, hi] = [x(bar.min ?? bar.median).toFixed(1), x(bar.max ?? bar.median).toFixed(1)];
      parts.push(
        `<g class="whisker"><line x1="${lo}" y1="${mid}" x2="${hi}" y2="${mid}"/>` +
          `<line x1="${lo}" y1="${mid - 6}" x2="${lo}" y2="${mid + 6}"/><line x1="${hi}" y1="${mid - 6}" x2="${hi}" y2="${mid + 6}"/></g>`,
      );
    }
    parts.push(`<text class="value" x="${WIDTH - VALUE_WIDTH + 8}" y="${mid + 4}">${text}</text>`);
  });
  if (spec.target !== undefined) {
    const tx = x(spec.target.value).toFixed(1);
    parts.push(`<line class="target" x1="${tx}" y1="${TOP - 8}" x2="${tx}" y2="${height - BOTTOM + 6}"/>`);
    parts.push(`<text class="target-label" x="${tx}" y="${height - 4}" text-anchor="middle">${escapeHtml(spec.target.label)}</text>`);
  }
  return (
    `<svg class="chart" data-chart="${spec.kind}" role="img" aria-label="${escapeHtml(spec.title)}" xmlns="http://www.w3.org/2000/svg" ` +
    `width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">${parts.join('')}</svg>`
  );
}

function bar(label: string, s: Spread, tone: Bar['tone']): Bar {
  return { label, median: s.median, min: s.min, max: s.max, tone };
}

/** The unit a metric is counted in, from its name (`rows/s, …`, `p99 ms …`, `cost large/small`). */
function unitOf(metric: string): string {
  if (/\bms\b/.test(metric)) return 'ms';
  const rate = /^([a-z]+\/s)/.exec(metric);
  if (rate?.[1] !== undefined) return rate[1];
  if (metric.startsWith('cost')) return '×';
  return '';
}

function chartsOf(row: BenchRow): string[] {
  const target = parseTarget(row.target);
  const unit = unitOf(row.metric);
  return chartKindsOf(row).map((kind) => {
    switch (kind) {
      case 'versus-baseline':
        return barChart({
          kind,
          title: `${row.metric} vs baseline`,
          unit,
          bars: [
            bar(row.metric, row.value, 'measured'),
            bar(row.baseline?.metric ?? 'baseline', row.baseline?.value ?? row.value, 'baseline'),
          ],
        });
      case 'ratio':
        return barChart({
          kind,
          title: `ratio to baseline${target?.unit === '×' ? `, target ${row.target ?? ''}` : ''}`,
          unit: '×',
          bars: [bar('measured / baseline', row.ratio ?? row.value, 'measured')],
          ...(target?.unit === '×' ? { target: { value: target.value, label: `target ${row.target ?? ''}` } } : {}),
        });
      case 'latency': {
        const l = row.latency;
        return barChart({
          kind,
          title: `latency percentiles over ${number(l?.count ?? 0, 0)} samples${target?.unit === 'ms' ? `, target p99 ${row.target ?? ''}` : ''}`,
          unit: 'ms',
          bars: [
            { label: 'p50', median: l?.p50 ?? Number.NaN, tone: 'neutral' },
            { label: 'p95', median: l?.p95 ?? Number.NaN, tone: 'neutral' },
            { label: 'p99', median: l?.p99 ?? Number.NaN, tone: 'measured' },
            { label: 'max', median: l?.max ?? Number.NaN, tone: 'neutral' },
          ],
          ...(target?.unit === 'ms' ? { target: { value: target.value, label: `target ${row.target ?? ''}` } } : {}),
        });
      }
      case 'value':
        return barChart({
          kind,
          title: row.metric,
          unit,
          bars: [bar('measured', row.value, 'measured')],
          ...(target !== undefined ? { target: { value: target.value, label: `target ${row.target ?? ''}` } } : {}),
        });
    }
  });
}

function verdict(row: BenchRow): string {
  if (row.target === undefined) return '';
  const state = row.met === true ? 'met' : 'missed';
  return `<span class="${state}">${escapeHtml(`${row.target} ${state}`)}</span>`;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d232a}
h1{font-size:1.5rem;margin-bottom:.25rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.25rem}
h3{font-size:1rem;margin:1.25rem 0 .25rem}
table{border-collapse:collapse;margin:.5rem 0}th,td{text-align:left;padding:.25rem .6rem;border-bottom:1px solid #e5e9ee;vertical-align:top}
th{font-weight:600}.facts th{width:9rem}.smoke{color:#9a6700;font-weight:600}
.met{color:#1a7f37;font-weight:600}.missed{color:#cf222e;font-weight:600}
svg.chart{display:block;margin:.25rem 0 .75rem}
svg .title{font-weight:600;font-size:13px}svg text{font-size:12px;fill:#1d232a}
svg .bar.measured{fill:#3b82c4}svg .bar.baseline{fill:#9aa6b2}svg .bar.neutral{fill:#b9d3ea}
svg .axis{stroke:#57606a}svg .whisker line{stroke:#1d232a;stroke-width:1.5}
svg .target{stroke:#cf222e;stroke-width:2;stroke-dasharray:5 4}svg .target-label{fill:#cf222e}
`;

/** The whole report page for one run. */
export function renderReport(results: BenchResults): string {
  const m = results.machine;
  const facts: [string, string][] = [
    ['date', results.at],
    ['cores', String(m.cores)],
    ['CPU', m.cpu],
    ['memory', `${m.memoryGiB} GiB`],
    ['Node.js', m.node],
    ['Kafka', m.kafka],
    ['PostgreSQL', m.postgres],
    ['repetitions', String(results.reps)],
  ];
  const summary = results.rows
    .map((r) => {
      const digits = digitsFor(r.value.median);
      return (
        `<tr><td>${escapeHtml(r.scenario)}</td><td>${escapeHtml(r.metric)}</td><td>${escapeHtml(formatSpread(r.value, digits))}</td>` +
        `<td>${r.baseline ? escapeHtml(`${r.baseline.metric}: ${formatSpread(r.baseline.value, digitsFor(r.baseline.value.median))}`) : ''}</td>` +
        `<td>${r.ratio ? escapeHtml(`${formatSpread(r.ratio, 2)}×`) : ''}</td><td>${verdict(r)}</td></tr>`
      );
    })
    .join('\n');
  const scenarios = [...new Set(results.rows.map((r) => r.scenario))];
  const sections = scenarios
    .map((scenario) => {
      const rows = results.rows.filter((r) => r.scenario === scenario);
      const body = rows.map((r) => `<h3>${escapeHtml(r.metric)} ${verdict(r)}</h3>\n${chartsOf(r).join('\n')}`).join('\n');
      return `<section><h2>${escapeHtml(scenario)}</h2>\n${body}\n</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`Liaison benchmarks, ${results.at}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Liaison benchmarks</h1>
<p>Each measurement ran side by side with its baseline in the same run; bars are medians over the repetitions, whiskers their range (min–max), dashed red lines the targets. Method: docs/adr/0020-benchmark-method.md.${
    results.smoke ? ' <span class="smoke">Smoke run: tiny sizes, figures not worth quoting.</span>' : ''
  }</p>
<table class="facts">${facts.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>
<h2>Summary</h2>
<table class="summary">
<tr><th>scenario</th><th>metric</th><th>median (min–max)</th><th>baseline</th><th>ratio</th><th>target</th></tr>
${summary}
</table>
${sections}
</body>
</html>
`;
}
