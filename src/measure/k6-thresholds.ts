/**
 * k6 threshold expressions (https://grafana.com/docs/k6/latest/using-k6/thresholds/): parsed
 * and evaluated exactly as k6 does (grafana/k6 `metrics/thresholds_parser.go` and
 * `metrics/thresholds.go`), so a threshold qgate evaluates means what it means in the script.
 *
 * ```
 * assertion          -> aggregation_method whitespace* operator whitespace* float
 * aggregation_method -> counter: "count" | "rate"; gauge: "value"; rate: "rate";
 *                       trend: "avg" | "min" | "max" | "med" | "p(" float ")"
 * operator           -> ">" | ">=" | "<=" | "<" | "==" | "===" | "!="
 * ```
 * k6 finds the operator by trying `<=`, `<`, `>=`, `>`, `===`, `==`, `!=` in that order and
 * splitting at the first occurrence, then trims both sides; so `p(90) < 400` is valid while
 * `p( 90 )<400` is not. Percentile statistics are keyed `p(%g)`: `p(95.0)` reads `p(95)`.
 *
 * Verdicts: where the file carries k6's own (summary export, handleSummary) it is taken as is —
 * k6 had every sample, qgate may only have a summary. Thresholds without a verdict (`--out json`
 * streams) and the extra ones from qgate's config are evaluated here on the run's values.
 */
import type {
  FailedThreshold,
  K6Metric,
  K6MetricType,
  K6Run,
  PerformanceThresholds,
  ThresholdSource,
  UnevaluatedThreshold,
} from '../model/performance.js';
import { canonicalMetricName } from '../inputs/perf/k6-metric-name.js';

export type K6ThresholdOperator = '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';
export type K6Aggregation = 'avg' | 'min' | 'max' | 'med' | 'count' | 'rate' | 'value' | 'p';

/** A parsed threshold expression. */
export interface K6ThresholdExpression {
  /** The expression as written. */
  source: string;
  aggregation: K6Aggregation;
  /** The percentile of a `p(N)` aggregation (e.g. 99.9); null otherwise. */
  percentile: number | null;
  operator: K6ThresholdOperator;
  value: number;
  /** The key of the tested statistic in `K6Metric.values`: `p(95)`, `avg`, `rate`, ... */
  statKey: string;
}

export type ParsedThreshold = { ok: true; expression: K6ThresholdExpression } | { ok: false; error: string };

/** Longer operators first, as in k6: `<` must not match the start of `<=`. */
const OPERATORS: readonly K6ThresholdOperator[] = ['<=', '<', '>=', '>', '===', '==', '!='];
const KEYWORDS = new Set<K6Aggregation>(['value', 'count', 'rate', 'avg', 'min', 'med', 'max']);
const FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The aggregation methods k6 accepts per metric type (it refuses a script that mixes them up). */
export const AGGREGATIONS_BY_TYPE: Readonly<Record<K6MetricType, readonly string[]>> = {
  counter: ['count', 'rate'],
  gauge: ['value'],
  rate: ['rate'],
  trend: ['avg', 'min', 'max', 'med', 'p(N)'],
};

/** Parses one expression the way k6 does; the error is a phrase for a message. */
export function parseK6Threshold(source: string): ParsedThreshold {
  for (const operator of OPERATORS) {
    const at = source.indexOf(operator);
    if (at === -1) continue;
    const method = source.slice(0, at).trim();
    const rawValue = source.slice(at + operator.length).trim();
    if (!FLOAT.test(rawValue)) {
      return { ok: false, error: `the right-hand side ${JSON.stringify(rawValue)} is not a number` };
    }
    const value = Number(rawValue);
    if (KEYWORDS.has(method as K6Aggregation)) {
      return { ok: true, expression: { source, aggregation: method as K6Aggregation, percentile: null, operator, value, statKey: method } };
    }
    if (method.startsWith('p(') && method.endsWith(')')) {
      const inner = method.slice(2, -1);
      if (!FLOAT.test(inner)) return { ok: false, error: `the percentile ${JSON.stringify(method)} is not p(<number>)` };
      const percentile = Number(inner);
      return { ok: true, expression: { source, aggregation: 'p', percentile, operator, value, statKey: `p(${String(percentile)})` } };
    }
    return {
      ok: false,
      error: `${JSON.stringify(method)} is not a k6 aggregation method (avg, min, max, med, p(N), count, rate, value)`,
    };
  }
  return { ok: false, error: 'it has no comparison operator (<, <=, >, >=, ==, ===, !=)' };
}

/** Null when `expression` is a valid k6 threshold; otherwise why not (for config validation). */
export function validateK6Threshold(expression: string): string | null {
  const parsed = parseK6Threshold(expression);
  return parsed.ok ? null : parsed.error;
}

function supports(type: K6MetricType, aggregation: K6Aggregation): boolean {
  return AGGREGATIONS_BY_TYPE[type].includes(aggregation === 'p' ? 'p(N)' : aggregation);
}

function compare(left: number, operator: K6ThresholdOperator, right: number): boolean {
  switch (operator) {
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    case '==':
    case '===':
      return left === right;
    case '!=':
      return left !== right;
  }
}

