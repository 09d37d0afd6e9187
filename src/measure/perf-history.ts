/**
 * A k6 run against a history of default-branch runs, not one run: single-run comparisons raise
 * false alarms because CI jobs drift by several percent between identical runs.
 *
 * The rule (docs/noise.md): a statistic is compared with the range [min, max] of the comparable
 * baseline runs. Lower-is-better: it REGRESSED when it is worse than the worst baseline run by
 * more than the tolerance (`maxIncreasePercent` of the worst value, or `maxIncreaseAbsolute`,
 * whichever the config sets; either broken is enough, as in the single-run comparison); it
 * IMPROVED when better than the best run by more than the same tolerance; otherwise it PASSES.
 * Higher-is-better mirrors it. So a change must exceed both the noise the history shows (the
 * range) and the configured tolerance. A change smaller than `minAbsoluteDelta` from the
 * median never regresses nor improves.
 *
 * INCONCLUSIVE: fewer than `minRuns` comparable runs. A baseline run is refused (not compared)
 * when it ran other scenarios (the `scenario:` tags of its sub-metrics differ: another script)
 * or another load (`loadProfileDifference`: VUs, or both iterations and duration). Pure.
 */
import type { K6Metric, K6Run } from '../model/performance.js';
import type { HistoryComparison, HistoryRun, HistoryStatistic, HistoryVerdict, RefusedRun } from '../model/performance-history.js';

export type { HistoryComparison, HistoryRun, HistoryStatistic, HistoryVerdict, RefusedRun } from '../model/performance-history.js';
import { canonicalMetricName } from '../inputs/perf/k6-metric-name.js';
import { statValue } from './k6-thresholds.js';
import type { PerformanceResult } from '../model/performance.js';
import { comparePerformance, directionOf, loadProfileDifference, type ComparePerformanceOptions, type TrackedMetric } from './perf-compare.js';

/** Default number of default-branch runs the baseline is read from. */
export const DEFAULT_HISTORY_RUNS = 5;
/** Default fewest comparable runs for a verdict. */
export const DEFAULT_MIN_HISTORY_RUNS = 3;

export interface CompareHistoryOptions {
  tracked: TrackedMetric[];
  minRuns?: number;
  loadTolerancePercent?: number;
}

/** The scenarios a run's sub-metrics name (`http_req_duration{scenario:browse}`), sorted. */
export function scenariosOf(run: K6Run): string[] | null {
  if (run.scenarios !== undefined) return [...run.scenarios].sort();
  // A result.json from before scenarios were recorded: unknown, not "none".
  if (run.format === 'qgate-result') return null;
  const names = new Set<string>();
  for (const metric of run.metrics) {
    for (const match of metric.name.matchAll(/[{,]\s*scenario\s*:\s*([^,}]+)/g)) names.add((match[1] as string).trim());
  }
  return [...names].sort();
}

function findMetric(run: K6Run, name: string): K6Metric | undefined {
  const canonical = canonicalMetricName(name);
  return run.metrics.find((metric) => metric.name === name) ?? run.metrics.find((metric) => canonicalMetricName(metric.name) === canonical);
}

