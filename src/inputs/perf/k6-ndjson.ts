/**
 * k6 `--out json` streams (https://grafana.com/docs/k6/latest/results-output/real-time/json/):
 * one JSON object per line, of two kinds, interleaved:
 *
 * ```
 * {"type":"Metric","data":{"name","type","contains","thresholds":[...],"submetrics":null|[{name,suffix,tags}]},"metric":"<name>"}
 * {"metric":"<name>","type":"Point","data":{"time":"2024-08-05T15:24:38.952806+07:00","value":1,"tags":{...}}}
 * ```
 * k6 writes a Metric line lazily, just before the first point of that metric, and may repeat it.
 * Times carry the machine's UTC offset and up to nanosecond digits.
 *
 * The stream holds raw samples and **no verdicts and no statistics**: qgate aggregates them the
 * way k6's sinks do (grafana/k6 `metrics/sink.go`) in bounded memory —
 * - trend: count, avg, min, max, med and p(N) exactly as k6's `TrendSink` computes them (every
 *   sample kept, 8 bytes each, within a budget per stream; see trend-samples.ts);
 * - rate: `passes` = non-zero samples, `fails` = zero samples, `rate` = passes ÷ all;
 * - counter: `count` = sum of the samples, `rate` = count ÷ the stream's time span (first to last
 *   point; k6 divides by the test run duration, which also covers the time before the first and
 *   after the last sample, so k6's own rate is slightly lower);
 * - gauge: `value` = the last sample, `min`, `max`;
 * for each metric and for each sub-metric (a tag selector) the Metric lines declare, plus the
 * selectors qgate's config names. Thresholds from the Metric lines are kept with `ok: null` for
 * qgate to evaluate; thresholds on sub-metrics never appear in the stream (k6 serialises only
 * the parent metric's thresholds), so they cannot be recovered from it.
 *
 * Memory: per metric or sub-metric a few counters, plus 8 bytes per trend sample up to
 * `EXACT_SAMPLE_BUDGET` (128 MB) for the whole stream; past it, trends continue in a quantile
 * sketch of at most 2073 buckets (relative error ≤ 1 %) and a warning says so. Lines are split
 * with indexOf on each chunk, never collected.
 */
import { QgateError } from '../../errors.js';
import type { K6Metric, K6MetricType, K6Run, K6ValueKind } from '../../model/performance.js';
import { isJsonObject } from '../json-document.js';
import { forEachLine } from '../read-input.js';
import { canonicalMetricName, parseMetricSelector, tagsMatch } from './k6-metric-name.js';
import type { K6ParseOptions, K6Parser } from './parser.js';
import { EXACT_SAMPLE_BUDGET, TrendSamples, type SampleBudget } from './trend-samples.js';
import { plural } from '../../text/plural.js';

const FORMAT = 'k6-ndjson';
/** The relative error of trend percentiles once a stream's exact-sample budget is spent. */
export const NDJSON_QUANTILE_RELATIVE_ERROR = 0.01;
/** The percentiles every trend gets (med is p(50)), as k6's default summaryTrendStats plus p(99). */
const DEFAULT_PERCENTILES = [90, 95, 99];
/** No real line comes near this; a longer one means the file is not NDJSON (or has lost its line breaks). */
const MAX_LINE_CHARS = 16 * 1024 * 1024;
const METRIC_TYPES: readonly K6MetricType[] = ['trend', 'counter', 'rate', 'gauge'];
const VALUE_KINDS: readonly K6ValueKind[] = ['time', 'data', 'default'];
const CHAR_CR = 13;

/** Running aggregate of one metric or sub-metric; which fields matter depends on the type. */
interface Aggregate {
  samples: number;
  sum: number;
  nonZero: number;
  last: number;
  min: number;
  max: number;
  trend: TrendSamples | null;
}

interface SubmetricState {
  name: string;
  tags: Record<string, string>;
  aggregate: Aggregate;
  /** Named by qgate's config rather than declared by k6: reported even without samples. */
  requested: boolean;
}

