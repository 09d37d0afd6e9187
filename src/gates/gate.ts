/** A gate type is a row in the table of `evaluate.ts`: an id, a unit, a formula and a pure evaluator. */
import type { QgateConfig } from '../config/types.js';
import type { E2eResult } from '../model/e2e.js';
import type { MutationResult } from '../model/mutation.js';
import type { PerformanceResult } from '../model/performance.js';
import type { CoverageResult, DiffResult, GateResult } from '../model/result.js';

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
}
