/**
 * k6 `--summary-export` JSON: the legacy flat summary
 * (https://grafana.com/docs/k6/latest/results-output/end-of-test/export-summaries/ — deprecated
 * in favour of handleSummary, still written by every k6 release).
 *
 * `{root_group, metrics}`; each metric's statistics sit directly on it, with no `type`,
 * `contains` or `values` wrapper, so the type is inferred from which statistics are present:
 * trend `{avg, min, med, max, p(N)..., count?}`, counter `{count, rate}`, gauge `{value, min, max}`,
 * rate `{passes, fails, value}`. A rate's fraction is called `value` here; qgate names it `rate`
 * as every other k6 output does.
 *
 * Thresholds are `{"<expression>": boolean}` where **true means the threshold FAILED** — the
 * opposite polarity of handleSummary's `{ok}` (k6 writes `Threshold.LastFailed`; see
 * `k6__Sweet-Poision_rate-limiter__k6-summary.json`: p(95)=269 ms with `"p(95)<50": true`).
 */
import { QgateError } from '../../errors.js';
import type { K6Metric, K6MetricType, K6Run, K6Threshold } from '../../model/performance.js';
import { describeJsonValue, isJsonObject, readJsonDocument } from '../json-document.js';
import {
  builtInContains,
  durationFromCounters,
  loadProfileOf,
  requireNumber,
  SHAPE_HINT,
  sortMetrics,
} from './k6-summary-common.js';
import type { K6Parser } from './parser.js';

const FORMAT = 'k6-summary-export';

/** Trend statistics k6 can write (summaryTrendStats): avg, min, med, max, count and p(N). */
function isTrendStat(key: string): boolean {
  return key === 'avg' || key === 'med' || key === 'min' || key === 'max' || key === 'count' || /^p\(\d+(\.\d+)?\)$/.test(key);
}

/** Infers the metric type from its statistics; null when they fit no type. */
function inferType(keys: string[]): K6MetricType | null {
  const has = (key: string): boolean => keys.includes(key);
  if (has('passes') && has('fails')) return 'rate';
  if (has('value') && keys.every((key) => key === 'value' || key === 'min' || key === 'max')) return 'gauge';
  if (has('count') && has('rate') && keys.length === 2) return 'counter';
  if (keys.length > 0 && keys.every(isTrendStat)) return 'trend';
  return null;
}

function readThresholds(name: string, raw: unknown, file: string): K6Threshold[] {
  if (raw === undefined) return [];
  if (!isJsonObject(raw)) {
    throw new QgateError(
      'INPUT_MALFORMED',
      `metric ${JSON.stringify(name)} has "thresholds" = ${describeJsonValue(raw)}; expected an object of expression: true|false.`,
      { file, format: FORMAT, hint: SHAPE_HINT },
    );
  }
  return Object.entries(raw).map(([expression, failed]) => {
    if (typeof failed !== 'boolean') {
      throw new QgateError(
        'INPUT_MALFORMED',
        `threshold ${JSON.stringify(expression)} of metric ${JSON.stringify(name)} is ${describeJsonValue(failed)}; --summary-export writes true (failed) or false (passed).`,
        { file, format: FORMAT, hint: SHAPE_HINT },
      );
    }
    // true = FAILED in --summary-export; flipped to handleSummary's `ok` polarity.
    return { expression, ok: !failed };
  });
}

function readMetric(name: string, raw: unknown, file: string, warnings: string[]): K6Metric | null {
  if (!isJsonObject(raw)) {
    throw new QgateError(
      'INPUT_MALFORMED',
      `metric ${JSON.stringify(name)} is ${describeJsonValue(raw)}; expected an object of statistics.`,
      { file, format: FORMAT, hint: SHAPE_HINT },
    );
  }
  if ('values' in raw && 'type' in raw) {
    throw new QgateError(
      'INPUT_MALFORMED',
      `metric ${JSON.stringify(name)} has "type" and "values": this is handleSummary data, not --summary-export.`,
      { file, format: FORMAT, hint: 'Let qgate detect the format (drop the forced format), or force k6-handle-summary.' },
    );
  }
  const statKeys = Object.keys(raw).filter((key) => key !== 'thresholds');
  const type = inferType(statKeys);
  if (type === null) {
    warnings.push(
      `metric ${JSON.stringify(name)} was skipped: its statistics (${statKeys.join(', ') || 'none'}) fit no k6 metric type.`,
    );
    return null;
  }
  const values: Record<string, number> = {};
  for (const key of statKeys) {
    const value = requireNumber(raw[key], name, key, file, FORMAT);
    values[type === 'rate' && key === 'value' ? 'rate' : key] = value;
  }
  return { name, type, contains: builtInContains(name), values, thresholds: readThresholds(name, raw.thresholds, file) };
}

/** Reads a parsed `--summary-export` document; exported for tests. */
export function readSummaryExport(document: unknown, file: string): K6Run {
  if (!isJsonObject(document) || !isJsonObject(document.metrics)) {
    const what = isJsonObject(document) ? `an object without a "metrics" object` : describeJsonValue(document);
    throw new QgateError('INPUT_MALFORMED', `is ${what}; a k6 --summary-export file is {"root_group": ..., "metrics": {...}}.`, {
      file,
      format: FORMAT,
      hint: SHAPE_HINT,
    });
  }
  const warnings: string[] = [];
  const metrics: K6Metric[] = [];
  for (const [name, raw] of Object.entries(document.metrics)) {
    const metric = readMetric(name, raw, file, warnings);
    if (metric) metrics.push(metric);
  }
  sortMetrics(metrics);
  return {
    format: FORMAT,
    metrics,
    // --summary-export has no state.testRunDurationMs: the duration is recovered from a counter's rate.
    loadProfile: loadProfileOf(metrics, durationFromCounters(metrics)),
    warnings,
    quantileRelativeError: null,
  };
}

export const k6SummaryExportParser: K6Parser = {
  format: FORMAT,
  label: 'k6 --summary-export JSON',
  sniff(head) {
    if (!head.trimStart().startsWith('{')) return false;
    // handleSummary data has typed metrics ("type": "trend", "values": {...}) and arrays for
    // root_group.groups; --summary-export has neither, and groups/checks keyed by name.
    if (/"values"\s*:\s*\{/.test(head) && /"type"\s*:\s*"(?:trend|counter|rate|gauge)"/.test(head)) return false;
    if (/"root_group"\s*:/.test(head) && /"groups"\s*:\s*\{/.test(head)) return true;
    return /"metrics"\s*:\s*\{/.test(head) && /"(?:avg|med|p\(\d+(?:\.\d+)?\)|passes|count)"\s*:\s*-?\d/.test(head);
  },
  async parse(chunks, file) {
    return readSummaryExport(await readJsonDocument(chunks, file, FORMAT), file);
  },
};
