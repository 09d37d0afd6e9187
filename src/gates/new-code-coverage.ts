/**
 * `new_code_coverage`: covered / coverable changed lines, held to `min`.
 * No coverable changed line is "not applicable" (skip with the reason) — not diff-cover's
 * silent 100%, and no SonarQube-style line-count waiver that lets a small untested MR pass.
 */
import type { GateResult, QgateResult } from '../model/result.js';
import type { GateContext, GateDefinition, GateWording } from './gate.js';
import { formatCount, formatPercent, formatPercentOf } from '../text/number.js';
import { plural } from '../text/plural.js';
import { missingInput, needs, notRunBecause } from './wording.js';


/** "; added 3 of 4, modified 2 of 3" — or, gating added lines only, the modified ones shown apart. */
function splitNote(split: NonNullable<QgateResult['coverage']>['newCode']['split']): string {
  if (split === undefined || split.modified.total === 0) return '';
  const modified = `${formatCount(split.modified.covered)} of ${formatCount(split.modified.total)}`;
  if (split.scope === 'added') return `; modified legacy lines (${modified} covered) are not gated (lines: added)`;
  return `; lines added ${formatCount(split.added.covered)} of ${formatCount(split.added.total)}, modified ${modified}`;
}

function missingShards(evidence: NonNullable<NonNullable<QgateResult['coverage']>['evidence']>): string {
  const read = `${plural(evidence.read.length, 'coverage report')} read, ${formatCount(evidence.expected)} expected`;
  const from = evidence.source === 'parallel' ? ' (CI_NODE_TOTAL)' : '';
  return evidence.source === 'names' ? `no report matches ${evidence.missing.join(', ')} (${read})` : `${read}${from}`;
}

function listFew(paths: readonly string[]): string {
  const shown = paths.slice(0, 3).join(', ');
  return paths.length > 3 ? `${shown} and ${paths.length - 3} more` : shown;
}

export const newCodeCoverageGate: GateDefinition = {
  id: 'new_code_coverage',
  unit: '%',
  formula: 'covered changed lines ÷ coverable changed lines ≥ min',
  evaluate(context) {
    const gateConfig = context.config.gates.new_code_coverage;
    if (context.diff.baseUnknown !== undefined && gateConfig.enabled) {
      return { status: 'fail', actual: null, threshold: gateConfig.min, reason: `inconclusive: no base commit could be established, so the new code is unknown (${context.diff.baseUnknown.replace(/\.$/, '')}); onNoBase is "fail"` };
    }
    const evaluated = evaluateCoverage(context);
    const outcome = { ...evaluated, reason: `${evaluated.reason}${splitNote(context.coverage?.newCode.split)}` };
    const gate = context.config.gates.new_code_coverage;
    const evidence = context.coverage?.evidence;
    if (evidence !== undefined && evidence.missing.length > 0) {
      // A shard that did not arrive makes its lines look uncovered or unmeasured: never a pass, and never a figure to trust.
      return { ...outcome, status: 'fail', reason: `incomplete evidence: ${missingShards(evidence)}; ${outcome.reason}` };
    }
    const legacyWorse = context.coverage?.newCode.split?.legacyWorse ?? [];
    if (legacyWorse.length > 0) {
      const named = legacyWorse.slice(0, 3).map((file) => `${file.path} ${formatPercentOf(file.before[0], file.before[1])} → ${formatPercentOf(file.after[0], file.after[1])}`).join(', ');
      return { ...outcome, status: 'fail', reason: `${outcome.reason}; legacy code the MR modified is less covered than on the target branch (lines: added holds it to not worse than before): ${named}${legacyWorse.length > 3 ? ` and ${legacyWorse.length - 3} more` : ''}` };
    }
    const added = context.diff.waivers?.coverageExclusions ?? 0;
    if (gate.maxNewExclusions === null || added <= gate.maxNewExclusions) return outcome;
    // Exclusions raise the figure without testing anything: over the limit, the gate fails whatever the figure says.
    return { ...outcome, status: 'fail', reason: `${outcome.reason}; ${plural(added, 'new coverage exclusion')}, at most ${formatCount(gate.maxNewExclusions)} allowed (maxNewExclusions)` };
  },
  describe: (gate, result) => describeNewCodeCoverageGate(gate, result),
};

