/** Timing helpers shared by benchmark scenarios: warm-up, repetitions, median and spread. */

export interface Sample {
  /** Nanoseconds per operation in each repetition. */
  samples: number[];
  median: number;
  min: number;
  max: number;
  /** (max - min) / median, as a fraction. */
  spread: number;
}

export interface MeasureOptions {
  /** Time spent running before measuring (JIT warm-up), ms. */
  warmupMs: number;
  repetitions: number;
  /** Each repetition runs whole passes until at least this long, ms. */
  minRepetitionMs: number;
}

/** One thing to time: `pass` performs `operationsPerPass` operations. */
export interface Case {
  pass: () => void;
  operationsPerPass: number;
}

/**
 * Times several cases in alternating repetitions, so a noisy, shared machine slows them alike and
 * their ratio stays meaningful: warm-up of each first (not measured), then `repetitions` rounds in
 * which each case runs whole passes for at least `minRepetitionMs`. Nanoseconds per operation.
 */
export function measureInterleaved(cases: readonly Case[], options: MeasureOptions): Sample[] {
  for (const c of cases) {
    const warmupUntil = performance.now() + options.warmupMs;
    do c.pass();
    while (performance.now() < warmupUntil);
  }
  const samples: number[][] = cases.map(() => []);
  for (let r = 0; r < options.repetitions; r += 1) {
    for (const [i, c] of cases.entries()) {
      let passes = 0;
      const start = process.hrtime.bigint();
      let elapsedNs = 0;
      do {
        c.pass();
        passes += 1;
        elapsedNs = Number(process.hrtime.bigint() - start);
      } while (elapsedNs < options.minRepetitionMs * 1e6);
      samples[i]?.push(elapsedNs / (passes * c.operationsPerPass));
    }
  }
  return samples.map(summarise);
}

export function summarise(samples: number[]): Sample {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  const min = sorted[0] ?? 0;
  const max = sorted[sorted.length - 1] ?? 0;
  return { samples, median, min, max, spread: median === 0 ? 0 : (max - min) / median };
}

/** A deterministic pseudo-random generator (mulberry32), so every run benchmarks the same data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Prints rows as an aligned text table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
