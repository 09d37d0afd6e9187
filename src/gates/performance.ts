/**
 * `performance`: every k6 threshold passes, and no tracked statistic regresses beyond its
 * tolerance versus the baseline run. A missing baseline skips the comparison (and says so); it
 * never fails the gate. Regressions between runs under different load are reported as a warning,
 * never a failure on their own. Thresholds nobody could evaluate make the gate warn: no data is
 * never a pass by accident.
 */
import type { OnMissing } from '../config/types.js';
import type { MetricComparison, PerformanceResult } from '../model/performance.js';
import type { TrackedMetric } from '../measure/perf-compare.js';
import type { HistoryComparison, HistoryStatistic } from '../model/performance-history.js';
import type { GateResult, QgateResult } from '../model/result.js';
import type { GateWording } from './gate.js';
import { formatCount } from '../text/number.js';
import { plural } from '../text/plural.js';
import { missingInput, notRunBecause } from './wording.js';

/** The `gates.performance` section of the config. Defaults live in gates/default.yml. */
export interface PerformanceGateConfig {
  enabled: boolean;
  /** A failing blocking gate fails the job (exit 1); a non-blocking one only warns. */
  blocking: boolean;
  /** No k6 results given (or a file with no metrics at all). */
  onMissing: OnMissing;
  /** What a failed k6 threshold does: fail the gate, make it warn, or nothing. */
  thresholds: 'fail' | 'warn' | 'ignore';
  /** Statistics compared with the baseline run, each with its tolerance. */
  tracked: TrackedMetric[];
  /** Thresholds in k6's syntax added by qgate, by metric name: `{ "http_req_duration": ["p(99)<1500"] }`. */
  extraThresholds: Record<string, string[]>;
  /** A broken line in a k6 `--out json` stream: stop with an input error, or skip it and warn. */
  onBrokenLine: 'fail' | 'skip';
  /**
   * The default-branch history the tracked statistics are judged against (docs/noise.md): the last
   * `runs` results (1 = one baseline run, no history), a verdict only with at least `minRuns`
   * comparable ones. Absent = the defaults, 5 and 3.
   */
  history?: { runs: number; minRuns: number };
}

export interface PerformanceGateOutcome {
  status: 'pass' | 'warn' | 'fail' | 'skip';
  /** Problems found: failed k6 thresholds (unless `thresholds: ignore`) plus regressed tracked statistics. null when nothing was measured. */
  actual: number | null;
  /** The number of problems allowed: 0. null when nothing was measured. */
  threshold: number | null;
  /** One line: which thresholds failed, which statistics regressed, what was skipped. */
  reason: string;
}

const LISTED = 3;


/** `a, b, c and 2 more` */
function listSome(items: string[]): string {
  if (items.length <= LISTED) return items.join(', ');
  return `${items.slice(0, LISTED).join(', ')} and ${items.length - LISTED} more`;
}

function show(value: number): string {
  const digits = Math.abs(value) >= 100 ? 1 : Math.abs(value) >= 1 ? 2 : 4;
  return String(Math.round(value * 10 ** digits) / 10 ** digits);
}

function describeRegression(entry: MetricComparison): string {
  const limit = entry.limit ? ` (${entry.limit})` : '';
  return `${entry.metric} ${entry.stat} ${entry.deltaText ?? 'changed'} vs baseline${limit}`;
}

/** A statistic with its baseline range: "http_req_duration p(95) 260 (baseline 196–204, bound 224.4)". */
function describeAgainstRange(entry: HistoryStatistic): string {
  const range = entry.range ? ` (baseline ${show(entry.range.min)}–${show(entry.range.max)}${entry.regressionBound === null ? '' : `, bound ${show(entry.regressionBound)}`})` : '';
  return `${entry.metric} ${entry.stat} ${entry.current === null ? 'n/a' : show(entry.current)}${range}`;
}

/** The history's verdict as gate problems and notes; inconclusive never fails, it is said. */
function judgeHistory(history: HistoryComparison): { problems: number; failures: string[]; notes: string[] } {
  const runs = `${plural(history.compared.length, 'default-branch run')}`;
  if (history.verdict === 'inconclusive') {
    return { problems: 0, failures: [], notes: [`against the history: inconclusive, ${history.inconclusiveReason ?? 'not enough comparable runs'}`] };
  }
  const regressed = history.statistics.filter((entry) => entry.status === 'regressed');
  const improved = history.statistics.filter((entry) => entry.status === 'improved');
  const notes: string[] = [];
  if (regressed.length === 0) notes.push(`no tracked metric regressed against the last ${runs}`);
  if (improved.length > 0) notes.push(`improved: ${listSome(improved.map(describeAgainstRange))}`);
  if (history.refused.length > 0) notes.push(`${plural(history.refused.length, 'baseline run')} refused (${history.refused[0]!.reason})`);
  const failures = regressed.length > 0 ? [`regressed against the last ${runs}: ${listSome(regressed.map(describeAgainstRange))}`] : [];
  return { problems: regressed.length, failures, notes };
}

