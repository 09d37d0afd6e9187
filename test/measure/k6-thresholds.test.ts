import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readK6Run } from '../../src/inputs/perf/registry.js';
import { evaluateK6Threshold, judgeK6Thresholds, parseK6Threshold, validateK6Threshold } from '../../src/measure/k6-thresholds.js';
import type { K6Metric, K6Run } from '../../src/model/performance.js';

const PERF = fileURLToPath(new URL('../../fixtures/perf/', import.meta.url));

function fixture(folder: string, prefix: string): string {
  const name = readdirSync(join(PERF, folder)).find((file) => file.startsWith(prefix) && !file.endsWith('.expected.json'));
  if (!name) throw new Error(`no fixture ${prefix}`);
  return join(PERF, folder, name);
}

function metric(partial: Partial<K6Metric> & Pick<K6Metric, 'type' | 'values'>): K6Metric {
  return { name: 'm', contains: null, thresholds: [], ...partial };
}

function run(metrics: K6Metric[]): K6Run {
  return { format: 'k6-ndjson', metrics, loadProfile: { vusMax: null, iterations: null, durationMs: null }, warnings: [], quantileRelativeError: 0.01 };
}

describe('parseK6Threshold: k6’s grammar', () => {
  it.each([
    ['p(95)<500', 'p', 95, '<', 500, 'p(95)'],
    ['p(90) < 400', 'p', 90, '<', 400, 'p(90)'],
    ['avg <= 200', 'avg', null, '<=', 200, 'avg'],
    ['rate<0.01', 'rate', null, '<', 0.01, 'rate'],
    ['count>100', 'count', null, '>', 100, 'count'],
    ['value<5', 'value', null, '<', 5, 'value'],
    ['med<100', 'med', null, '<', 100, 'med'],
    ['p(99.9)<1000', 'p', 99.9, '<', 1000, 'p(99.9)'],
    ['p(95.0)<1', 'p', 95, '<', 1, 'p(95)'],
    ['min>=0.5', 'min', null, '>=', 0.5, 'min'],
    ['max === 10', 'max', null, '===', 10, 'max'],
    ['max==10', 'max', null, '==', 10, 'max'],
    ['rate != 0', 'rate', null, '!=', 0, 'rate'],
    ['avg<1e3', 'avg', null, '<', 1000, 'avg'],
    ['  rate>0.99  ', 'rate', null, '>', 0.99, 'rate'],
  ])('%s', (source, aggregation, percentile, operator, value, statKey) => {
    expect(parseK6Threshold(source)).toEqual({ ok: true, expression: { source, aggregation, percentile, operator, value, statKey } });
  });

  it.each([
    ['p(95)', 'no comparison operator'],
    ['p( 95 )<500', 'is not p(<number>)'],
    ['mean<5', '"mean" is not a k6 aggregation method'],
    ['p(95)<abc', 'is not a number'],
    ['p(95)<', 'is not a number'],
    ['P(95)<500', '"P(95)" is not a k6 aggregation method'],
    ['', 'no comparison operator'],
  ])('rejects %j: %s', (source, error) => {
    const parsed = parseK6Threshold(source);
    expect(parsed.ok).toBe(false);
    expect(validateK6Threshold(source)).toContain(error);
  });
});

describe('evaluateK6Threshold: like k6’s sinks', () => {
  const trend = metric({ type: 'trend', values: { count: 10, avg: 120, min: 5, med: 90, max: 900, 'p(90)': 300, 'p(95)': 450, 'p(99)': 880 } });

  it('compares the statistic the expression names', () => {
    expect(evaluateK6Threshold(trend, 'p(95)<500')).toEqual({ ok: true, actual: 450, reason: null });
    expect(evaluateK6Threshold(trend, 'p(99)<500')).toEqual({ ok: false, actual: 880, reason: null });
    expect(evaluateK6Threshold(trend, 'avg <= 120').ok).toBe(true);
    expect(evaluateK6Threshold(trend, 'avg < 120').ok).toBe(false);
    expect(evaluateK6Threshold(trend, 'min>=5').ok).toBe(true);
    expect(evaluateK6Threshold(trend, 'max!=900').ok).toBe(false);
    expect(evaluateK6Threshold(trend, 'med===90').ok).toBe(true);
  });

  it('treats p(50) and med as one statistic', () => {
    expect(evaluateK6Threshold(trend, 'p(50)<100')).toEqual({ ok: true, actual: 90, reason: null });
    const only50 = metric({ type: 'trend', values: { 'p(50)': 7 } });
    expect(evaluateK6Threshold(only50, 'med<10').actual).toBe(7);
  });

  it('applies count and rate to counters, value to gauges, rate to rates', () => {
    const counter = metric({ type: 'counter', values: { count: 1517, rate: 4.54 } });
    expect(evaluateK6Threshold(counter, 'count>100').ok).toBe(true);
    expect(evaluateK6Threshold(counter, 'rate>5').ok).toBe(false);
    expect(evaluateK6Threshold(metric({ type: 'gauge', values: { value: 3, min: 1, max: 9 } }), 'value<5').ok).toBe(true);
    expect(evaluateK6Threshold(metric({ type: 'rate', values: { rate: 0.2, passes: 2, fails: 8 } }), 'rate<0.01')).toEqual({ ok: false, actual: 0.2, reason: null });
  });

  it('refuses aggregations k6 refuses for the metric type', () => {
    expect(evaluateK6Threshold(metric({ type: 'rate', values: { rate: 0, passes: 0, fails: 3 } }), 'p(95)<1')).toEqual({
      ok: null,
      actual: null,
      reason: 'k6 does not apply p(95) to a rate metric (it supports rate)',
    });
    expect(evaluateK6Threshold(metric({ type: 'gauge', values: { value: 1 } }), 'max<5').reason).toContain('supports value');
    expect(evaluateK6Threshold(trend, 'count>1').reason).toContain('avg, min, max, med, p(N)');
  });

  it('does not evaluate metrics without samples, nor statistics the values lack', () => {
    expect(evaluateK6Threshold(metric({ type: 'rate', values: { rate: 0, passes: 0, fails: 0 } }), 'rate<0.01').reason).toBe('the metric has no samples');
    expect(evaluateK6Threshold(metric({ type: 'trend', values: { count: 0 } }), 'p(95)<1').reason).toBe('the metric has no samples');
    expect(evaluateK6Threshold(metric({ type: 'gauge', values: {} }), 'value<1').reason).toBe('the metric has no samples');
    expect(evaluateK6Threshold(trend, 'p(99.9)<1000').reason).toBe("p(99.9) is not among the metric's values");
    expect(evaluateK6Threshold(trend, 'p(150)<1').reason).toBe('the percentile 150 is outside 0–100');
    expect(evaluateK6Threshold(trend, 'p95<1').reason).toContain('not a k6 threshold expression');
  });
});

