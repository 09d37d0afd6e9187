/** `overall_coverage`: line coverage of everything the reports measured, an optional minimum and an optional maximum drop versus the target branch. */
import type { GateDefinition } from './gate.js';

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
    const measured = `${overall.covered} of ${overall.total} lines covered (${overall.percent}%)`;
    const problems: string[] = [];
    const notes: string[] = [];
    if (gate.min !== null && overall.covered * 100 < gate.min * overall.total) {
      problems.push(`below the minimum ${gate.min}%`);
    }
    if (gate.maxDrop !== null) {
      const base = baseline?.overallCoveragePercent ?? null;
      if (base === null) {
        notes.push('no target-branch baseline, drop not checked');
      } else {
        const drop = Math.round((base - overall.percent) * 100) / 100;
        if (drop > gate.maxDrop) problems.push(`dropped ${drop} points from ${base}% (max ${gate.maxDrop})`);
        else notes.push(`${drop > 0 ? `down ${drop}` : `up ${-drop}`} points from ${base}%`);
      }
    }
    if (problems.length > 0) {
      return { status: 'fail', actual: overall.percent, threshold: gate.min, reason: `${measured}, ${problems.join('; ')}` };
    }
    if (gate.min === null && (gate.maxDrop === null || baseline?.overallCoveragePercent == null)) {
      const why = gate.maxDrop === null ? 'no minimum set' : 'no minimum set and no baseline';
      return { status: 'skip', actual: overall.percent, threshold: null, reason: `${measured}; informational: ${why}${notes.length && gate.maxDrop === null ? `; ${notes.join('; ')}` : ''}` };
    }
    const bar = gate.min !== null ? `, at least ${gate.min}%` : '';
    return { status: 'pass', actual: overall.percent, threshold: gate.min, reason: `${measured}${bar}${notes.length ? `; ${notes.join('; ')}` : ''}` };
  },
};
