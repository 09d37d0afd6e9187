/**
 * k6 `handleSummary` data: the object k6 passes to `export function handleSummary(data)`,
 * written with `JSON.stringify(data)` (https://grafana.com/docs/k6/latest/results-output/end-of-test/custom-summary/).
 *
 * `{root_group, options, state, metrics, setup_data?}` in any key order. Each metric is
 * `{type, contains, values, thresholds?}` with thresholds `{"<expression>": {ok: boolean}}`,
 * where `ok: false` means FAILED (the opposite polarity of --summary-export's `true`).
 * k6 0.30–0.5x and 1.x (with the default summary) write the same shape; 1.x adds nothing
 * qgate reads, and unknown keys are ignored so later additions do not break the reader.
 *
 * Threshold expressions may name statistics absent from `values` (`p(99)<8000` while
 * summaryTrendStats has no p(99), `k6__mn1809…`): the verdict is taken from `ok`, never recomputed.
 */
import { QgateError } from '../../errors.js';
import type { K6Metric, K6MetricType, K6Run, K6Threshold, K6ValueKind } from '../../model/performance.js';
import { describeJsonValue, isJsonObject, readJsonDocument } from '../json-document.js';
import { durationFromCounters, loadProfileOf, requireNumber, SHAPE_HINT, sortMetrics } from './k6-summary-common.js';
import type { K6Parser } from './parser.js';

const FORMAT = 'k6-handle-summary';
const METRIC_TYPES: readonly K6MetricType[] = ['trend', 'counter', 'rate', 'gauge'];
const VALUE_KINDS: readonly K6ValueKind[] = ['time', 'data', 'default'];

function malformed(message: string, file: string): QgateError {
  return new QgateError('INPUT_MALFORMED', message, { file, format: FORMAT, hint: SHAPE_HINT });
}

function readThresholds(name: string, raw: unknown, file: string): K6Threshold[] {
  if (raw === undefined || raw === null) return [];
  if (!isJsonObject(raw)) {
    throw malformed(`metric ${JSON.stringify(name)} has "thresholds" = ${describeJsonValue(raw)}; expected an object of expression: {"ok": true|false}.`, file);
  }
  return Object.entries(raw).map(([expression, verdict]) => {
    if (isJsonObject(verdict) && typeof verdict.ok === 'boolean') return { expression, ok: verdict.ok };
    if (typeof verdict === 'boolean') {
      throw malformed(
        `threshold ${JSON.stringify(expression)} of metric ${JSON.stringify(name)} is a bare ${String(verdict)}: that is the --summary-export shape (true = failed), not handleSummary's {"ok": ...}.`,
        file,
      );
    }
    throw malformed(`threshold ${JSON.stringify(expression)} of metric ${JSON.stringify(name)} is ${describeJsonValue(verdict)}; expected {"ok": true|false}.`, file);
  });
}

function readMetric(name: string, raw: unknown, file: string): K6Metric {
  if (!isJsonObject(raw)) throw malformed(`metric ${JSON.stringify(name)} is ${describeJsonValue(raw)}; expected {type, contains, values}.`, file);
  const type = raw.type;
  if (typeof type !== 'string' || !(METRIC_TYPES as readonly string[]).includes(type)) {
    throw malformed(`metric ${JSON.stringify(name)} has "type" = ${describeJsonValue(type)}; expected trend, counter, rate or gauge.`, file);
  }
  if (!isJsonObject(raw.values)) {
    throw malformed(`metric ${JSON.stringify(name)} has "values" = ${describeJsonValue(raw.values)}; expected an object of statistics.`, file);
  }
  const contains = typeof raw.contains === 'string' && (VALUE_KINDS as readonly string[]).includes(raw.contains) ? (raw.contains as K6ValueKind) : null;
  const values: Record<string, number> = {};
  for (const [key, value] of Object.entries(raw.values)) values[key] = requireNumber(value, name, key, file, FORMAT);
  return { name, type: type as K6MetricType, contains, values, thresholds: readThresholds(name, raw.thresholds, file) };
}

/** Reads a parsed handleSummary document; exported for tests. */
export function readHandleSummary(document: unknown, file: string): K6Run {
  if (!isJsonObject(document) || !isJsonObject(document.metrics)) {
    const what = isJsonObject(document) ? 'an object without a "metrics" object' : describeJsonValue(document);
    throw malformed(`is ${what}; k6 handleSummary data is {"metrics": {...}, "state": {...}, "root_group": ...}.`, file);
  }
  const metrics = sortMetrics(Object.entries(document.metrics).map(([name, raw]) => readMetric(name, raw, file)));
  const warnings: string[] = [];
  const stated = isJsonObject(document.state) ? document.state.testRunDurationMs : undefined;
  let durationMs: number | null;
  if (typeof stated === 'number' && Number.isFinite(stated) && stated >= 0) {
    durationMs = stated;
  } else {
    durationMs = durationFromCounters(metrics);
    if (stated !== undefined) warnings.push(`state.testRunDurationMs is ${describeJsonValue(stated)}, not a duration; the duration was derived from a counter's rate.`);
  }
  return { format: FORMAT, metrics, loadProfile: loadProfileOf(metrics, durationMs), warnings, quantileRelativeError: null };
}

export const k6HandleSummaryParser: K6Parser = {
  format: FORMAT,
  label: 'k6 handleSummary JSON',
  sniff(head) {
    if (!head.trimStart().startsWith('{')) return false;
    if (/"values"\s*:\s*\{/.test(head) && /"type"\s*:\s*"(?:trend|counter|rate|gauge)"/.test(head)) return true;
    // A huge root_group can fill the head before the first metric: its arrays and the
    // state/options keys still tell handleSummary data apart.
    return /"testRunDurationMs"\s*:|"summaryTrendStats"\s*:/.test(head) || (/"root_group"\s*:/.test(head) && /"groups"\s*:\s*\[/.test(head));
  },
  async parse(chunks, file) {
    return readHandleSummary(await readJsonDocument(chunks, file, FORMAT), file);
  },
};
