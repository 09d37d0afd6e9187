/**
 * k6's "new machine-readable summary" (k6 ≥ 1.5, opt-in with `--new-machine-readable-summary`
 * or `K6_NEW_MACHINE_READABLE_SUMMARY`; it replaces both the `--summary-export` file and the
 * handleSummary argument). Schema 1.0.0, from grafana/k6
 * `internal/lib/summary/machinereadable/types_gen.go` and `internal/lib/summary/machine_readable.go`:
 *
 * ```
 * {"config": {"duration": <seconds>, "execution": "local"|"cloud", "script"?: "..."},
 *  "metadata": {"generatedAt": "<RFC 3339>", "k6Version": "1.5.0"},
 *  "results": {"checks"?: {"metrics": [Metric...], "results": [{name, passes, fails}]},
 *              "metrics": [Metric...]},
 *  "version": "1.0.0"}
 * Metric = {name, type, contains, values}
 * ```
 * Values differ from the legacy shape: a rate is `{matches, rate, total}` (k6 fills `matches`
 * from the legacy `passes`), a counter is `{count}` in schema 1.0.0 (later drafts add `rate`),
 * a gauge `{value, min, max}`, a trend `{avg, min, med, max, p(90), p(95)}`, each optional.
 * There are **no thresholds and no groups** in this shape, so only qgate's extra thresholds can
 * be evaluated on it. No real file of this shape exists in the shared corpus; the fixture is
 * written from the schema.
 */
import { QgateError } from '../../errors.js';
import type { K6Metric, K6MetricType, K6Run, K6ValueKind } from '../../model/performance.js';
import { describeJsonValue, isJsonObject, readJsonDocument } from '../json-document.js';
import { loadProfileOf, requireNumber, SHAPE_HINT, sortMetrics } from './k6-summary-common.js';
import type { K6Parser } from './parser.js';

const FORMAT = 'k6-machine-readable';
const METRIC_TYPES: readonly K6MetricType[] = ['trend', 'counter', 'rate', 'gauge'];
const VALUE_KINDS: readonly K6ValueKind[] = ['time', 'data', 'default'];

function malformed(message: string, file: string): QgateError {
  return new QgateError('INPUT_MALFORMED', message, { file, format: FORMAT, hint: SHAPE_HINT });
}

function readMetric(raw: unknown, where: string, durationSeconds: number | null, file: string): K6Metric {
  if (!isJsonObject(raw) || typeof raw.name !== 'string' || raw.name === '') {
    throw malformed(`${where} is ${describeJsonValue(raw)} without a "name"; expected {name, type, contains, values}.`, file);
  }
  const name = raw.name;
  if (typeof raw.type !== 'string' || !(METRIC_TYPES as readonly string[]).includes(raw.type)) {
    throw malformed(`metric ${JSON.stringify(name)} has "type" = ${describeJsonValue(raw.type)}; expected trend, counter, rate or gauge.`, file);
  }
  const type = raw.type as K6MetricType;
  if (!isJsonObject(raw.values)) {
    throw malformed(`metric ${JSON.stringify(name)} has "values" = ${describeJsonValue(raw.values)}; expected an object of statistics.`, file);
  }
  const contains = typeof raw.contains === 'string' && (VALUE_KINDS as readonly string[]).includes(raw.contains) ? (raw.contains as K6ValueKind) : null;
  const given: Record<string, number> = {};
  for (const [key, value] of Object.entries(raw.values)) {
    if (value === null) continue; // optional trend statistics may be written as null
    given[key] = requireNumber(value, name, key, file, FORMAT);
  }
  const values: Record<string, number> = {};
  if (type === 'rate') {
    // {matches, rate, total} → the legacy {rate, passes, fails} every other reader uses.
    const matches = given.matches;
    const total = given.total;
    if (matches === undefined || total === undefined || matches > total) {
      throw malformed(`rate metric ${JSON.stringify(name)} needs "matches" ≤ "total"; it has ${JSON.stringify(raw.values)}.`, file);
    }
    values.rate = given.rate ?? (total > 0 ? matches / total : 0);
    values.passes = matches;
    values.fails = total - matches;
  } else {
    Object.assign(values, given);
    if (type === 'counter' && values.rate === undefined && values.count !== undefined && durationSeconds !== null && durationSeconds > 0) {
      // Schema 1.0.0 drops the counter rate; k6 computes it as count ÷ test run duration.
      values.rate = values.count / durationSeconds;
    }
  }
  return { name, type, contains, values, thresholds: [] };
}

