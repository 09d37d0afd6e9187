/**
 * k6 load-test evidence as plain data: what the parsers hand over (`K6Run`) and the
 * `performance` section of `result.json` (`PerformanceResult`). Every k6 output format
 * (summary export, handleSummary data, the machine-readable summary, `--out json` streams)
 * is normalised to the same `K6Run`, so a baseline in one format compares with a run in another.
 */
/** The k6 outputs qgate reads. */
/** `qgate-result`: the tracked statistics of a previous qgate run's result.json (the target branch's baseline). */
export type K6Format = 'k6-summary-export' | 'k6-handle-summary' | 'k6-ndjson' | 'k6-machine-readable' | 'qgate-result';

/** k6's four metric types (https://grafana.com/docs/k6/latest/using-k6/metrics/). */
export type K6MetricType = 'trend' | 'counter' | 'rate' | 'gauge';

/**
 * What a metric's numbers are: `time` (milliseconds), `data` (bytes) or `default` (plain numbers).
 * null when the format does not say (`--summary-export` has no `contains` and the metric is not a
 * k6 built-in).
 */
export type K6ValueKind = 'time' | 'data' | 'default';

/** One threshold of one metric, as the test script (or qgate's config) wrote it. */
export interface K6Threshold {
  /** The expression exactly as written, e.g. `p(95)<500` or `p(90) < 400`. */
  expression: string;
  /**
   * k6's own verdict: true = passed, false = failed. null = the file holds no verdict
   * (`--out json` streams never do); qgate then evaluates the expression itself.
   */
  ok: boolean | null;
}

/** One metric or tagged sub-metric of a k6 run, with the statistics k6 (or qgate) computed. */
export interface K6Metric {
  /** The metric name, including a sub-metric selector: `http_req_duration{expected_response:true}`. */
  name: string;
  type: K6MetricType;
  contains: K6ValueKind | null;
  /**
   * The statistics, keyed as k6 keys them:
   * - trend: `avg`, `min`, `med`, `max`, `p(90)`, `p(95)`, `p(99)`, ... (whatever summaryTrendStats
   *   asked for; `count` when known);
   * - rate: `rate`, `passes`, `fails` — `passes` counts the non-zero samples, so for
   *   `http_req_failed` it is the number of FAILED requests;
   * - counter: `count`, `rate` (per second);
   * - gauge: `value` (the last sample), `min`, `max`.
   * A statistic the source does not give is absent, never 0.
   */
  values: Record<string, number>;
  thresholds: K6Threshold[];
}

/** The shape of the load, used to decide whether two runs can be compared like for like. */
export interface K6LoadProfile {
  /** Peak number of VUs (`vus_max`); null when the run does not say. */
  vusMax: number | null;
  /** Completed iterations (`iterations` count); null when the run does not say. */
  iterations: number | null;
  /** Test run duration in milliseconds; null when the run does not say. */
  durationMs: number | null;
}

/** One k6 run as read from one file. */
export interface K6Run {
  format: K6Format;
  metrics: K6Metric[];
  loadProfile: K6LoadProfile;
  /** Non-fatal observations: skipped broken lines, points of undeclared metrics, ... */
  warnings: string[];
  /**
   * The relative error bound of percentiles qgate estimated itself (`--out json` streams go
   * through a quantile sketch); null when every value comes from k6.
   */
  quantileRelativeError: number | null;
  /**
   * The scenarios the run named, sorted; set on runs read back from a qgate result.json (which
   * keeps only tracked statistics, not the `{scenario:…}` sub-metrics they are read from).
   */
  scenarios?: string[];
}

/** Where a threshold was defined: in the k6 script (`k6`) or in qgate's `extraThresholds` (`qgate`). */
export type ThresholdSource = 'k6' | 'qgate';

/** A threshold that failed. */
export interface FailedThreshold {
  metric: string;
  expression: string;
  source: ThresholdSource;
  /** Who decided: k6 itself (a verdict in the file) or qgate (evaluated from the values). */
  verdictBy: 'k6' | 'qgate';
  /** The value the expression tested (e.g. the p(95)), when known. */
  actual: number | null;
}

/** A threshold nobody could decide: no verdict in the file and nothing qgate can evaluate it on. */
export interface UnevaluatedThreshold {
  metric: string;
  expression: string;
  source: ThresholdSource;
  /** Why, in a phrase: "the metric has no samples", "p(99) is not among the metric's values". */
  reason: string;
}

export interface PerformanceThresholds {
  /** Every threshold of the run plus every extra one from the config. */
  total: number;
  failed: number;
  failedList: FailedThreshold[];
  /** Thresholds with no verdict; never counted as passed. */
  unevaluated: UnevaluatedThreshold[];
}