/** Evaluates the gate on the performance section of the result. Pure. */
export function evaluatePerformanceGate(config: PerformanceGateConfig, perf: PerformanceResult | null): PerformanceGateOutcome {
  if (!config.enabled) return { status: 'skip', actual: null, threshold: null, reason: 'disabled in the config' };
  if (perf === null) {
    return { status: config.onMissing, actual: null, threshold: null, reason: `no k6 results were given; onMissing is "${config.onMissing}"` };
  }
  if (perf.run.metricCount === 0) {
    return {
      status: config.onMissing,
      actual: null,
      threshold: null,
      reason: `the k6 results (${perf.run.format}) hold no metrics; onMissing is "${config.onMissing}"`,
    };
  }
  const failures: string[] = [];
  const warnings: string[] = [];
  const notes: string[] = [];
  let problems = 0;

  const { thresholds } = perf;
  const evaluated = thresholds.total - thresholds.unevaluated.length;
  if (config.thresholds === 'ignore') {
    if (thresholds.total > 0) notes.push(`k6 thresholds not judged (thresholds: ignore; ${thresholds.failed} of ${thresholds.total} failed)`);
  } else {
    if (thresholds.failed > 0) {
      problems += thresholds.failed;
      const which = thresholds.failedList.map((failed) => {
        const actual = failed.actual === null ? '' : ` (${show(failed.actual)})`;
        return `${failed.metric} ${failed.expression}${actual}`;
      });
      const text = `${thresholds.failed} of ${plural(thresholds.total, 'k6 threshold')} failed: ${listSome(which)}`;
      (config.thresholds === 'fail' ? failures : warnings).push(text);
    } else if (evaluated > 0) {
      if (evaluated < thresholds.total) notes.push(`${evaluated} of ${plural(thresholds.total, 'k6 threshold')} passed`);
      else notes.push(evaluated === 1 ? '1 k6 threshold passed' : `all ${evaluated} k6 thresholds passed`);
    }
    if (thresholds.unevaluated.length > 0) {
      const which = thresholds.unevaluated.map((entry) => `${entry.metric} ${entry.expression}: ${entry.reason}`);
      warnings.push(`${plural(thresholds.unevaluated.length, 'threshold')} could not be evaluated (${listSome(which)})`);
    }
    if (thresholds.total === 0) notes.push('no k6 thresholds defined');
  }

  const { comparison } = perf;
  if (perf.history) {
    // k6's thresholds above decided first; the history decides the tracked statistics.
    const history = judgeHistory(perf.history);
    problems += history.problems;
    failures.push(...history.failures);
    notes.push(...history.notes);
  } else if (!comparison.baselineAvailable) {
    if (config.tracked.length > 0) notes.push('no baseline: comparison skipped');
  } else {
    const regressed = comparison.metrics.filter((entry) => entry.status === 'regressed');
    const compared = comparison.metrics.filter((entry) => entry.status !== 'skip');
    const skipped = comparison.metrics.filter((entry) => entry.status === 'skip');
    if (regressed.length > 0) {
      problems += regressed.length;
      const text = listSome(regressed.map(describeRegression));
      if (comparison.likeForLike) failures.push(text);
      else warnings.push(`${text} — not failed: ${comparison.reason ?? 'the load profile differs'}`);
    } else if (compared.length > 0) {
      notes.push(`no tracked metric regressed (${compared.length} compared)`);
      if (!comparison.likeForLike && comparison.reason) notes.push(comparison.reason);
    }
    if (skipped.length > 0) {
      notes.push(`not compared: ${listSome(skipped.map((entry) => `${entry.metric} ${entry.stat} (${entry.note ?? 'missing'})`))}`);
    }
  }

  const status = failures.length > 0 ? 'fail' : warnings.length > 0 ? 'warn' : 'pass';
  return { status, actual: problems, threshold: 0, reason: [...failures, ...warnings, ...notes].join('; ') || 'nothing to judge' };
}

/** The gate's words: failed thresholds and regressed statistics; the change versus the baseline run in its own column. */
export function describePerformanceGate(gate: GateResult, result: QgateResult): GateWording {
  const title = 'Performance (k6)';
  const perf = result.performance;
  if (!perf || perf.run.metricCount === 0) return missingInput(title, 'k6 result', gate);
  const { thresholds, comparison } = perf;
  const regressed = comparison.metrics.filter((m) => m.status === 'regressed').length;
  const improved = comparison.metrics.filter((m) => m.status === 'improved').length;
  const parts = [thresholds.total === 0 ? 'no k6 threshold' : thresholds.failed === 0 ? `${plural(thresholds.total, 'k6 threshold')} passed` : `${formatCount(thresholds.failed)} of ${plural(thresholds.total, 'k6 threshold')} failed`];
  if (comparison.baselineAvailable) parts.push(`${plural(regressed, 'statistic')} regressed`);
  const versusTarget = !comparison.baselineAvailable ? 'no baseline' : `${formatCount(regressed)} regressed, ${formatCount(improved)} improved of ${formatCount(comparison.metrics.length)}`;
  const text = parts.join(', ');
  return { title, headline: `k6: ${text}`, result: text, versusTarget, scope: null, notRun: notRunBecause(gate, true) };
}
