/** A gate type is a row in the table of `evaluate.ts`: an id and a pure evaluator. */
import type { QgateConfig } from '../config/types.js';
import type { CoverageResult, DiffResult, GateResult } from '../model/result.js';

/** Everything the gates may look at. Pure data: gates never read files, env or the network. */
export interface GateContext {
  config: QgateConfig;
  /** null when no coverage report was given at all. */
  coverage: CoverageResult | null;
  diff: DiffResult;
  /** Values from the target branch's result, when one was found. */
  baseline: { overallCoveragePercent: number | null } | null;
}

export interface GateDefinition {
  id: keyof QgateConfig['gates'];
  /** The gate's formula in one short line. */
  formula: string;
  evaluate(context: GateContext): Omit<GateResult, 'id' | 'formula' | 'unit' | 'blocking'>;
}
