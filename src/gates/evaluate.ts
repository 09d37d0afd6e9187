/** The table of gate types and the verdict. Only the CLI turns the verdict into an exit code. */
import type { GateResult, Verdict } from '../model/result.js';
import type { GateContext, GateDefinition } from './gate.js';
import { newCodeCoverageGate } from './new-code-coverage.js';
import { overallCoverageGate } from './overall-coverage.js';

export const GATE_TABLE: readonly GateDefinition[] = [newCodeCoverageGate, overallCoverageGate];

export function evaluateGates(context: GateContext): GateResult[] {
  return GATE_TABLE.map((definition) => {
    const config = context.config.gates[definition.id];
    const base = { id: definition.id, unit: '%' as const, blocking: config.blocking, formula: definition.formula };
    if (!config.enabled) {
      return { ...base, status: 'skip', actual: null, threshold: null, reason: 'disabled in the configuration' };
    }
    return { ...base, ...definition.evaluate(context) };
  });
}

/** fail when a blocking gate fails; warn when any gate warns or a non-blocking gate fails; else pass. */
export function decideVerdict(gates: readonly GateResult[]): { verdict: Verdict; reason: string } {
  const blockingFailures = gates.filter((gate) => gate.status === 'fail' && gate.blocking);
  if (blockingFailures.length > 0) {
    return { verdict: 'fail', reason: blockingFailures.map((gate) => `${gate.id}: ${gate.reason}`).join('; ') };
  }
  const warnings = gates.filter((gate) => gate.status === 'warn' || gate.status === 'fail');
  if (warnings.length > 0) {
    return { verdict: 'warn', reason: warnings.map((gate) => `${gate.id}${gate.status === 'fail' ? ' (non-blocking)' : ''}: ${gate.reason}`).join('; ') };
  }
  const passed = gates.filter((gate) => gate.status === 'pass').length;
  const skipped = gates.length - passed;
  if (passed === 0) {
    // Every gate skipped: nothing was checked, which must not read as a clean pass.
    return { verdict: 'pass', reason: `no gate had anything to check (${skipped} skipped)` };
  }
  return { verdict: 'pass', reason: `${passed} gate${passed === 1 ? '' : 's'} passed${skipped ? `, ${skipped} skipped` : ''}` };
}