describe('judgeK6Thresholds', () => {
  it('takes k6’s verdicts from a summary file (summary-export `true` = failed) with the tested value', async () => {
    const current = await readK6Run('s.json', fixture('k6-summary-export', 'k6__Sweet-Poision_rate-limiter__k6-summary'));
    expect(judgeK6Thresholds(current)).toEqual({
      total: 1,
      failed: 1,
      failedList: [{ metric: 'http_req_duration', expression: 'p(95)<50', source: 'k6', verdictBy: 'k6', actual: 269.06783674999986 }],
      unevaluated: [],
    });
  });

  it('keeps k6’s verdict even where recomputing would disagree (k6 saw every sample)', () => {
    const judged = judgeK6Thresholds(run([metric({ type: 'trend', values: { 'p(95)': 10 }, thresholds: [{ expression: 'p(95)<5', ok: true }] })]));
    expect(judged.failed).toBe(0);
  });

  it('evaluates extra thresholds from the config on a summary, sub-metric selectors matched however they are spelled', async () => {
    const current = await readK6Run('l.json', fixture('k6-summary-export', 'k6__noerkholis-me'));
    const judged = judgeK6Thresholds(current, {
      'http_req_duration{ expected_response : "true" }': ['p(95)<300', 'p(95) < 500'],
      http_req_failed: ['rate<0.1'],
      checks: ['rate>0.75'],
      http_req_waiting: ['p(99)<2000'],
      grpc_req_duration: ['p(95)<100'],
    });
    // 4 from k6 + 6 extra, less 'p(95) < 500', which repeats k6's own threshold on that sub-metric.
    expect(judged.total).toBe(4 + 6 - 1);
    expect(judged.failedList).toEqual([
      { metric: 'http_req_duration{expected_response:true}', expression: 'p(95)<300', source: 'qgate', verdictBy: 'qgate', actual: 407.011167 },
      { metric: 'http_req_failed', expression: 'rate<0.1', source: 'qgate', verdictBy: 'qgate', actual: 0.2297172473956997 },
    ]);
    expect(judged.unevaluated).toEqual([
      { metric: 'http_req_waiting', expression: 'p(99)<2000', source: 'qgate', reason: "p(99) is not among the metric's values" },
      { metric: 'grpc_req_duration', expression: 'p(95)<100', source: 'qgate', reason: 'the run has no metric "grpc_req_duration"' },
    ]);
  });

  it('evaluates the Metric-line thresholds of an NDJSON stream itself (verdictBy qgate, source k6)', async () => {
    const stream = await readK6Run('v.json', fixture('k6-ndjson', 'k6__vafast'));
    const judged = judgeK6Thresholds(stream);
    // "throughput" is a Rate with the threshold rate>1000: a rate never exceeds 1, so it fails in k6 too.
    expect(judged.failedList).toEqual([{ metric: 'throughput', expression: 'rate>1000', source: 'k6', verdictBy: 'qgate', actual: 1 }]);
    expect(judged.total).toBe(6);
  });

  it('lists the thresholds of a metric without samples as unevaluated, never passed', () => {
    const judged = judgeK6Thresholds(run([metric({ name: 'errors', type: 'rate', values: { rate: 0, passes: 0, fails: 0 }, thresholds: [{ expression: 'rate<0.1', ok: null }] })]));
    expect(judged).toEqual({
      total: 1,
      failed: 0,
      failedList: [],
      unevaluated: [{ metric: 'errors', expression: 'rate<0.1', source: 'k6', reason: 'the metric has no samples' }],
    });
  });
});