function readMetricList(raw: unknown, where: string, durationSeconds: number | null, file: string): K6Metric[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw malformed(`${where} is ${describeJsonValue(raw)}; expected an array of metrics.`, file);
  return raw.map((metric, index) => readMetric(metric, `${where}[${index}]`, durationSeconds, file));
}

/** Reads a parsed machine-readable summary; exported for tests. */
export function readMachineReadableSummary(document: unknown, file: string): K6Run {
  if (!isJsonObject(document) || !isJsonObject(document.results)) {
    const what = isJsonObject(document) ? 'an object without a "results" object' : describeJsonValue(document);
    throw malformed(`is ${what}; a k6 machine-readable summary is {"version", "config", "metadata", "results"}.`, file);
  }
  const version = document.version;
  if (typeof version !== 'string' || !/^1\.\d+\.\d+/.test(version)) {
    throw new QgateError('INPUT_MALFORMED', `has schema "version" ${describeJsonValue(version)}; qgate reads the k6 machine-readable summary schema 1.x.`, {
      file,
      format: FORMAT,
      hint: 'Upgrade qgate, or run k6 without --new-machine-readable-summary so it writes the legacy summary.',
    });
  }
  const config = isJsonObject(document.config) ? document.config : {};
  const durationSeconds = typeof config.duration === 'number' && Number.isFinite(config.duration) && config.duration >= 0 ? config.duration : null;
  const results = document.results;
  const metrics = readMetricList(results.metrics, 'results.metrics', durationSeconds, file);
  const names = new Set(metrics.map((metric) => metric.name));
  const checks = isJsonObject(results.checks) ? results.checks : {};
  for (const metric of readMetricList(checks.metrics, 'results.checks.metrics', durationSeconds, file)) {
    if (!names.has(metric.name)) {
      metrics.push(metric);
      names.add(metric.name);
    }
  }
  // The new summary reports checks as checks_total/checks_succeeded/checks_failed; the legacy
  // `checks` rate (passes = succeeded checks) is rebuilt from checks_succeeded so a baseline in
  // the legacy shape still compares.
  const succeeded = metrics.find((metric) => metric.name === 'checks_succeeded' && metric.type === 'rate');
  if (succeeded && !names.has('checks')) {
    metrics.push({ name: 'checks', type: 'rate', contains: 'default', values: { ...succeeded.values }, thresholds: [] });
  }
  sortMetrics(metrics);
  const warnings = ['the k6 machine-readable summary carries no threshold verdicts; only thresholds from qgate\'s config are evaluated.'];
  return {
    format: FORMAT,
    metrics,
    loadProfile: loadProfileOf(metrics, durationSeconds === null ? null : durationSeconds * 1000),
    warnings,
    quantileRelativeError: null,
  };
}

export const k6MachineReadableParser: K6Parser = {
  format: FORMAT,
  label: 'k6 machine-readable summary JSON',
  sniff(head) {
    // k6 marshals the struct in field order (config, metadata, results, version), so
    // metadata.k6Version is in the head; handleSummary data never has it nor lacks root_group.
    const text = head.trimStart();
    return text.startsWith('{') && /"k6Version"\s*:/.test(text) && /"results"\s*:/.test(text) && !/"root_group"\s*:/.test(text);
  },
  async parse(chunks, file) {
    return readMachineReadableSummary(await readJsonDocument(chunks, file, FORMAT), file);
  },
};