function evaluateCoverage({ config, coverage, diff }: GateContext): ReturnType<GateDefinition['evaluate']> {
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

    const measured = `${newCode.covered} of ${plural(newCode.total, 'coverable new line')} covered (${formatPercentOf(newCode.covered, newCode.total)})`;
    // Compare in integers so 80% of 5 lines is exactly 4 lines, whatever floating point says.
    const passes = newCode.covered * 100 >= gate.min * newCode.total;
    if (!passes) {
      const below = `${measured}, below the minimum ${formatPercent(gate.min)}${unmeasuredNote ? `; ${unmeasuredNote}` : ''}`;
      if (gate.minLines !== null && newCode.total < gate.minLines) {
        // Shown as it is ("2 of 3 lines"), never hidden: a small sample warns instead of failing, when configured.
        return { status: 'warn', actual: newCode.percent, threshold: gate.min, reason: `${below}; a warning, not a failure: ${plural(newCode.total, 'coverable new line')}, fewer than minLines ${formatCount(gate.minLines)}` };
      }
      return { status: 'fail', actual: newCode.percent, threshold: gate.min, reason: below };
    }
    if (unmeasuredStatus) {
      return { status: unmeasuredStatus, actual: newCode.percent, threshold: gate.min, reason: `${measured}, but ${unmeasuredNote}` };
    }
    return { status: 'pass', actual: newCode.percent, threshold: gate.min, reason: `${measured}, at least ${formatPercent(gate.min)}` };
}

/** The gate's words: the headline names the figure, the counts, the bar when it failed, and where to act. */
export function describeNewCodeCoverageGate(gate: GateResult, result: QgateResult): GateWording {
  const title = 'New-code coverage';
  const newCode = result.coverage?.newCode;
  const scope = 'added or changed lines of source files (test and excluded files are not counted)';
  if (result.diff.baseUnknown !== undefined) {
    const text = 'inconclusive: no base commit could be established';
    return { title, headline: text, result: text, versusTarget: null, scope, notRun: null };
  }
  if (!newCode) return missingInput(title, 'coverage report', gate);
  const unmeasured = newCode.unmeasuredFiles.length;
  const unmeasuredNote = unmeasured > 0 ? `; ${plural(unmeasured, 'changed source file')} in no coverage report` : '';
  const evidence = result.coverage?.evidence;
  if (evidence !== undefined && evidence.missing.length > 0) {
    const text = `incomplete evidence: ${missingShards(evidence)}`;
    return { title, headline: text, result: text, versusTarget: null, scope, notRun: null };
  }
  if (newCode.total === 0) {
    const why = result.diff.changedFiles === 0 ? 'the MR changes no file' : 'no coverable new line';
    return { title, headline: `${why} — nothing to measure${unmeasuredNote}`, result: `${why}${unmeasuredNote}`, versusTarget: null, scope, notRun: notRunBecause(gate, true) };
  }
  const percent = formatPercentOf(newCode.covered, newCode.total);
  const bar = needs(gate, formatPercent(gate.threshold ?? 0));
  const missing = newCode.total - newCode.covered;
  const files = newCode.files.filter((file) => file.uncoveredLines.length > 0);
  const where = files.length === 1 ? files[0]!.path : `${formatCount(files.length)} files`;
  const toCover = missing > 0 ? `; ${plural(missing, 'line')} to cover in ${where}` : '';
  return {
    title,
    headline: `${percent} of new lines covered (${formatCount(newCode.covered)} of ${formatCount(newCode.total)})${bar}${toCover}`,
    result: `${percent} (${formatCount(newCode.covered)} of ${plural(newCode.total, 'new line')})${bar}${unmeasuredNote}`,
    versusTarget: null,
    scope,
    notRun: null,
  };
}
