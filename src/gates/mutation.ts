/**
 * `mutation`: the mutation score overall and on new code, each held to an optional minimum.
 *
 * Optional by default: mutation testing is slow and many projects do not run it, so a missing
 * report follows `onMissing` (default `skip`). When a report is given, "no data" stays
 * visible instead of passing by accident (Stryker itself compares `NaN < break`, which is
 * false, so a run with no valid mutant passes its own break threshold):
 * - no valid mutant at all, or none on new code → that part is "not applicable", never 100%;
 * - mutants still `Pending` mean the report was written before the run ended (Stryker.NET's
 *   real-time snapshot): the score is partial, so the gate warns at best.
 */
import type { MutationGateConfig } from '../config/types.js';
import type { GateStatus } from '../model/result.js';
import type { MutationCounts, MutationResult } from '../model/mutation.js';
import type { GateResult as GateResultData, QgateResult } from '../model/result.js';
import type { GateWording } from './gate.js';
import { formatCount, formatPercent, formatPercentOf } from '../text/number.js';
import { plural } from '../text/plural.js';
import { missingInput, notRunBecause } from './wording.js';

export type { MutationGateConfig };


export interface MutationGateOutcome {
  status: GateStatus;
  /**
   * The score that decided: the part that failed (new code first); otherwise the part held to a
   * minimum (new code first); otherwise the part that has a minimum but nothing to measure
   * (then null); with no minimum at all, the overall score (informational).
   */
  actual: number | null;
  /** The minimum `actual` was held to; null when that part has none. */
  threshold: number | null;
  /** One line: what was measured against what. */
  reason: string;
}

/** The gate's formula in one line, for the report. */
export const MUTATION_GATE_FORMULA = '(killed + timeout) ÷ (killed + timeout + survived + no coverage) ≥ min, overall and on new code';


/** "12 of 30 mutants detected (40%)". */
function describeScore(counts: MutationCounts): string {
  return `${counts.detected} of ${plural(counts.valid, 'valid mutant')} detected (${formatPercentOf(counts.detected, counts.valid)})`;
}

