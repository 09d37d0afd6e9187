/** The table of gate types and the verdict. Only the CLI turns the verdict into an exit code. */
import type { GateResult, QgateResult, Verdict } from '../model/result.js';
import type { GateContext, GateDefinition, GateWording } from './gate.js';
import { describeE2eGate, evaluateE2eGate } from './e2e.js';
import { describeMutationGate, evaluateMutationGate, MUTATION_GATE_FORMULA } from './mutation.js';
import { newCodeCoverageGate } from './new-code-coverage.js';
import { overallCoverageGate } from './overall-coverage.js';
import { describePerformanceGate, evaluatePerformanceGate } from './performance.js';
import { plural } from '../text/plural.js';
import { notRunBecause } from './wording.js';

const e2eGate: GateDefinition = {
  id: 'e2e',
  unit: 'count',
  formula: 'failed scenarios (plus undefined/pending/ambiguous/flaky set to fail) ≤ maxFailed, and at least minScenarios ran',
  evaluate: ({ config, e2e }) => evaluateE2eGate(config.gates.e2e, e2e),
  describe: describeE2eGate,
};

const performanceGate: GateDefinition = {
  id: 'performance',
  unit: 'count',
  formula: 'failed k6 thresholds + tracked statistics regressed beyond tolerance versus the baseline = 0',
  evaluate: ({ config, performance }) => evaluatePerformanceGate(config.gates.performance, performance),
  describe: describePerformanceGate,
};

const mutationGate: GateDefinition = {
  id: 'mutation',
  unit: '%',
  formula: MUTATION_GATE_FORMULA,
  evaluate: ({ config, mutation }) => evaluateMutationGate(config.gates.mutation, mutation),
  describe: describeMutationGate,
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
    return { verdict: 'pass', reason: `no gate had anything to check: ${skipped} skipped` };
  }
  return { verdict: 'pass', reason: `${passed} gate${passed === 1 ? '' : 's'} passed${skipped ? `, ${skipped} skipped` : ''}` };
}

/** A gate's own words for its outcome; a gate id this version does not know (an older or newer result) gets its reason as is. */
export function describeGate(gate: GateResult, result: QgateResult): GateWording {
  const definition = GATE_TABLE.find((candidate) => candidate.id === gate.id);
  if (definition) return definition.describe(gate, result);
  return { title: gate.id, headline: `${gate.id}: ${gate.reason}`, result: gate.reason, versusTarget: null, scope: null, notRun: notRunBecause(gate, true) };
}

/**
 * The comment's first line: the figure that decided, in the deciding gate's own words.
 * fail: the first blocking failure (and which others failed); warn: the first warning; pass: new-code
 * coverage when it passed, else the first gate that passed; nothing checked: said so.
 */
export function describeVerdict(result: QgateResult): string {
  const gates = result.gates;
  const title = (gate: GateResult): string => describeGate(gate, result).title.toLowerCase();
  const lead = (gate: GateResult, others: GateResult[], what: string): string => {
    const rest = others.filter((other) => other !== gate);
    return `${describeGate(gate, result).headline}${rest.length > 0 ? `; ${what}: ${rest.map(title).join(', ')}` : ''}`;
  };
  const blocking = gates.filter((gate) => gate.status === 'fail' && gate.blocking);
  if (result.verdict === 'fail' && blocking[0]) return lead(blocking[0], blocking, 'also failed');
  const soft = gates.filter((gate) => gate.status === 'warn' || (gate.status === 'fail' && !gate.blocking));
  if (result.verdict === 'warn' && soft[0]) return lead(soft[0], soft, 'also to look at');
  const passed = gates.filter((gate) => gate.status === 'pass');
  const first = passed.find((gate) => gate.id === 'new_code_coverage') ?? passed[0];
  if (first) return passed.length > 1 ? `${describeGate(first, result).headline}; ${plural(passed.length - 1, 'other gate')} passed` : describeGate(first, result).headline;
  return result.verdictReason;
}
