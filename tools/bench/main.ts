/**
 * Benchmarks: `npm run bench` runs every scenario; `npm run bench -- policy` only the named ones;
 * `--smoke` uses tiny sizes (a check that the scenarios run, not a measurement). Each scenario
 * prints a table and writes its figures, with the machine's cores and the Node version, as JSON
 * to bench-results/ (git-ignored). Build first (`npm run build`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../kafka/cluster';
import { policyScenario } from './policy.scenario';
import type { Scenario } from './scenario';

/** Every scenario, by name. Add new ones here. */
const SCENARIOS: readonly Scenario[] = [policyScenario];

function main(): number {
  const args = process.argv.slice(2);
  const smoke = args.includes('--smoke');
  const names = args.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length > 0) {
    console.error(`unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
    return 2;
  }
  const selected = names.length === 0 ? SCENARIOS : SCENARIOS.filter((s) => names.includes(s.name));
  const cores = cpus();
  const machine = {
    cores: cores.length,
    cpuModel: cores[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
  console.log(
    `machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}${smoke ? ' — SMOKE sizes' : ''}`,
  );
  const dir = join(repoRoot(), 'bench-results');
  mkdirSync(dir, { recursive: true });
  for (const scenario of selected) {
    console.log(`\n== ${scenario.name}: ${scenario.description}\n`);
    const startedAt = new Date();
    const result = scenario.run({ smoke });
    console.log(result.report);
    const file = join(dir, `${scenario.name}${smoke ? '-smoke' : ''}-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(
      file,
      `${JSON.stringify({ scenario: scenario.name, startedAt: startedAt.toISOString(), smoke, machine, ...result.json }, null, 2)}\n`,
    );
    console.log(`\nwritten: ${file}`);
  }
  return 0;
}

process.exit(main());