interface MetricState {
  name: string;
  type: K6MetricType;
  contains: K6ValueKind | null;
  thresholds: string[];
  aggregate: Aggregate;
  submetrics: SubmetricState[];
}

function newAggregate(type: K6MetricType, budget: SampleBudget): Aggregate {
  return {
    samples: 0,
    sum: 0,
    nonZero: 0,
    last: 0,
    min: Number.POSITIVE_INFINITY,
    max: Number.NEGATIVE_INFINITY,
    trend: type === 'trend' ? new TrendSamples(budget, NDJSON_QUANTILE_RELATIVE_ERROR) : null,
  };
}

function addSample(aggregate: Aggregate, value: number): void {
  if (aggregate.trend !== null) {
    aggregate.trend.add(value);
    return;
  }
  aggregate.samples++;
  aggregate.sum += value;
  aggregate.last = value;
  if (value !== 0) aggregate.nonZero++;
  if (value < aggregate.min) aggregate.min = value;
  if (value > aggregate.max) aggregate.max = value;
}

/** `p(95)` for 95, `p(99.9)` for 99.9: the key k6 uses (Go's %g). */
function percentileKey(percent: number): string {
  return `p(${String(percent)})`;
}

/** Percentiles named by threshold expressions or stats (`p(99.9)<1000`, `p(95)`). */
function percentilesIn(texts: Iterable<string>, into: Set<number>): void {
  for (const text of texts) {
    for (const match of text.matchAll(/p\(\s*(\d+(?:\.\d+)?)\s*\)/g)) {
      const percent = Number(match[1]);
      if (percent >= 0 && percent <= 100) into.add(percent);
    }
  }
}

function valuesOf(type: K6MetricType, aggregate: Aggregate, spanSeconds: number | null, percentiles: Set<number>): Record<string, number> {
  const values: Record<string, number> = {};
  switch (type) {
    case 'trend': {
      const trend = aggregate.trend as TrendSamples;
      values.count = trend.count;
      if (trend.count === 0) break;
      values.avg = trend.sum / trend.count;
      values.min = trend.min;
      values.med = trend.percentile(0.5) as number;
      values.max = trend.max;
      for (const percent of [...percentiles].sort((a, b) => a - b)) {
        values[percentileKey(percent)] = trend.percentile(percent / 100) as number;
      }
      break;
    }
    case 'rate':
      values.rate = aggregate.samples > 0 ? aggregate.nonZero / aggregate.samples : 0;
      values.passes = aggregate.nonZero;
      values.fails = aggregate.samples - aggregate.nonZero;
      break;
    case 'counter':
      values.count = aggregate.sum;
      if (spanSeconds !== null && spanSeconds > 0) values.rate = aggregate.sum / spanSeconds;
      break;
    case 'gauge':
      if (aggregate.samples === 0) break;
      values.value = aggregate.last;
      values.min = aggregate.min;
      values.max = aggregate.max;
      break;
  }
  return values;
}

/**
 * Milliseconds since the epoch of an RFC 3339 time with any number of fraction digits. k6
 * writes nanoseconds, which Date.parse does not promise to read; the whole-second part and
 * the offset are parsed once per distinct second and cached (a stream has thousands of points
 * per second).
 */
function createTimeParser(): (text: string) => number {
  let cachedSecond = '';
  let cachedZone = '';
  let cachedBase = Number.NaN;
  return (text) => {
    if (text.length < 20 || text.charCodeAt(10) !== 84 /* T */) return Date.parse(text);
    const second = text.slice(0, 19);
    let index = 19;
    let fraction = 0;
    let scale = 1;
    if (text.charCodeAt(19) === 46 /* . */) {
      index = 20;
      for (; index < text.length; index++) {
        const digit = text.charCodeAt(index) - 48;
        if (digit < 0 || digit > 9) break;
        if (scale < 1e15) {
          fraction = fraction * 10 + digit;
          scale *= 10;
        }
      }
    }
    const zone = text.slice(index);
    if (second !== cachedSecond || zone !== cachedZone) {
      cachedSecond = second;
      cachedZone = zone;
      cachedBase = /^(?:Z|[+-]\d\d:\d\d)$/.test(zone) ? Date.parse(second + zone) : Number.NaN;
    }
    return cachedBase + (fraction / scale) * 1000;
  };
}