/** Which way a statistic should move. */
export type PerformanceDirection = 'lower-is-better' | 'higher-is-better';

export type MetricComparisonStatus = 'pass' | 'regressed' | 'improved' | 'skip';

/** One tracked statistic, current versus baseline. */
export interface MetricComparison {
  metric: string;
  /** The statistic as k6 keys it: `p(95)`, `avg`, `rate`, `count`, `value`. */
  stat: string;
  current: number | null;
  baseline: number | null;
  /** (current − baseline) ÷ baseline × 100; null when either side is missing or the baseline is 0. */
  deltaPercent: number | null;
  /** current − baseline in the statistic's unit (ms for durations; 0.01 = one percentage point for rates). */
  deltaAbsolute: number | null;
  /** The change in words for messages: "+23.4%", "−3 points" (rates), "+12 ms" (when the baseline is 0); null when not compared. */
  deltaText: string | null;
  direction: PerformanceDirection;
  status: MetricComparisonStatus;
  /** The tolerance this statistic was held to, in words: "max +10%", "max +1 point". null when none is set. */
  limit: string | null;
  /** Why a statistic was skipped or not judged ("not in the baseline", "below the 5 noise floor"); null otherwise. */
  note: string | null;
}

export interface PerformanceComparison {
  /** False when no baseline run was given: the comparison is skipped, never failed. */
  baselineAvailable: boolean;
  /** False when the load profiles differ (see `reason`): regressions are reported but cannot fail the gate on their own. */
  likeForLike: boolean;
  /** Why the comparison is skipped or not like for like; null when it is neither. */
  reason: string | null;
  metrics: MetricComparison[];
}

/** What was read, for the report. */
export interface PerformanceRunSummary {
  format: K6Format;
  /** Metrics and sub-metrics in the run. 0 means the file held no measurements at all. */
  metricCount: number;
  loadProfile: K6LoadProfile;
  baselineFormat: K6Format | null;
  baselineLoadProfile: K6LoadProfile | null;
  /** The scenarios the run named (its `{scenario:…}` sub-metrics), so a later history can refuse another script. */
  scenarios?: string[];
  /** See `K6Run.quantileRelativeError` (the larger of current and baseline). */
  quantileRelativeError: number | null;
  warnings: string[];
}

/** The `performance` section of `result.json`. */
export interface PerformanceResult {
  run: PerformanceRunSummary;
  thresholds: PerformanceThresholds;
  comparison: PerformanceComparison;
  /**
   * The run against the last N default-branch runs (src/measure/perf-history.ts); when present
   * it decides the tracked statistics instead of `comparison`. Absent when no history was read.
   */
  history?: HistoryComparison | null;
}

// The k6 run against the default branch's history (`performance.history` in result.json): what
// was compared with what, the baseline range of every tracked statistic, the verdict, and for an
// inconclusive one why and what to do. Kept here, not in performance-history.ts, so the two
// modules do not import each other.

/** One baseline run with where it came from. */
export interface HistoryRun {
  run: K6Run;
  /** Commit SHA the run measured; null when unknown. */
  commit: string | null;
  /** When the run's pipeline ran, ISO 8601; null when unknown. */
  date: string | null;
  /** The pipeline or job it was read from, for the page ("pipeline 1234"); null when unknown. */
  source: string | null;
}

export type HistoryVerdict = 'pass' | 'regressed' | 'improved' | 'inconclusive';

export interface HistoryStatistic {
  metric: string;
  stat: string;
  direction: PerformanceDirection;
  current: number | null;
  /** The comparable baseline runs' values, oldest first (the sparkline's points). */
  values: number[];
  /** [min, max] and median of `values`; null when there are none. */
  range: { min: number; max: number; median: number } | null;
  /** The bound the current value had to cross to regress (the worst run widened by the tolerance); null when not judged. */
  regressionBound: number | null;
  status: HistoryVerdict;
  /** One sentence: why this verdict. */
  reason: string;
}

export interface RefusedRun {
  commit: string | null;
  date: string | null;
  source: string | null;
  reason: string;
}

export interface HistoryComparison {
  /** The verdict of the comparison as a whole: the worst of the statistics (regressed > inconclusive > improved > pass). */
  verdict: HistoryVerdict;
  /** Baseline runs compared with, oldest first. */
  compared: Array<{ commit: string | null; date: string | null; source: string | null }>;
  /** Baseline runs read but refused for comparison, with the reason. */
  refused: RefusedRun[];
  minRuns: number;
  statistics: HistoryStatistic[];
  /** Why the verdict is inconclusive; null otherwise. */
  inconclusiveReason: string | null;
  /** What the user can do about an inconclusive verdict; null otherwise. */
  whatToDo: string | null;
}