/** The value a statistic has in `values`; med and p(50) are the same statistic in k6 (`P(0.5)`). */
export function statValue(values: Record<string, number>, statKey: string): number | null {
  const direct = values[statKey];
  if (direct !== undefined) return direct;
  if (statKey === 'p(50)') return values.med ?? null;
  if (statKey === 'med') return values['p(50)'] ?? null;
  return null;
}

/** True when the metric is known to have had no samples (k6 then reports zeros that mean nothing). */
function hasNoSamples(metric: K6Metric): boolean {
  if (metric.type === 'rate') return metric.values.passes === 0 && metric.values.fails === 0;
  if (metric.type === 'trend') return metric.values.count === 0;
  if (metric.type === 'gauge') return metric.values.value === undefined;
  return false;
}

export interface ThresholdEvaluation {
  /** true = passed, false = failed, null = cannot be evaluated (see `reason`). */
  ok: boolean | null;
  /** The statistic's value, when the metric has it. */
  actual: number | null;
  /** Why the threshold could not be evaluated; null when it was. */
  reason: string | null;
}

/**
 * Evaluates one expression on a metric's values, the way k6 evaluates it on its sinks.
 * A metric without samples is not evaluated: k6 reports zeros for it, and a threshold passing on
 * zeros is "no data" passing by accident.
 */
export function evaluateK6Threshold(metric: K6Metric, expression: string): ThresholdEvaluation {
  const parsed = parseK6Threshold(expression);
  if (!parsed.ok) return { ok: null, actual: null, reason: `not a k6 threshold expression: ${parsed.error}` };
  const { aggregation, statKey, operator, value, percentile } = parsed.expression;
  if (!supports(metric.type, aggregation)) {
    return {
      ok: null,
      actual: null,
      reason: `k6 does not apply ${statKey} to a ${metric.type} metric (it supports ${AGGREGATIONS_BY_TYPE[metric.type].join(', ')})`,
    };
  }
  if (percentile !== null && (percentile < 0 || percentile > 100)) {
    return { ok: null, actual: null, reason: `the percentile ${percentile} is outside 0–100` };
  }
  if (hasNoSamples(metric)) return { ok: null, actual: null, reason: 'the metric has no samples' };
  const actual = statValue(metric.values, statKey);
  if (actual === null) return { ok: null, actual: null, reason: `${statKey} is not among the metric's values` };
  return { ok: compare(actual, operator, value), actual, reason: null };
}

/** Expressions compared without spaces: `p(90) < 400` in the script and `p(90)<400` in the config are one threshold. */
function sameExpression(a: string, b: string): boolean {
  return a.replace(/\s+/g, '') === b.replace(/\s+/g, '');
}

function findMetric(run: K6Run, name: string): K6Metric | undefined {
  const exact = run.metrics.find((metric) => metric.name === name);
  if (exact) return exact;
  const canonical = canonicalMetricName(name);
  return run.metrics.find((metric) => canonicalMetricName(metric.name) === canonical);
}

/**
 * Every threshold of the run (k6's verdict where the file has one, qgate's evaluation where it
 * has none) plus the extra thresholds from qgate's config, evaluated on the run's values. An
 * extra threshold identical to one the script already defines on the same metric is not counted
 * twice. Thresholds nobody can decide are listed as unevaluated, never counted as passed.
 */
export function judgeK6Thresholds(run: K6Run, extraThresholds: Record<string, string[]> = {}): PerformanceThresholds {
  let total = 0;
  const failedList: FailedThreshold[] = [];
  const unevaluated: UnevaluatedThreshold[] = [];
  const record = (metric: string, expression: string, source: ThresholdSource, evaluation: ThresholdEvaluation, verdictBy: 'k6' | 'qgate'): void => {
    total++;
    if (evaluation.ok === false) failedList.push({ metric, expression, source, verdictBy, actual: evaluation.actual });
    else if (evaluation.ok === null) unevaluated.push({ metric, expression, source, reason: evaluation.reason ?? 'no verdict' });
  };
  for (const metric of run.metrics) {
    for (const threshold of metric.thresholds) {
      if (threshold.ok !== null) {
        // k6's verdict stands; the value is looked up only to show it.
        const parsed = parseK6Threshold(threshold.expression);
        const actual = parsed.ok ? statValue(metric.values, parsed.expression.statKey) : null;
        record(metric.name, threshold.expression, 'k6', { ok: threshold.ok, actual, reason: null }, 'k6');
      } else {
        record(metric.name, threshold.expression, 'k6', evaluateK6Threshold(metric, threshold.expression), 'qgate');
      }
    }
  }
  for (const [name, expressions] of Object.entries(extraThresholds)) {
    const metric = findMetric(run, name);
    for (const expression of expressions) {
      if (metric?.thresholds.some((threshold) => sameExpression(threshold.expression, expression))) continue;
      const evaluation: ThresholdEvaluation = metric
        ? evaluateK6Threshold(metric, expression)
        : { ok: null, actual: null, reason: `the run has no metric ${JSON.stringify(name)}` };
      record(metric?.name ?? name, expression, 'qgate', evaluation, 'qgate');
    }
  }
  return { total, failed: failedList.length, failedList, unevaluated };
}