/** Reads one stream. `chunks` may split lines anywhere. */
async function parseK6Ndjson(chunks: AsyncIterable<string>, file: string, options: K6ParseOptions = {}): Promise<K6Run> {
  const skipBroken = options.onBrokenLine === 'skip';
  const metrics = new Map<string, MetricState>();
  // Sub-metric selectors and percentiles qgate's config asks for, by parent metric.
  const requestedSelectors = new Map<string, Map<string, { name: string; tags: Record<string, string> }>>();
  const requestedPercentiles = new Map<string, Set<number>>();
  const wantPercentiles = (name: string, texts: Iterable<string>): void => {
    const key = canonicalMetricName(name);
    let set = requestedPercentiles.get(key);
    if (!set) requestedPercentiles.set(key, (set = new Set()));
    percentilesIn(texts, set);
  };
  const requestSelector = (name: string): void => {
    const selector = parseMetricSelector(name);
    if (selector === null || selector.tags === null) return;
    let byName = requestedSelectors.get(selector.metric);
    if (!byName) requestedSelectors.set(selector.metric, (byName = new Map()));
    byName.set(canonicalMetricName(name), { name, tags: selector.tags });
  };
  for (const [name, expressions] of Object.entries(options.extraThresholds ?? {})) {
    requestSelector(name);
    wantPercentiles(name, expressions);
  }
  for (const { metric, stat } of options.wantedStats ?? []) {
    requestSelector(metric);
    wantPercentiles(metric, [stat]);
  }

  const budget: SampleBudget = { remaining: EXACT_SAMPLE_BUDGET };
  const parseTime = createTimeParser();
  let firstTime = Number.POSITIVE_INFINITY;
  let lastTime = Number.NEGATIVE_INFINITY;
  let points = 0;
  let brokenLines = 0;
  const brokenLineNumbers: number[] = [];
  let undeclaredPoints = 0;
  let firstUndeclared = '';
  let unknownLines = 0;
  const retypedMetrics = new Set<string>();

  function broken(line: number, why: string, lastLine: boolean): void {
    if (skipBroken) {
      brokenLines++;
      if (brokenLineNumbers.length < 5) brokenLineNumbers.push(line);
      return;
    }
    const truncated = lastLine ? ' It is the last line and has no line break: the file looks truncated.' : '';
    throw new QgateError('INPUT_MALFORMED', `has a broken line: ${why}.${truncated}`, {
      file,
      format: FORMAT,
      position: { line },
      hint: 'Regenerate the stream; or set `onBrokenLine: skip` on the performance gate to skip broken lines (they are counted in the warnings).',
    });
  }

  function declare(data: Record<string, unknown>, line: number, lastLine: boolean): void {
    const name = data.name;
    const type = data.type;
    if (typeof name !== 'string' || name === '' || typeof type !== 'string' || !(METRIC_TYPES as readonly string[]).includes(type)) {
      broken(line, 'a Metric line needs data.name and a data.type of trend, counter, rate or gauge', lastLine);
      return;
    }
    let state = metrics.get(name);
    if (!state) {
      const contains = typeof data.contains === 'string' && (VALUE_KINDS as readonly string[]).includes(data.contains) ? (data.contains as K6ValueKind) : null;
      state = { name, type: type as K6MetricType, contains, thresholds: [], aggregate: newAggregate(type as K6MetricType, budget), submetrics: [] };
      metrics.set(name, state);
      for (const requested of requestedSelectors.get(name)?.values() ?? []) {
        state.submetrics.push({ name: requested.name, tags: requested.tags, aggregate: newAggregate(state.type, budget), requested: true });
      }
    } else if (state.type !== type) {
      retypedMetrics.add(name);
    }
    // Thresholds are strings, or {threshold, abortOnFail, delayAbortEval} objects when
    // abortOnFail is set (grafana/k6 `metrics/thresholds.go`, thresholdConfig.MarshalJSON).
    if (Array.isArray(data.thresholds)) {
      for (const entry of data.thresholds) {
        const expression = typeof entry === 'string' ? entry : isJsonObject(entry) && typeof entry.threshold === 'string' ? entry.threshold : null;
        if (expression !== null && !state.thresholds.includes(expression)) state.thresholds.push(expression);
      }
    }
    if (Array.isArray(data.submetrics)) {
      for (const entry of data.submetrics) {
        if (!isJsonObject(entry) || typeof entry.name !== 'string' || !isJsonObject(entry.tags)) continue;
        const tags: Record<string, string> = {};
        for (const [key, value] of Object.entries(entry.tags)) tags[key] = String(value);
        const canonical = canonicalMetricName(entry.name);
        const known = state.submetrics.find((submetric) => canonicalMetricName(submetric.name) === canonical);
        if (known) {
          known.name = entry.name; // k6's own spelling, when the config wrote the same selector differently
          continue;
        }
        state.submetrics.push({ name: entry.name, tags, aggregate: newAggregate(state.type, budget), requested: false });
      }
    }
  }

  function take(text: string, start: number, end: number, line: number, lastLine: boolean): void {
    if (end > start && text.charCodeAt(end - 1) === CHAR_CR) end--;
    if (end === start) return;
    const raw = text.slice(start, end);
    let record: unknown;
    try {
      record = JSON.parse(raw);
    } catch (error) {
      if (raw.trim() === '') return;
      const reason = error instanceof Error ? error.message.replace(/ in JSON at position \d+.*$/s, '').replace(/^(Unexpected token '.+?'), .* is not valid JSON$/s, '$1') : String(error);
      broken(line, `it is not valid JSON (${reason})`, lastLine);
      return;
    }
    if (!isJsonObject(record) || !isJsonObject(record.data)) {
      broken(line, 'expected a {"type": "Point"|"Metric", "data": {...}} object', lastLine);
      return;
    }
    const data = record.data;
    if (record.type === 'Point') {
      const value = data.value;
      const time = data.time;
      if (typeof record.metric !== 'string' || typeof value !== 'number' || typeof time !== 'string') {
        broken(line, 'a Point line needs "metric", a numeric data.value and a data.time', lastLine);
        return;
      }
      const at = parseTime(time);
      if (Number.isNaN(at)) {
        broken(line, `data.time ${JSON.stringify(time.slice(0, 40))} is not an RFC 3339 time`, lastLine);
        return;
      }
      const state = metrics.get(record.metric);
      if (!state) {
        undeclaredPoints++;
        if (firstUndeclared === '') firstUndeclared = record.metric;
        return;
      }
      points++;
      if (at < firstTime) firstTime = at;
      if (at > lastTime) lastTime = at;
      addSample(state.aggregate, value);
      if (state.submetrics.length > 0) {
        const tags = isJsonObject(data.tags) ? data.tags : {};
        for (const submetric of state.submetrics) {
          if (tagsMatch(submetric.tags, tags)) addSample(submetric.aggregate, value);
        }
      }
      return;
    }
    if (record.type === 'Metric') {
      declare(data, line, lastLine);
      return;
    }
    // k6 writes only Metric and Point lines; another type is a later k6 or an extension: skipped, counted.
    unknownLines++;
  }

  await forEachLine(chunks, take, {
    maxLineChars: MAX_LINE_CHARS,
    tooLong: (line) => {
      throw new QgateError('INPUT_MALFORMED', `has a line longer than ${MAX_LINE_CHARS / 1024 / 1024} MB: this is not a k6 --out json stream (one JSON object per line).`, {
        file,
        format: FORMAT,
        position: { line },
      });
    },
  });

  const warnings: string[] = [];
  if (brokenLines > 0) {
    const more = brokenLines > brokenLineNumbers.length ? ', ...' : '';
    warnings.push(`skipped ${plural(brokenLines, 'broken line')} (line ${brokenLineNumbers.join(', ')}${more}).`);
  }
  if (undeclaredPoints > 0) {
    warnings.push(`ignored ${plural(undeclaredPoints, 'point')} of metrics no Metric line declared (first: ${JSON.stringify(firstUndeclared)}).`);
  }
  if (unknownLines > 0) warnings.push(`skipped ${plural(unknownLines, 'line')} whose type is neither Metric nor Point.`);
  if (retypedMetrics.size > 0) warnings.push(`metrics declared again with another type kept their first type: ${[...retypedMetrics].join(', ')}.`);
  if (points === 0) warnings.push('the stream holds no data points.');

  const spanMs = points > 0 ? lastTime - firstTime : null;
  const spanSeconds = spanMs === null ? null : spanMs / 1000;
  const result: K6Metric[] = [];
  let approximated = 0;
  const countApproximated = (aggregate: Aggregate): void => {
    if (aggregate.trend !== null && !aggregate.trend.exact) approximated++;
  };
  for (const state of metrics.values()) {
    countApproximated(state.aggregate);
    for (const submetric of state.submetrics) countApproximated(submetric.aggregate);
    const sampled = state.aggregate.trend ? state.aggregate.trend.count : state.aggregate.samples;
    if (sampled > 0 || state.thresholds.length > 0) {
      const percentiles = new Set(DEFAULT_PERCENTILES);
      percentilesIn(state.thresholds, percentiles);
      for (const percent of requestedPercentiles.get(state.name) ?? []) percentiles.add(percent);
      result.push({
        name: state.name,
        type: state.type,
        contains: state.contains,
        values: valuesOf(state.type, state.aggregate, spanSeconds, percentiles),
        thresholds: state.thresholds.map((expression) => ({ expression, ok: null })),
      });
    }
    for (const submetric of state.submetrics) {
      const subSampled = submetric.aggregate.trend ? submetric.aggregate.trend.count : submetric.aggregate.samples;
      if (subSampled === 0 && !submetric.requested) continue;
      const percentiles = new Set(DEFAULT_PERCENTILES);
      for (const percent of requestedPercentiles.get(canonicalMetricName(submetric.name)) ?? []) percentiles.add(percent);
      result.push({
        name: submetric.name,
        type: state.type,
        contains: state.contains,
        values: valuesOf(state.type, submetric.aggregate, spanSeconds, percentiles),
        thresholds: [],
      });
    }
  }
  if (approximated > 0) {
    warnings.push(
      `the stream holds more than ${EXACT_SAMPLE_BUDGET} trend samples: percentiles of ${plural(approximated, 'trend')} are estimated within ${NDJSON_QUANTILE_RELATIVE_ERROR * 100} %, not exact.`,
    );
  }
  result.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const byName = new Map(result.map((metric) => [metric.name, metric]));
  const vusMax = byName.get('vus_max') ?? byName.get('vus');
  const iterations = byName.get('iterations');
  return {
    format: FORMAT,
    metrics: result,
    loadProfile: {
      vusMax: vusMax?.values.max ?? null,
      iterations: iterations?.values.count ?? null,
      durationMs: spanMs,
    },
    warnings,
    quantileRelativeError: approximated > 0 ? NDJSON_QUANTILE_RELATIVE_ERROR : null,
  };
}

export const k6NdjsonParser: K6Parser = {
  format: FORMAT,
  label: 'k6 --out json NDJSON stream',
  sniff(head) {
    const text = head.trimStart();
    if (!text.startsWith('{')) return false;
    const end = text.indexOf('\n');
    const first = end === -1 ? text : text.slice(0, end);
    // The first line is a whole Metric or Point object; a pretty-printed JSON document's is "{".
    return /"type"\s*:\s*"(?:Metric|Point)"/.test(first) && /"metric"\s*:\s*"/.test(first);
  },
  parse: parseK6Ndjson,
};
