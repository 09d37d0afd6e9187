/**
 * `new_code_coverage`: covered / coverable changed lines, held to `min`.
 * No coverable changed line is "not applicable" (skip with the reason) — not diff-cover's
 * silent 100%, and no SonarQube-style line-count waiver that lets a small untested MR pass.
 */
import type { GateDefinition } from './gate.js';
import { plural } from '../text/plural.js';


function listFew(paths: readonly string[]): string {
  const shown = paths.slice(0, 3).join(', ');
  return paths.length > 3 ? `${shown} and ${paths.length - 3} more` : shown;
}

export const newCodeCoverageGate: GateDefinition = {
  id: 'new_code_coverage',
  unit: '%',
  formula: 'covered changed lines ÷ coverable changed lines ≥ min',
  evaluate({ config, coverage, diff }) {
    const gate = config.gates.new_code_coverage;
    if (!coverage) {
      return {
        status: gate.onMissing,
        actual: null,
        threshold: gate.min,
        reason: `no coverage report was given (--coverage or coverage.reports); onMissing is "${gate.onMissing}"`,
      };
    }
    const { newCode } = coverage;
    const unmeasured = newCode.unmeasuredFiles;
    const unmeasuredNote =
      unmeasured.length > 0 ? `${plural(unmeasured.length, 'changed source file')} in no coverage report (${listFew(unmeasured)})` : '';
    const unmeasuredStatus = unmeasured.length === 0 || gate.unmeasuredFiles === 'ignore' ? null : gate.unmeasuredFiles;

    if (newCode.total === 0) {
      const why =
        diff.changedFiles === 0
          ? 'the diff between base and head changes no file'
          : `none of the ${plural(diff.addedLines, 'changed line')} is coverable in the reports`;
      if (unmeasuredStatus) {
        return { status: unmeasuredStatus, actual: null, threshold: gate.min, reason: `${unmeasuredNote}; ${why}` };
      }
      return { status: 'skip', actual: null, threshold: gate.min, reason: `not applicable: ${why}${unmeasuredNote ? `; ${unmeasuredNote} (ignored)` : ''}` };
    }

    const measured = `${newCode.covered} of ${plural(newCode.total, 'coverable new line')} covered (${newCode.percent}%)`;
    // Compare in integers so 80% of 5 lines is exactly 4 lines, whatever floating point says.
    const passes = newCode.covered * 100 >= gate.min * newCode.total;
    if (!passes) {
      return { status: 'fail', actual: newCode.percent, threshold: gate.min, reason: `${measured}, below the minimum ${gate.min}%${unmeasuredNote ? `; ${unmeasuredNote}` : ''}` };
    }
    if (unmeasuredStatus) {
      return { status: unmeasuredStatus, actual: newCode.percent, threshold: gate.min, reason: `${measured}, but ${unmeasuredNote}` };
    }
    return { status: 'pass', actual: newCode.percent, threshold: gate.min, reason: `${measured}, at least ${gate.min}%` };
  },
};