/** What the mutants of a part without a score were instead: "2 compile/runtime errors, 1 ignored". */
function describeInvalid(counts: MutationCounts): string {
  return [
    counts.errors > 0 ? `${counts.errors} compile/runtime error${counts.errors === 1 ? '' : 's'}` : '',
    counts.ignored > 0 ? `${counts.ignored} ignored` : '',
    counts.pending > 0 ? `${counts.pending} pending` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/**
 * The new-code sample in one phrase, timeouts apart from kills (a timeout counts as detected,
 * but it may be an infinite loop the test never asserted on): "12 mutants on new code: 10 killed,
 * 1 survived, 1 timeout".
 */
export function describeNewCodeSample(counts: MutationCounts): string {
  const parts = [`${counts.killed} killed`, `${counts.survived} survived`, `${counts.timeout} timeout`];
  if (counts.noCoverage > 0) parts.push(`${counts.noCoverage} without coverage`);
  if (counts.errors > 0) parts.push(`${counts.errors} compile/runtime error${counts.errors === 1 ? '' : 's'}`);
  if (counts.ignored > 0) parts.push(`${counts.ignored} ignored`);
  if (counts.pending > 0) parts.push(`${counts.pending} pending`);
  return `${plural(counts.total, 'mutant')} on new code: ${parts.join(', ')}`;
}

interface PartOutcome {
  checked: boolean;
  applicable: boolean;
  failed: boolean;
  actual: number | null;
  threshold: number | null;
  text: string;
}

/** One part (overall or new code) against its minimum; integer comparison so 60% of 5 is exactly 3. */
function judgePart(label: string, counts: MutationCounts, min: number | null, emptyWhy: string): PartOutcome {
  if (counts.valid === 0) {
    return { checked: min !== null, applicable: false, failed: false, actual: null, threshold: min, text: `${label}: not applicable, ${emptyWhy}` };
  }
  const measured = `${label}: ${describeScore(counts)}`;
  if (min === null) return { checked: false, applicable: true, failed: false, actual: counts.score, threshold: null, text: measured };
  const failed = counts.detected * 100 < min * counts.valid;
  return {
    checked: true,
    applicable: true,
    failed,
    actual: counts.score,
    threshold: min,
    text: `${measured}, ${failed ? 'below the minimum' : 'at least'} ${formatPercent(min)}`,
  };
}

/** Evaluates the mutation gate. Pure: the configuration and the measured result in, the outcome out. */
export function evaluateMutationGate(config: MutationGateConfig, mutation: MutationResult | null): MutationGateOutcome {
  const headlineMin = config.minNewCodeScore ?? config.minScore;
  if (!config.enabled) {
    return { status: 'skip', actual: null, threshold: null, reason: 'disabled in the configuration (gates.mutation.enabled: false)' };
  }
  if (mutation === null) {
    return {
      status: config.onMissing,
      actual: null,
      threshold: headlineMin,
      reason: `no mutation report was given (--mutation); onMissing is "${config.onMissing}"`,
    };
  }

  const overallWhy =
    mutation.total === 0 ? 'the report lists no mutant' : `none of its ${plural(mutation.total, 'mutant')} is valid (${describeInvalid(mutation)})`;
  const newCodeWhy =
    mutation.newCode.total === 0
      ? 'no mutant touches a changed line'
      : `none of the ${plural(mutation.newCode.total, 'mutant')} on changed lines is valid (${describeInvalid(mutation.newCode)})`;
  const overall = judgePart('overall', mutation, config.minScore, overallWhy);
  const newCode = judgePart('new code', mutation.newCode, config.minNewCodeScore, newCodeWhy);

  const notes: string[] = [];
  if (mutation.newCode.survivingTotal > 0) notes.push(`${plural(mutation.newCode.survivingTotal, 'surviving mutant')} on new code`);
  if (mutation.pending > 0) notes.push(`${plural(mutation.pending, 'mutant')} still pending: the report was written before the run ended, scores are partial`);
  if (mutation.unresolvedFiles.length > 0) {
    notes.push(`${plural(mutation.unresolvedFiles.length, 'reported file')} not found in the repository (their mutants cannot be matched to changed lines)`);
  }
  const sample = mutation.newCode.total > 0 ? [describeNewCodeSample(mutation.newCode)] : [];
  const minMutants = config.minMutants ?? null;
  // Too small a sample on new code: its score is shown but does not decide (it warns instead).
  const smallSample = minMutants !== null && newCode.checked && newCode.applicable && mutation.newCode.valid < minMutants;
  if (smallSample) {
    notes.unshift(
      `only ${plural(mutation.newCode.valid, 'valid mutant')} on new code, fewer than minMutants (${minMutants}): too small a sample to decide, so the new-code score warns instead`,
    );
  }
  const reason = [overall.text, newCode.text, ...sample, ...notes].join('; ');

  const failing = [smallSample ? null : newCode, overall].find((part) => part?.failed);
  if (failing) return { status: 'fail', actual: failing.actual, threshold: failing.threshold, reason };
  if (smallSample) return { status: 'warn', actual: newCode.actual, threshold: newCode.threshold, reason };

  // actual and threshold always come from one part: the one that was held to a minimum
  // (new code first), else the one that should have been but measured nothing (actual null —
  // so a skipped new-code check never shows the overall 100% as its value), else overall.
  const headline =
    [newCode, overall].find((part) => part.checked && part.applicable) ?? [newCode, overall].find((part) => part.checked) ?? overall;
  if (mutation.pending > 0) return { status: 'warn', actual: headline.actual, threshold: headline.threshold, reason };
  if (headline.checked && headline.applicable) {
    return { status: 'pass', actual: headline.actual, threshold: headline.threshold, reason };
  }
  // Nothing was held to a minimum: either none is set, or the parts that have one measured nothing.
  const why = headline.checked ? 'not applicable' : 'informational: no minimum set (minScore and minNewCodeScore are null)';
  return { status: 'skip', actual: headline.actual, threshold: headline.threshold, reason: `${why}; ${reason}` };
}

/** The gate's words: the score of the part that decided (new code first), its counts, and the bar only when it failed. */
export function describeMutationGate(gate: GateResultData, result: QgateResult): GateWording {
  const title = 'Mutation score';
  const m = result.mutation;
  if (!m) return missingInput(title, 'mutation report', gate);
  const onNewCode = m.newCode.valid > 0;
  const part = onNewCode ? m.newCode : m;
  if (part.valid === 0) {
    return { title, headline: 'no valid mutant to score', result: 'no valid mutant', versusTarget: null, scope: null, notRun: notRunBecause(gate, true) };
  }
  const bar = gate.status === 'fail' && gate.threshold !== null ? ` — needs ${formatPercent(gate.threshold)}` : '';
  const where = onNewCode ? 'new-code mutants' : 'mutants';
  const text = `${formatPercentOf(part.detected, part.valid)} of ${where} detected (${formatCount(part.detected)} of ${formatCount(part.valid)})${bar}`;
  return { title, headline: `mutation score ${text}`, result: text, versusTarget: null, scope: onNewCode ? 'mutants on added or changed lines' : 'every mutant in the report', notRun: null };
}
