import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chartKindsOf, escapeHtml, parseTarget, renderReport, type BenchResults, type BenchRow } from './report';
import { spreadOf, summarizeLatencies } from './stats';

const machine = { cores: 2, cpu: 'AMD EPYC', memoryGiB: 24, node: 'v20.20.2', kafka: '3.9.1', postgres: '15.20' };

const withBaseline: BenchRow = {
  scenario: 'ledger',
  metric: 'rows/s, 490-row batches',
  value: spreadOf([25_000, 30_000, 41_000]),
  baseline: { metric: 'rows/s one INSERT per row', value: spreadOf([500, 700, 1_000]) },
  ratio: spreadOf([41, 43, 50]),
  target: '≥ 20×',
  met: true,
};
const latencyOnly: BenchRow = {
  scenario: 'whole-path',
  metric: 'p99 ms accept→topic at 80/s',
  value: spreadOf([112]),
  latency: summarizeLatencies([3, 5, 8, 13, 112]),
  target: '≤ 50 ms',
  met: false,
};
const valueOnly: BenchRow = { scenario: 'raw-pipe', metric: 'events/s (saturation)', value: spreadOf([12_000, 12_500, 13_000]) };

function results(rows: BenchRow[], overrides: Partial<BenchResults> = {}): BenchResults {
  return { at: '2026-11-25T17:00:00.000Z', smoke: false, reps: 3, machine, rows, ...overrides };
}

/** The `data-chart` kinds in the order the page draws them. */
function chartsIn(html: string): string[] {
  return [...html.matchAll(/<svg [^>]*data-chart="([a-z-]+)"/g)].map((m) => m[1] ?? '');
}

describe('bench report renderer', () => {
  it('escapes every character that could open markup or close an attribute', () => {
    assert.equal(escapeHtml(`<a href="x">Tom & 'Jerry'</a>`), '&#60;a href=&#34;x&#34;&#62;Tom &#38; &#39;Jerry&#39;&#60;/a&#62;');
  });

  it('never lets text from the results through as markup, in the header, the table or a chart', () => {
    const hostile = '<script>alert(1)</script>';
    const html = renderReport(
      results(
        [
          {
            ...withBaseline,
            scenario: `${hostile}scenario`,
            metric: `rows/s ${hostile}`,
            baseline: { metric: `"><img src=x>`, value: spreadOf([1]) },
          },
          { ...valueOnly, target: `<b>bold</b>` },
        ],
        { machine: { ...machine, cpu: hostile, kafka: `external (a"b)` } },
      ),
    );
    assert.ok(!html.includes('<script'), 'no script element');
    assert.ok(!html.includes('<img'), 'no injected element');
    assert.ok(!html.includes('<b>'), 'no injected element from a target');
    assert.ok(!html.includes('a"b'), 'no raw quote from the machine facts');
    assert.ok(html.includes('&#60;script&#62;alert(1)&#60;/script&#62;'));
  });

  it('draws one chart per kind of figure a row has', () => {
    assert.deepEqual(chartKindsOf(withBaseline), ['versus-baseline', 'ratio']);
    assert.deepEqual(chartKindsOf(latencyOnly), ['latency']);
    assert.deepEqual(chartKindsOf(valueOnly), ['value']);
    const html = renderReport(results([withBaseline, latencyOnly, valueOnly]));
    assert.deepEqual(chartsIn(html), ['versus-baseline', 'ratio', 'latency', 'value']);
    assert.equal((html.match(/<section>/g) ?? []).length, 3, 'one section per scenario');
  });

  it('draws min–max whiskers for repeated figures and none for a single one', () => {
    const html = renderReport(results([withBaseline, valueOnly]));
    const baselineChart = /<svg [^>]*data-chart="versus-baseline".*?<\/svg>/s.exec(html)?.[0] ?? '';
    assert.equal((baselineChart.match(/class="whisker"/g) ?? []).length, 2, 'measured and baseline each have a range');
    assert.ok(baselineChart.includes('25,000 (25,000–41,000)') || baselineChart.includes('30,000 (25,000–41,000)'));
    const single = renderReport(results([{ ...valueOnly, value: spreadOf([12_000]) }]));
    assert.ok(!single.includes('class="whisker"'));
  });

  it('draws a target line for numeric targets (ratio and milliseconds) and none for prose', () => {
    const html = renderReport(results([withBaseline, latencyOnly]));
    const ratioChart = /<svg [^>]*data-chart="ratio".*?<\/svg>/s.exec(html)?.[0] ?? '';
    const latencyChart = /<svg [^>]*data-chart="latency".*?<\/svg>/s.exec(html)?.[0] ?? '';
    assert.ok(ratioChart.includes('class="target"') && ratioChart.includes('target ≥ 20×'));
    assert.ok(latencyChart.includes('class="target"') && latencyChart.includes('target ≤ 50 ms'));
    for (const p of ['p50', 'p95', 'p99']) assert.ok(latencyChart.includes(`>${p}</text>`), p);
    const prose = renderReport(results([{ ...valueOnly, target: '3411 expected, 0 missing', met: true }]));
    assert.ok(!prose.includes('class="target"'));
    assert.deepEqual(parseTarget('≥ 0.5×'), { bound: 'min', value: 0.5, unit: '×' });
    assert.deepEqual(parseTarget('≤ 50 ms'), { bound: 'max', value: 50, unit: 'ms' });
    assert.equal(parseTarget('3411 expected, 0 missing'), undefined);
  });

  it('heads the page with the machine, the versions and the date, and says when figures are from a smoke run', () => {
    const html = renderReport(results([valueOnly]));
    for (const fact of ['2026-11-25T17:00:00.000Z', 'AMD EPYC', 'v20.20.2', '3.9.1', '15.20', '24 GiB'])
      assert.ok(html.includes(fact), fact);
    assert.ok(/<th>cores<\/th><td>2<\/td>/.test(html));
    assert.ok(!html.includes('Smoke run'));
    assert.ok(renderReport(results([valueOnly], { smoke: true })).includes('Smoke run'));
  });

  it('is self-contained: nothing loaded from elsewhere', () => {
    const html = renderReport(results([withBaseline, latencyOnly, valueOnly]));
    assert.ok(!/<(script|link|img|iframe)\b/i.test(html));
    assert.ok(!/\b(src|href)=/i.test(html));
    assert.ok(!/url\(/i.test(html));
  });
});
