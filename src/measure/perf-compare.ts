/**
 * The `performance` section of result.json: k6 thresholds (see k6-thresholds.ts) and the
 * tracked statistics of the current run versus a baseline run, each judged in its metric's
 * direction with a relative and/or absolute tolerance and a noise floor.
 *
 * Runs under different load are not comparable: when the peak VUs differ by more than 10%, or
 * both the iteration count and the duration do, the comparison is flagged not like-for-like and
 * its regressions are reported but cannot fail the gate on their own. Only one of iterations and
 * duration differing is expected: a fixed-duration test completes fewer iterations when the
 * system slows down, and a fixed-iterations test takes longer — that is the regression itself,
 * not a different load.
 */
import type {
  K6LoadProfile,
  K6Metric,
  K6MetricType,
  K6Run,
  MetricComparison,
  PerformanceComparison,
  PerformanceDirection,
  PerformanceResult,
} from '../model/performance.js';
import { canonicalMetricName, parseMetricSelector } from '../inputs/perf/k6-metric-name.js';
import { judgeK6Thresholds, statValue } from './k6-thresholds.js';

/** One statistic compared against the baseline, with its tolerance. */
export interface TrackedMetric {
  /** Metric name, sub-metric selectors allowed: `http_req_duration{expected_response:true}`. */
  metric: string;
  /** Statistic as k6 keys it: `p(95)`, `avg`, `med`, `rate`, `count`, `value`. */
  stat: string;
  /** For lower-is-better statistics: the largest allowed increase, in percent of the baseline. */
  maxIncreasePercent?: number;
  /**
   * For lower-is-better statistics: the largest allowed increase in the statistic's unit
   * (ms for durations; for rates a fraction, so 0.01 = one percentage point).
   */
  maxIncreaseAbsolute?: number;
  /** For higher-is-better statistics: the largest allowed decrease, in percent of the baseline. */
  maxDecreasePercent?: number;
  /** For higher-is-better statistics: the largest allowed decrease in the statistic's unit (0.01 = one point of a rate). */
  maxDecreaseAbsolute?: number;
  /** Noise floor: a change smaller than this (in the statistic's unit) never regresses nor improves. */
  minAbsoluteDelta?: number;
  /** Overrides the direction qgate infers from the metric (see `directionOf`). */
  direction?: PerformanceDirection;
}

export interface ComparePerformanceOptions {
  tracked: TrackedMetric[];
  /** Extra thresholds in k6's syntax, by metric name, evaluated on the current run. */
  extraThresholds?: Record<string, string[]>;
  /** How far (percent) VUs, iterations and duration may differ for runs to count as like-for-like; default 10. */
  loadTolerancePercent?: number;
}

/** Rate and counter metrics where more is worse: failures, errors, dropped iterations. */
const BAD_WHEN_HIGH = /fail|error|dropped|timeout/i;

/**
 * Which way a statistic should move. Durations (every trend) and gauges: lower is better.
 * Rates: higher is better (`checks`, success rates) unless the name says failure or error
 * (`http_req_failed` — its rate is the share of FAILED requests). Counters: higher is better
 * (`http_reqs`, `iterations`: throughput) unless the name says failure, error or dropped.
 */
export function directionOf(metric: string, stat: string, type: K6MetricType | null): PerformanceDirection {
  const name = parseMetricSelector(metric)?.metric ?? metric;
  // Without the metric (missing on both sides) the statistic tells the kind; rates and counters share a rule.
  const kind: K6MetricType = type ?? (stat === 'rate' || stat === 'count' ? 'counter' : stat === 'value' ? 'gauge' : 'trend');
  if (kind === 'rate' || kind === 'counter') return BAD_WHEN_HIGH.test(name) ? 'lower-is-better' : 'higher-is-better';
  return 'lower-is-better';
}

