/** `overall_coverage`: line coverage of everything the reports measured, an optional minimum and an optional maximum drop versus the target branch. */
import type { GateResult, QgateResult } from '../model/result.js';
import type { GateDefinition, GateWording } from './gate.js';
import { formatCount, formatPercent, formatPercentOf, formatPoints } from '../text/number.js';
import { plural } from '../text/plural.js';
import { missingInput, notRunBecause } from './wording.js';

export const overallCoverageGate: GateDefinition = {
  id: 'overall_coverage',
  unit: '%',
  formula: 'covered lines ÷ coverable lines ≥ min, and drop versus target branch ≤ maxDrop',
  evaluate({ config, coverage, baseline }) {
    const gate = config.gates.overall_coverage;
    if (!coverage) {
      return {
        status: gate.onMissing,
        actual: null,
        threshold: gate.min,
        reason: `no coverage report was given; onMissing is "${gate.onMissing}"`,
      };
    }
    const { overall } = coverage;
    if (overall.percent === null) {
      return { status: 'skip', actual: null, threshold: gate.min, reason: 'not applicable: the reports list no coverable line' };
    }
    const measured = `${overall.covered} of ${overall.total} lines covered (${formatPercentOf(overall.covered, overall.total)})`;
    const problems: string[] = [];
    const notes: string[] = [];
    if (gate.min !== null && overall.covered * 100 < gate.min * overall.total) {
      problems.push(`below the minimum ${formatPercent(gate.min)}`);
    }
    if (gate.maxDrop !== null) {
      const base = baseline?.overallCoveragePercent ?? null;
      if (base === null) {
        notes.push('no target-branch baseline, drop not checked');
      } else {
        const drop = Math.round((base - overall.percent) * 100) / 100;
        if (drop > gate.maxDrop) problems.push(`dropped ${drop} points from ${formatPercent(base)} (max ${gate.maxDrop})`);
        else notes.push(`${drop > 0 ? `down ${drop}` : `up ${-drop}`} points from ${formatPercent(base)}`);
      }
    }
    if (problems.length > 0) {
      return { status: 'fail', actual: overall.percent, threshold: gate.min, reason: `${measured}, ${problems.join('; ')}` };
    }
    if (gate.min === null && (gate.maxDrop === null || baseline?.overallCoveragePercent == null)) {
      const why = gate.maxDrop === null ? 'no minimum set' : 'no minimum set and no baseline';
      return { status: 'skip', actual: overall.percent, threshold: null, reason: `${measured}; informational: ${why}${notes.length && gate.maxDrop === null ? `; ${notes.join('; ')}` : ''}` };
    }
    const bar = gate.min !== null ? `, at least ${formatPercent(gate.min)}` : '';
    return { status: 'pass', actual: overall.percent, threshold: gate.min, reason: `${measured}${bar}${notes.length ? `; ${notes.join('; ')}` : ''}` };
  },
  describe: (gate, result) => describeOverallCoverageGate(gate, result),
};

/** The gate's words: the figure with its counts and its scope, the bar or the drop only when it failed, the signed change versus the target branch. */
export function describeOverallCoverageGate(gate: GateResult, result: QgateResult): GateWording {
  const title = 'Overall coverage';
  const coverage = result.coverage;
  if (!coverage) return missingInput(title, 'coverage report', gate);
  const { overall } = coverage;
  const scope = 'every file the coverage reports measured (test files too, when the reports include them)';
  const base = result.baseline?.status === 'found' ? result.baseline.overallCoveragePercent : null;
  const versusTarget = overall.percent === null ? null : base === null ? 'no baseline' : formatPoints(overall.percent - base);
  if (overall.percent === null) {
    return { title, headline: 'the coverage reports list no coverable line', result: 'no coverable line in the reports', versusTarget, scope, notRun: notRunBecause(gate, true) };
  }
  const percent = formatPercentOf(overall.covered, overall.total);
  let bar = '';
  if (gate.status === 'fail') {
    bar = gate.threshold !== null && overall.covered * 100 < gate.threshold * overall.total
      ? ` — needs ${formatPercent(gate.threshold)}`
      : ' — dropped more than the configured maxDrop';
  }
  return {
    title,
    headline: `overall coverage ${percent} (${formatCount(overall.covered)} of ${formatCount(overall.total)} lines)${bar}`,
    result: `${percent} (${formatCount(overall.covered)} of ${plural(overall.total, 'line')})${bar}`,
    versusTarget,
    scope,
    notRun: null,
  };
}