function median(sorted: readonly number[]): number {
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The allowance above `reference` (in the statistic's unit) the tolerance grants; null when no tolerance is set. */
function allowance(reference: number, percent: number | undefined, absolute: number | undefined): number | null {
  const candidates: number[] = [];
  // Either limit broken is enough, so the allowance is the smaller of the two.
  if (percent !== undefined) candidates.push((Math.abs(reference) * percent) / 100);
  if (absolute !== undefined) candidates.push(absolute);
  return candidates.length > 0 ? Math.min(...candidates) : null;
}

const SEVERITY: Record<HistoryVerdict, number> = { pass: 0, improved: 1, inconclusive: 2, regressed: 3 };

function judgeStatistic(tracked: TrackedMetric, current: K6Run, runs: readonly K6Run[], minRuns: number): HistoryStatistic {
  const currentMetric = findMetric(current, tracked.metric);
  const direction = tracked.direction ?? directionOf(tracked.metric, tracked.stat, currentMetric?.type ?? null);
  const currentValue = currentMetric ? statValue(currentMetric.values, tracked.stat) : null;
  const values = runs.flatMap((run) => {
    const metric = findMetric(run, tracked.metric);
    const value = metric ? statValue(metric.values, tracked.stat) : null;
    return value === null ? [] : [value];
  });
  const sorted = [...values].sort((a, b) => a - b);
  const range = sorted.length > 0 ? { min: sorted[0] as number, max: sorted.at(-1) as number, median: median(sorted) } : null;
  const base = { metric: tracked.metric, stat: tracked.stat, direction, current: currentValue, values, range, regressionBound: null };
  const label = `${tracked.metric} ${tracked.stat}`;
  if (currentValue === null) return { ...base, status: 'inconclusive', reason: `${label} is not in the current run` };
  if (range === null || values.length < minRuns) {
    return { ...base, status: 'inconclusive', reason: `${label} is in ${values.length} comparable baseline run${values.length === 1 ? '' : 's'}, fewer than the ${minRuns} needed` };
  }
  const lowerIsBetter = direction === 'lower-is-better';
  const worst = lowerIsBetter ? range.max : range.min;
  const best = lowerIsBetter ? range.min : range.max;
  const percent = lowerIsBetter ? tracked.maxIncreasePercent : tracked.maxDecreasePercent;
  const absolute = lowerIsBetter ? tracked.maxIncreaseAbsolute : tracked.maxDecreaseAbsolute;
  const worstAllowance = allowance(worst, percent, absolute);
  if (worstAllowance === null) return { ...base, status: 'pass', reason: 'no tolerance set: shown, never judged' };
  const bound = lowerIsBetter ? worst + worstAllowance : worst - worstAllowance;
  if (tracked.minAbsoluteDelta !== undefined && Math.abs(currentValue - range.median) < tracked.minAbsoluteDelta) {
    return { ...base, regressionBound: bound, status: 'pass', reason: `within the noise floor (${tracked.minAbsoluteDelta}) of the baseline median ${range.median}` };
  }
  const bestAllowance = allowance(best, percent, absolute) as number;
  const rangeText = `the ${values.length} baseline runs' range ${range.min}–${range.max}`;
  if (lowerIsBetter ? currentValue > bound : currentValue < bound) {
    return { ...base, regressionBound: bound, status: 'regressed', reason: `${currentValue} is worse than ${rangeText} widened by the tolerance (bound ${bound})` };
  }
  if (lowerIsBetter ? currentValue < best - bestAllowance : currentValue > best + bestAllowance) {
    return { ...base, regressionBound: bound, status: 'improved', reason: `${currentValue} is better than ${rangeText} by more than the tolerance` };
  }
  return { ...base, regressionBound: bound, status: 'pass', reason: `${currentValue} is within ${rangeText} widened by the tolerance (bound ${bound})` };
}

/** Compares the current run with the baseline history (oldest first). */
export function compareWithHistory(current: K6Run, history: readonly HistoryRun[], options: CompareHistoryOptions): HistoryComparison {
  const minRuns = Math.max(1, options.minRuns ?? DEFAULT_MIN_HISTORY_RUNS);
  const scenarios = (scenariosOf(current) ?? []).join(', ');
  const comparable: HistoryRun[] = [];
  const refused: RefusedRun[] = [];
  for (const entry of history) {
    const known = scenariosOf(entry.run);
    const theirs = known === null ? scenarios : known.join(', ');
    const load = loadProfileDifference(current.loadProfile, entry.run.loadProfile, options.loadTolerancePercent ?? 10);
    const reason =
      theirs !== scenarios
        ? `it ran other scenarios (${theirs || 'none named'}) than this run (${scenarios || 'none named'}): another k6 script`
        : load !== null
          ? load.replace('in the baseline', 'in that run')
          : null;
    if (reason === null) comparable.push(entry);
    else refused.push({ commit: entry.commit, date: entry.date, source: entry.source, reason });
  }
  const statistics = options.tracked.map((tracked) =>
    judgeStatistic(
      tracked,
      current,
      comparable.map((entry) => entry.run),
      minRuns,
    ),
  );
  let inconclusiveReason: string | null = null;
  let whatToDo: string | null = null;
  if (comparable.length < minRuns) {
    inconclusiveReason =
      history.length === 0
        ? 'no baseline run was found on the default branch'
        : `${comparable.length} of the ${history.length} baseline run${history.length === 1 ? '' : 's'} ${comparable.length === 1 ? 'is' : 'are'} comparable, fewer than the ${minRuns} needed` +
          (refused.length > 0 ? ` (${refused.length} refused: ${refused.map((run) => run.reason).join('; ')})` : '');
    whatToDo =
      refused.length > 0
        ? 'Run the same k6 script with the same load on the default branch until enough comparable runs exist, or lower minRuns.'
        : 'Let the default branch run the k6 job (and keep its results as artifacts) a few more times, or lower minRuns.';
  }
  const verdict =
    inconclusiveReason !== null ? 'inconclusive' : statistics.reduce<HistoryVerdict>((worst, stat) => (SEVERITY[stat.status] > SEVERITY[worst] ? stat.status : worst), 'pass');
  if (verdict === 'inconclusive' && inconclusiveReason === null) {
    inconclusiveReason = statistics.filter((stat) => stat.status === 'inconclusive').map((stat) => stat.reason).join('; ');
    whatToDo = 'Check that the tracked metrics and statistics exist in the k6 summary of both branches (summaryTrendStats).';
  }
  return {
    verdict,
    compared: comparable.map(({ commit, date, source }) => ({ commit, date, source })),
    refused,
    minRuns,
    statistics,
    inconclusiveReason,
    whatToDo,
  };
}

/**
 * `comparePerformance`, plus the comparison against the default-branch history when one was
 * read (`performance.history`). A baseline file the user named (`--k6-baseline`) wins: then no
 * history is used.
 */
export function comparePerformanceWithHistory(
  current: K6Run,
  baseline: K6Run | null,
  history: readonly HistoryRun[] | null | undefined,
  options: ComparePerformanceOptions & { userBaseline: boolean; minRuns?: number },
): PerformanceResult {
  const compared = comparePerformance(current, baseline, options);
  const result: PerformanceResult = { ...compared, run: { ...compared.run, scenarios: scenariosOf(current) ?? [] } };
  if (options.userBaseline || history === null || history === undefined || history.length === 0) return result;
  return { ...result, history: compareWithHistory(current, history, { tracked: options.tracked, ...(options.minRuns !== undefined ? { minRuns: options.minRuns } : {}), ...(options.loadTolerancePercent !== undefined ? { loadTolerancePercent: options.loadTolerancePercent } : {}) }) };
}
