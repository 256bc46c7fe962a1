/** A named benchmark scenario: `npm run bench -- <name>` runs it. */
export interface ScenarioOptions {
  /** Tiny sizes and few repetitions: checks the scenario runs, measures nothing worth quoting. */
  smoke: boolean;
}

export interface ScenarioResult {
  /** Human-readable table for the terminal. */
  report: string;
  /** Figures written to bench-results/. */
  json: Record<string, unknown>;
}

export interface Scenario {
  name: string;
  description: string;
  run(options: ScenarioOptions): ScenarioResult;
}