function findMetric(run: K6Run | null, name: string): K6Metric | undefined {
  if (run === null) return undefined;
  const exact = run.metrics.find((metric) => metric.name === name);
  if (exact) return exact;
  const canonical = canonicalMetricName(name);
  return run.metrics.find((metric) => canonicalMetricName(metric.name) === canonical);
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** A number for a message: at most 4 significant decimals, no exponent for ordinary values. */
function show(value: number): string {
  return String(round(value, Math.abs(value) >= 100 ? 1 : Math.abs(value) >= 1 ? 2 : 4));
}

/** Formats an absolute amount of the statistic: "5 ms", "1 point" (rates are fractions: 0.01 = one point), "1024 B". */
function amountFormatter(metric: K6Metric | undefined, stat: string): (value: number) => string {
  if (metric?.type === 'rate' && stat === 'rate') {
    return (value) => {
      const points = show(value * 100);
      return `${points} point${points === '1' ? '' : 's'}`;
    };
  }
  if (metric?.contains === 'time' && stat !== 'count' && stat !== 'rate') return (value) => `${show(value)} ms`;
  if (metric?.contains === 'data' && stat === 'count') return (value) => `${show(value)} B`;
  return show;
}

/** The tolerance in words, e.g. "max +10%", "max +1 point", "max −5%". */
function limitText(tracked: TrackedMetric, direction: PerformanceDirection, amount: (value: number) => string): string | null {
  const parts: string[] = [];
  if (direction === 'lower-is-better') {
    if (tracked.maxIncreasePercent !== undefined) parts.push(`max +${show(tracked.maxIncreasePercent)}%`);
    if (tracked.maxIncreaseAbsolute !== undefined) parts.push(`max +${amount(tracked.maxIncreaseAbsolute)}`);
  } else {
    if (tracked.maxDecreasePercent !== undefined) parts.push(`max −${show(tracked.maxDecreasePercent)}%`);
    if (tracked.maxDecreaseAbsolute !== undefined) parts.push(`max −${amount(tracked.maxDecreaseAbsolute)}`);
  }
  return parts.length > 0 ? parts.join(', ') : null;
}

/** True when a change of `delta` (absolute, positive = the bad way) breaks one of the limits. */
function exceeds(worsening: number, baseline: number, percentLimit: number | undefined, absoluteLimit: number | undefined): boolean {
  if (absoluteLimit !== undefined && worsening > absoluteLimit) return true;
  if (percentLimit !== undefined) {
    if (baseline === 0) return worsening > 0; // any change from 0 is an infinite relative change
    if ((worsening / Math.abs(baseline)) * 100 > percentLimit) return true;
  }
  return false;
}

function compareOne(tracked: TrackedMetric, current: K6Run, baseline: K6Run | null): MetricComparison {
  const currentMetric = findMetric(current, tracked.metric);
  const baselineMetric = findMetric(baseline, tracked.metric);
  const direction = tracked.direction ?? directionOf(tracked.metric, tracked.stat, currentMetric?.type ?? baselineMetric?.type ?? null);
  const amount = amountFormatter(currentMetric ?? baselineMetric, tracked.stat);
  const limit = limitText(tracked, direction, amount);
  const currentValue = currentMetric ? statValue(currentMetric.values, tracked.stat) : null;
  const baselineValue = baselineMetric ? statValue(baselineMetric.values, tracked.stat) : null;
  const base: MetricComparison = {
    metric: tracked.metric,
    stat: tracked.stat,
    current: currentValue,
    baseline: baselineValue,
    deltaPercent: null,
    deltaAbsolute: null,
    deltaText: null,
    direction,
    status: 'skip',
    limit,
    note: null,
  };
  if (baseline === null) return { ...base, note: 'no baseline' };
  if (currentValue === null) {
    return { ...base, note: currentMetric ? `${tracked.stat} is not among the current run's values` : 'not in the current run' };
  }
  if (baselineValue === null) {
    return { ...base, note: baselineMetric ? `${tracked.stat} is not among the baseline's values` : 'not in the baseline' };
  }
  const deltaAbsolute = currentValue - baselineValue;
  const deltaPercent = baselineValue !== 0 ? round((deltaAbsolute / Math.abs(baselineValue)) * 100, 2) : deltaAbsolute === 0 ? 0 : null;
  const isRate = (currentMetric ?? baselineMetric)?.type === 'rate' && tracked.stat === 'rate';
  const sign = deltaAbsolute < 0 ? '−' : '+';
  const deltaText = isRate || deltaPercent === null ? `${sign}${amount(Math.abs(deltaAbsolute))}` : `${sign}${show(Math.abs(deltaPercent))}%`;
  const compared = { ...base, deltaAbsolute, deltaPercent, deltaText };
  if (tracked.minAbsoluteDelta !== undefined && Math.abs(deltaAbsolute) < tracked.minAbsoluteDelta) {
    return { ...compared, status: 'pass', note: `within the noise floor of ${amount(tracked.minAbsoluteDelta)}` };
  }
  if (limit === null) return { ...compared, status: 'pass', note: 'no tolerance set: shown, never judged' };
  const lowerIsBetter = direction === 'lower-is-better';
  const percentLimit = lowerIsBetter ? tracked.maxIncreasePercent : tracked.maxDecreasePercent;
  const absoluteLimit = lowerIsBetter ? tracked.maxIncreaseAbsolute : tracked.maxDecreaseAbsolute;
  const worsening = lowerIsBetter ? deltaAbsolute : -deltaAbsolute;
  if (exceeds(worsening, baselineValue, percentLimit, absoluteLimit)) {
    return { ...compared, status: 'regressed', note: baselineValue === 0 && deltaPercent === null ? 'the baseline was 0' : null };
  }
  // Improved: better by more than the same tolerance would allow the other way.
  if (exceeds(-worsening, baselineValue, percentLimit, absoluteLimit)) return { ...compared, status: 'improved' };
  return { ...compared, status: 'pass' };
}

function differs(current: number | null, baseline: number | null, tolerancePercent: number): boolean {
  if (current === null || baseline === null) return false;
  if (baseline === 0) return current !== 0;
  return (Math.abs(current - baseline) / Math.abs(baseline)) * 100 > tolerancePercent;
}

function seconds(ms: number): string {
  return `${show(ms / 1000)} s`;
}

/** Why two load profiles are not comparable; null when they are. */
export function loadProfileDifference(current: K6LoadProfile, baseline: K6LoadProfile, tolerancePercent = 10): string | null {
  const reasons: string[] = [];
  if (differs(current.vusMax, baseline.vusMax, tolerancePercent)) {
    reasons.push(`vus_max ${show(current.vusMax as number)} vs ${show(baseline.vusMax as number)} in the baseline`);
  }
  if (differs(current.iterations, baseline.iterations, tolerancePercent) && differs(current.durationMs, baseline.durationMs, tolerancePercent)) {
    reasons.push(
      `iterations ${show(current.iterations as number)} vs ${show(baseline.iterations as number)} and duration ${seconds(current.durationMs as number)} vs ${seconds(baseline.durationMs as number)}`,
    );
  }
  return reasons.length > 0 ? `the load profile differs by more than ±${show(tolerancePercent)}%: ${reasons.join('; ')}` : null;
}

/**
 * Builds the `performance` section: the current run's thresholds and, when a baseline run is
 * given, every tracked statistic compared with it. Pure.
 */
export function comparePerformance(current: K6Run, baseline: K6Run | null, options: ComparePerformanceOptions): PerformanceResult {
  const thresholds = judgeK6Thresholds(current, options.extraThresholds ?? {});
  const metrics = options.tracked.map((tracked) => compareOne(tracked, current, baseline));
  let comparison: PerformanceComparison;
  if (baseline === null) {
    comparison = { baselineAvailable: false, likeForLike: false, reason: 'no baseline run was given; comparison skipped', metrics };
  } else {
    const difference = loadProfileDifference(current.loadProfile, baseline.loadProfile, options.loadTolerancePercent ?? 10);
    comparison = { baselineAvailable: true, likeForLike: difference === null, reason: difference, metrics };
  }
  const errors = [current.quantileRelativeError, baseline?.quantileRelativeError ?? null].filter((value): value is number => value !== null);
  return {
    run: {
      format: current.format,
      metricCount: current.metrics.length,
      loadProfile: current.loadProfile,
      baselineFormat: baseline?.format ?? null,
      baselineLoadProfile: baseline?.loadProfile ?? null,
      quantileRelativeError: errors.length > 0 ? Math.max(...errors) : null,
      warnings: [...current.warnings, ...(baseline?.warnings ?? []).map((warning) => `baseline: ${warning}`)],
    },
    thresholds,
    comparison,
  };
}
