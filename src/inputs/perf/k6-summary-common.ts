/**
 * What the k6 summary formats share: the built-in metric table, number checks with
 * sentence-like messages, and the load profile read from the metrics.
 */
import { QgateError } from '../../errors.js';
import type { K6Format, K6LoadProfile, K6Metric, K6ValueKind } from '../../model/performance.js';
import { describeJsonValue } from '../json-document.js';
import { parseMetricSelector } from './k6-metric-name.js';

/**
 * `contains` of k6's built-in metrics (https://grafana.com/docs/k6/latest/using-k6/metrics/reference/),
 * for `--summary-export`, which drops it. Custom metrics are not listed: their kind stays unknown.
 */
const BUILT_IN_CONTAINS: Record<string, K6ValueKind> = {
  http_req_duration: 'time',
  http_req_blocked: 'time',
  http_req_connecting: 'time',
  http_req_tls_handshaking: 'time',
  http_req_sending: 'time',
  http_req_waiting: 'time',
  http_req_receiving: 'time',
  iteration_duration: 'time',
  group_duration: 'time',
  ws_connecting: 'time',
  ws_session_duration: 'time',
  ws_ping: 'time',
  grpc_req_duration: 'time',
  browser_http_req_duration: 'time',
  browser_web_vital_lcp: 'time',
  browser_web_vital_fcp: 'time',
  browser_web_vital_fid: 'time',
  browser_web_vital_inp: 'time',
  browser_web_vital_ttfb: 'time',
  data_sent: 'data',
  data_received: 'data',
  browser_data_sent: 'data',
  browser_data_received: 'data',
  http_reqs: 'default',
  http_req_failed: 'default',
  iterations: 'default',
  dropped_iterations: 'default',
  vus: 'default',
  vus_max: 'default',
  checks: 'default',
  ws_sessions: 'default',
  ws_msgs_sent: 'default',
  ws_msgs_received: 'default',
  grpc_streams: 'default',
  grpc_streams_msgs_sent: 'default',
  grpc_streams_msgs_received: 'default',
  browser_http_req_failed: 'default',
  browser_web_vital_cls: 'default',
};

/** The `contains` of a built-in metric (or of a sub-metric of one); null for custom metrics. */
export function builtInContains(name: string): K6ValueKind | null {
  const metric = parseMetricSelector(name)?.metric ?? name;
  return BUILT_IN_CONTAINS[metric] ?? null;
}

/** What to do about a summary that parses as JSON but is not shaped as k6 writes it. */
export const SHAPE_HINT = 'This is not the shape k6 writes: pass the file k6 itself wrote, unedited (for handleSummary, `JSON.stringify(data)` of the whole argument).';

/** The statistic of a metric as a finite number; throws INPUT_MALFORMED naming the metric and key. */
export function requireNumber(value: unknown, metric: string, key: string, file: string, format: K6Format): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new QgateError(
    'INPUT_MALFORMED',
    `metric ${JSON.stringify(metric)} has ${JSON.stringify(key)} = ${describeJsonValue(value)}; expected a number.`,
    { file, format, hint: SHAPE_HINT },
  );
}

/** Counters whose rate k6 divides by the test run duration, most common first. */
const DURATION_COUNTERS = ['iterations', 'http_reqs', 'data_sent', 'data_received'];

/**
 * The test run duration implied by a counter: k6 reports a counter's rate as
 * count ÷ test run duration (grafana/k6 `metrics/sink.go`, `CounterSink.Format`), so
 * count ÷ rate gives the duration back. Used by formats that do not write the duration.
 */
export function durationFromCounters(metrics: K6Metric[]): number | null {
  const counters = metrics.filter((metric) => metric.type === 'counter' && metric.name.indexOf('{') === -1);
  const ordered = [
    ...DURATION_COUNTERS.map((name) => counters.find((metric) => metric.name === name)),
    ...counters,
  ];
  for (const metric of ordered) {
    const count = metric?.values.count;
    const rate = metric?.values.rate;
    if (count !== undefined && rate !== undefined && count > 0 && rate > 0) return (count / rate) * 1000;
  }
  return null;
}

/** VUs and iterations from the built-in metrics; the duration comes from the format. */
export function loadProfileOf(metrics: K6Metric[], durationMs: number | null): K6LoadProfile {
  const byName = new Map(metrics.map((metric) => [metric.name, metric]));
  const vusMax = byName.get('vus_max');
  const vus = byName.get('vus');
  return {
    vusMax: vusMax?.values.max ?? vusMax?.values.value ?? vus?.values.max ?? null,
    iterations: byName.get('iterations')?.values.count ?? null,
    durationMs,
  };
}

/** Metrics sorted by name, so two reads of the same run compare equal whatever the key order was. */
export function sortMetrics(metrics: K6Metric[]): K6Metric[] {
  return metrics.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
