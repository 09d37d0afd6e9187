/** A gate type is a row in the table of `evaluate.ts`: an id, a unit, a formula and a pure evaluator. */
import type { QgateConfig } from '../config/types.js';
import type { E2eResult } from '../model/e2e.js';
import type { MutationResult } from '../model/mutation.js';
import type { PerformanceResult } from '../model/performance.js';
import type { CoverageResult, DiffResult, GateResult, QgateResult } from '../model/result.js';

/** Everything the gates may look at. Pure data: gates never read files, env or the network. */
export interface GateContext {
  config: QgateConfig;
  /** null when no coverage report was given at all. */
  coverage: CoverageResult | null;
  diff: DiffResult;
  /** Values from the target branch's result, when one was found. */
  baseline: { overallCoveragePercent: number | null } | null;
  /** null when no Cucumber/JUnit report was given. */
  e2e: E2eResult | null;
  /** null when no k6 results were given. */
  performance: PerformanceResult | null;
  /** null when no mutation report was given. */
  mutation: MutationResult | null;
}

export interface GateDefinition {
  id: keyof QgateConfig['gates'];
  /** What `actual` and `threshold` count. */
  unit: GateResult['unit'];
  /** The gate's formula in one short line. */
  formula: string;
  evaluate(context: GateContext): Omit<GateResult, 'id' | 'formula' | 'unit' | 'blocking'>;
  /** The gate's own words for its outcome, for every human-facing report (the renderers print them, never compose them). */
  describe(gate: GateResult, result: QgateResult): GateWording;
}

/**
 * What a gate says about its outcome. Numbers follow `text/number.ts` (one decimal, half up);
 * a threshold appears ("needs 80 %") only where it decided a failure.
 */
export interface GateWording {
  /** "New-code coverage". */
  title: string;
  /** The comment's first line when this gate decides the verdict: "71.4 % of new lines covered (5 of 7) — needs 80 %; 2 lines to cover in src/stock.js". */
  headline: string;
  /** The result cell: "71.4 % (5 of 7 new lines) — needs 80 %". */
  result: string;
  /** The signed change versus the target branch ("+1.2 pts", "1 regressed, 2 improved"), "no baseline", or null when the gate has no such comparison. */
  versusTarget: string | null;
  /** What the figure counts ("changed lines of source files; test files excluded"), or null. */
  scope: string | null;
  /** Why the gate did not run, when it had neither input nor anything to say ("no report given", "disabled in the configuration"); null when it ran. */
  notRun: string | null;
}
