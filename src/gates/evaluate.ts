/** The table of gate types and the verdict. Only the CLI turns the verdict into an exit code. */
import type { GateResult, Verdict } from '../model/result.js';
import type { GateContext, GateDefinition } from './gate.js';
import { evaluateE2eGate } from './e2e.js';
import { evaluateMutationGate, MUTATION_GATE_FORMULA } from './mutation.js';
import { newCodeCoverageGate } from './new-code-coverage.js';
import { overallCoverageGate } from './overall-coverage.js';
import { evaluatePerformanceGate } from './performance.js';

const e2eGate: GateDefinition = {
  id: 'e2e',
  unit: 'count',
  formula: 'failed scenarios (plus undefined/pending/ambiguous/flaky set to fail) ≤ maxFailed, and at least minScenarios ran',
  evaluate: ({ config, e2e }) => evaluateE2eGate(config.gates.e2e, e2e),
};

const performanceGate: GateDefinition = {
  id: 'performance',
  unit: 'count',
  formula: 'failed k6 thresholds + tracked statistics regressed beyond tolerance versus the baseline = 0',
  evaluate: ({ config, performance }) => evaluatePerformanceGate(config.gates.performance, performance),
};

const mutationGate: GateDefinition = {
  id: 'mutation',
  unit: '%',
  formula: MUTATION_GATE_FORMULA,
  evaluate: ({ config, mutation }) => evaluateMutationGate(config.gates.mutation, mutation),
};

export const GATE_TABLE: readonly GateDefinition[] = [newCodeCoverageGate, overallCoverageGate, e2eGate, performanceGate, mutationGate];

export function evaluateGates(context: GateContext): GateResult[] {
  return GATE_TABLE.map((definition) => {
    const config = context.config.gates[definition.id];
    const base = { id: definition.id, unit: definition.unit, blocking: config.blocking, formula: definition.formula };
    if (!config.enabled) {
      return { ...base, status: 'skip', actual: null, threshold: null, reason: 'disabled in the configuration' };
    }
    return { ...base, ...definition.evaluate(context) };
  });
}

function names(gates: readonly GateResult[]): string {
  return gates.map((gate) => gate.id).join(', ');
}

/**
 * fail when a blocking gate fails; warn when any gate warns or a non-blocking gate fails; else pass.
 * The reason names the gates that decided; each gate's own reason says why.
 */
export function decideVerdict(gates: readonly GateResult[]): { verdict: Verdict; reason: string } {
  const blockingFailures = gates.filter((gate) => gate.status === 'fail' && gate.blocking);
  if (blockingFailures.length > 0) {
    return { verdict: 'fail', reason: `blocking gate failed: ${names(blockingFailures)}` };
  }
  const warnings = gates.filter((gate) => gate.status === 'warn');
  const softFailures = gates.filter((gate) => gate.status === 'fail');
  if (warnings.length > 0 || softFailures.length > 0) {
    const parts = [];
    if (softFailures.length > 0) parts.push(`non-blocking gate failed: ${names(softFailures)}`);
    if (warnings.length > 0) parts.push(`gate warned: ${names(warnings)}`);
    return { verdict: 'warn', reason: parts.join('; ') };
  }
  const passed = gates.filter((gate) => gate.status === 'pass').length;
  const skipped = gates.length - passed;
  if (passed === 0) {
    // Every gate skipped: nothing was checked, which must not read as a clean pass.
    return { verdict: 'pass', reason: `no gate had anything to check (${skipped} skipped)` };
  }
  return { verdict: 'pass', reason: `${passed} gate${passed === 1 ? '' : 's'} passed${skipped ? `, ${skipped} skipped` : ''}` };
}
