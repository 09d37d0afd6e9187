import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatError, isQgateError, type QgateError } from '../../../src/errors.js';
import { k6NdjsonParser } from '../../../src/inputs/perf/k6-ndjson.js';
import { readK6Run } from '../../../src/inputs/perf/registry.js';
import { judgeK6Thresholds } from '../../../src/measure/k6-thresholds.js';
import type { K6Run } from '../../../src/model/performance.js';
import { chunksOf, errorOf, expectRelativelyClose, goldenCases, PERF_FIXTURES } from './k6-fixtures.js';

// Percentiles are exact now (k6 TrendSink, see trend-samples.ts): only float rounding may differ.
const ALPHA = 1e-12;
const EXACT_TREND_KEYS = new Set(['count', 'min', 'max']);

function fixture(folder: string, prefix: string): string {
  const found = goldenCases(folder).find((c) => c.name.startsWith(prefix));
  if (!found) throw new Error(`no fixture ${prefix}`);
  return found.data;
}

function metricOf(run: K6Run, name: string): Record<string, number> {
  const metric = run.metrics.find((candidate) => candidate.name === name);
  if (!metric) throw new Error(`no metric ${name}`);
  return metric.values;
}

describe('k6 --out json golden fixtures (exact aggregates from an independent Python script)', () => {
  const cases = goldenCases('k6-ndjson');

  it('covers every real NDJSON stream of the corpus', () => {
    expect(cases.length).toBe(6);
  });

  for (const { name, data, expected } of cases) {
    it(`${name}: counts, sums, min/max exact; avg to 1e-12; percentiles within α = ${ALPHA}`, async () => {
      const run = await readK6Run(name, data);
      expect(run.format).toBe('k6-ndjson');
      expect(run.quantileRelativeError).toBeNull();
      expect(run.warnings).toEqual([]);
      expect(run.metrics.map((metric) => metric.name)).toEqual(Object.keys(expected.metrics).sort());
      for (const metric of run.metrics) {
        const want = expected.metrics[metric.name];
        if (!want) throw new Error(`unexpected metric ${metric.name}`);
        expect({ type: metric.type, contains: metric.contains }, metric.name).toEqual({ type: want.type, contains: want.contains });
        expect(Object.keys(metric.values).sort(), metric.name).toEqual(Object.keys(want.values).sort());
        for (const [key, exact] of Object.entries(want.values)) {
          const what = `${metric.name} ${key}`;
          const actual = metric.values[key];
          if (metric.type === 'trend' && !EXACT_TREND_KEYS.has(key)) {
            expectRelativelyClose(actual, exact, key === 'avg' ? 1e-12 : ALPHA, what);
          } else if (metric.type === 'counter' && key === 'rate') {
            // The span is computed from epoch milliseconds in doubles: sub-microsecond differences.
            expectRelativelyClose(actual, exact, 1e-6, what);
          } else if (metric.type === 'counter') {
            expectRelativelyClose(actual, exact, 1e-12, what);
          } else {
            expect(actual, what).toBe(exact);
          }
        }
        expect(metric.thresholds, metric.name).toEqual(want.thresholds.map((threshold) => ({ expression: threshold.expression, ok: null })));
      }
      expect(run.loadProfile.vusMax).toBe(expected.loadProfile.vusMax);
      expect(run.loadProfile.iterations).toBe(expected.loadProfile.iterations);
      expectRelativelyClose(run.loadProfile.durationMs ?? undefined, expected.loadProfile.durationMs ?? Number.NaN, 1e-6, 'durationMs');

      const judged = judgeK6Thresholds(run);
      expect({ total: judged.total, failed: judged.failed, unevaluated: judged.unevaluated.length }).toEqual(expected.thresholds);
      for (const failed of judged.failedList) {
        expect(expected.metrics[failed.metric]?.thresholds.find((t) => t.expression === failed.expression)?.ok).toBe(false);
      }
    });
  }

  it('agrees with k6’s own handleSummary of the same run (fede-gut-mad): counts and avg exact, percentiles within α', async () => {
    const stream = await readK6Run('s.json', fixture('k6-ndjson', 'k6__fede-gut-mad'));
    const summary = await readK6Run('h.json', fixture('k6-handle-summary', 'k6__fede-gut-mad'));
    for (const name of ['http_req_duration', 'http_req_waiting', 'iteration_duration']) {
      const ours = metricOf(stream, name);
      const k6 = metricOf(summary, name);
      for (const key of ['avg', 'min', 'max']) expectRelativelyClose(ours[key], k6[key] as number, 1e-12, `${name} ${key}`);
      for (const key of ['med', 'p(90)', 'p(95)']) expectRelativelyClose(ours[key], k6[key] as number, ALPHA, `${name} ${key}`);
    }
    expect(metricOf(stream, 'http_reqs').count).toBe(metricOf(summary, 'http_reqs').count);
    expect(metricOf(stream, 'http_req_failed')).toMatchObject({ passes: 0, fails: 14, rate: 0 });
    expect(stream.loadProfile).toMatchObject({ vusMax: 2, iterations: 14 });
  });

  it('agrees with k6’s own --summary-export of the same run (itzaddddd), sub-metric included', async () => {
    const stream = await readK6Run('s.json', fixture('k6-ndjson', 'k6__itzaddddd'));
    const summary = await readK6Run('e.json', fixture('k6-summary-export', 'k6__itzaddddd'));
    for (const name of ['http_req_duration', 'http_req_duration{expected_response:true}', 'http_req_blocked']) {
      const ours = metricOf(stream, name);
      const k6 = metricOf(summary, name);
      for (const key of ['avg', 'min', 'max']) expectRelativelyClose(ours[key], k6[key] as number, 1e-12, `${name} ${key}`);
      for (const key of ['med', 'p(90)', 'p(95)']) expectRelativelyClose(ours[key], k6[key] as number, ALPHA, `${name} ${key}`);
    }
    expect(metricOf(stream, 'checks')).toMatchObject({ passes: 99, fails: 1, rate: 0.99 });
    expect(metricOf(stream, 'http_req_failed')).toMatchObject({ passes: 1, fails: 99 });
  });
});

/** A generated stream: Metric lines, then points of a log-normal trend, a rate, a counter and a gauge. */
function generatedStream(points: number, seed = 1): { text: string; durations: Float64Array } {
  let state = seed;
  const random = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const lines = [
    '{"type":"Metric","data":{"name":"http_req_duration","type":"trend","contains":"time","thresholds":["p(95)<250","p(99.9) < 2000"],"submetrics":[{"name":"http_req_duration{expected_response:true}","suffix":"expected_response:true","tags":{"expected_response":"true"}}]},"metric":"http_req_duration"}',
    '{"type":"Metric","data":{"name":"http_req_failed","type":"rate","contains":"default","thresholds":[{"threshold":"rate<0.05","abortOnFail":true,"delayAbortEval":"10s"}],"submetrics":null},"metric":"http_req_failed"}',
    '{"type":"Metric","data":{"name":"http_reqs","type":"counter","contains":"default","thresholds":[],"submetrics":null},"metric":"http_reqs"}',
    '{"type":"Metric","data":{"name":"vus","type":"gauge","contains":"default","thresholds":[],"submetrics":null},"metric":"vus"}',
  ];
  const durations = new Float64Array(points);
  for (let i = 0; i < points; i++) {
    const u = Math.max(random(), 1e-12);
    const v = random();
    const value = Math.round(90 * Math.exp(0.7 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)) * 1000) / 1000;
    durations[i] = value;
    const failed = random() < 0.03;
    const second = String(Math.floor(i / 1000) % 60).padStart(2, '0');
    const minute = String(Math.floor(i / 60000)).padStart(2, '0');
    const time = `2025-03-30T01:${minute}:${second}.${String(i % 1000).padStart(3, '0')}123456-03:00`;
    const tags = `{"expected_response":"${!failed}","method":"GET","name":"u","status":"${failed ? 500 : 200}"}`;
    lines.push(`{"metric":"http_req_duration","type":"Point","data":{"time":"${time}","value":${value},"tags":${tags}}}`);
    lines.push(`{"metric":"http_req_failed","type":"Point","data":{"time":"${time}","value":${failed ? 1 : 0},"tags":${tags}}}`);
    lines.push(`{"metric":"http_reqs","type":"Point","data":{"time":"${time}","value":1,"tags":${tags}}}`);
    if (i % 100 === 0) lines.push(`{"metric":"vus","type":"Point","data":{"time":"${time}","value":${1 + (i % 7)},"tags":{}}}`);
  }
  return { text: `${lines.join('\n')}\n`, durations };
}

function exactPercentile(sorted: Float64Array, q: number): number {
  const rank = q * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (rank - low);
}

describe('k6 --out json on a generated stream', () => {
  it('computes p(95), p(99), p(99.9) and med within α of the exact values, whatever the chunking', async () => {
    const { text, durations } = generatedStream(60_000);
    const sorted = durations.slice().sort();
    const run = await k6NdjsonParser.parse(chunksOf(text, 65_536), 'gen.json');
    const values = metricOf(run, 'http_req_duration');
    expect(values.count).toBe(60_000);
    for (const [key, q] of [['med', 0.5], ['p(90)', 0.9], ['p(95)', 0.95], ['p(99)', 0.99], ['p(99.9)', 0.999]] as const) {
      expectRelativelyClose(values[key], exactPercentile(sorted, q), ALPHA, key);
    }
    expect(values.min).toBe(sorted[0]);
    expect(values.max).toBe(sorted[sorted.length - 1]);
    const oddChunks = await k6NdjsonParser.parse(chunksOf(text, 977), 'gen.json');
    expect(oddChunks).toEqual(run);
  });

  it('aggregates the declared sub-metric by its tags, the rate as passes/fails, the counter rate over the span, the gauge as last/min/max', async () => {
    const { text } = generatedStream(5_000, 7);
    const run = await k6NdjsonParser.parse(chunksOf(text), 'gen.json');
    const failed = metricOf(run, 'http_req_failed');
    const expected = metricOf(run, 'http_req_duration{expected_response:true}');
    expect(expected.count).toBe(failed.fails);
    expect((failed.passes as number) + (failed.fails as number)).toBe(5_000);
    // 5000 points from 01:00:00.000123456 to 01:00:04.999123456 (−03:00).
    expect(run.loadProfile.durationMs).toBeCloseTo(4999, 3);
    expectRelativelyClose(metricOf(run, 'http_reqs').rate, 5000 / 4.999, 1e-9, 'counter rate');
    expect(metricOf(run, 'vus')).toEqual({ value: 1 + (4900 % 7), min: 1, max: 7 });
    expect(run.loadProfile.vusMax).toBe(7);
  });

  it('keeps Metric-line thresholds (strings and abortOnFail objects) without a verdict', async () => {
    const { text } = generatedStream(100);
    const run = await k6NdjsonParser.parse(chunksOf(text), 'gen.json');
    expect(run.metrics.find((metric) => metric.name === 'http_req_duration')?.thresholds).toEqual([
      { expression: 'p(95)<250', ok: null },
      { expression: 'p(99.9) < 2000', ok: null },
    ]);
    expect(run.metrics.find((metric) => metric.name === 'http_req_failed')?.thresholds).toEqual([{ expression: 'rate<0.05', ok: null }]);
    expect(Object.keys(metricOf(run, 'http_req_duration'))).toContain('p(99.9)');
  });

  it('aggregates sub-metrics and percentiles named only by qgate’s config', async () => {
    const { text, durations } = generatedStream(2_000, 3);
    const run = await k6NdjsonParser.parse(chunksOf(text), 'gen.json', {
      extraThresholds: { 'http_req_duration{ status : "500" }': ['p(75)<1000'] },
      wantedStats: [{ metric: 'http_req_duration', stat: 'p(97.5)' }],
    });
    const errors = metricOf(run, 'http_req_duration{ status : "500" }');
    expect(errors.count).toBe(metricOf(run, 'http_req_failed').passes);
    expect(errors['p(75)']).toBeDefined();
    expectRelativelyClose(metricOf(run, 'http_req_duration')['p(97.5)'], exactPercentile(durations.slice().sort(), 0.975), ALPHA, 'p(97.5)');
  });

  it('names a sub-metric as k6 declares it when the config spells the same selector differently', async () => {
    const { text } = generatedStream(200);
    const run = await k6NdjsonParser.parse(chunksOf(text), 'gen.json', { extraThresholds: { 'http_req_duration{ expected_response : true }': ['p(95)<1'] } });
    expect(run.metrics.map((metric) => metric.name)).toContain('http_req_duration{expected_response:true}');
    expect(run.metrics.filter((metric) => metric.name.startsWith('http_req_duration{'))).toHaveLength(1);
  });

  it('reports a selector from the config that matches no sample as present with no samples', async () => {
    const { text } = generatedStream(50);
    const run = await k6NdjsonParser.parse(chunksOf(text), 'gen.json', { extraThresholds: { 'http_req_duration{status:404}': ['p(95)<10'] } });
    expect(metricOf(run, 'http_req_duration{status:404}')).toEqual({ count: 0 });
    expect(judgeK6Thresholds(run, { 'http_req_duration{status:404}': ['p(95)<10'] }).unevaluated).toEqual([
      { metric: 'http_req_duration{status:404}', expression: 'p(95)<10', source: 'qgate', reason: 'the metric has no samples' },
    ]);
  });

  it('warns about points of undeclared metrics, unknown line types and a stream without points', async () => {
    const text = [
      '{"metric":"ghost","type":"Point","data":{"time":"2025-01-01T00:00:00Z","value":1,"tags":{}}}',
      '{"type":"Summary","data":{}}',
      '{"type":"Metric","data":{"name":"vus","type":"gauge","contains":"default","thresholds":[],"submetrics":null},"metric":"vus"}',
      '',
      '   ',
    ].join('\r\n');
    const run = await k6NdjsonParser.parse(chunksOf(text), 'x.json');
    expect(run.metrics).toEqual([]);
    expect(run.warnings).toEqual([
      'ignored 1 point of metrics no Metric line declared (first: "ghost").',
      'skipped 1 line whose type is neither Metric nor Point.',
      'the stream holds no data points.',
    ]);
    expect(run.loadProfile).toEqual({ vusMax: null, iterations: null, durationMs: null });
  });

  it('reads times with a Z, an offset, no fraction, or nanoseconds', async () => {
    const declare = '{"type":"Metric","data":{"name":"iterations","type":"counter","contains":"default"},"metric":"iterations"}';
    const point = (time: string): string => `{"metric":"iterations","type":"Point","data":{"time":"${time}","value":1,"tags":{}}}`;
    const text = [declare, point('2025-01-01T10:00:00Z'), point('2025-01-01T12:00:01+02:00'), point('2025-01-01T07:00:02.500000001-03:00')].join('\n');
    const run = await k6NdjsonParser.parse(chunksOf(text), 'x.json');
    expect(run.loadProfile.durationMs).toBeCloseTo(2500, 3);
    const bad = await errorOf(k6NdjsonParser.parse(chunksOf(`${declare}\n${point('yesterday at noon')}\n`), 'x.json'));
    expect((bad as QgateError).message).toContain('is not an RFC 3339 time');
    expect((bad as QgateError).position).toEqual({ line: 2 });
  });

  it('refuses a file whose first 16 MB have no line break', async () => {
    async function* endless(): AsyncIterable<string> {
      const block = '{"a":1}'.repeat(100_000);
      for (let i = 0; i < 30; i++) yield block;
    }
    const error = await errorOf(k6NdjsonParser.parse(endless(), 'x.json'));
    expect(isQgateError(error) && error.code).toBe('INPUT_MALFORMED');
    expect((error as Error).message).toContain('longer than 16 MB');
  });
});

describe('k6 --out json broken lines', () => {
  const original = fixture('k6-ndjson', 'k6__fede-gut-mad');
  const broken = join(PERF_FIXTURES, 'bad', 'broken-line-in-middle.k6-ndjson.json');

  it('stops at a broken line in the middle by default, naming the line, without a stack trace', async () => {
    const error = await errorOf(readK6Run('results/k6.json', broken));
    expect(isQgateError(error)).toBe(true);
    const qgateError = error as QgateError;
    expect(qgateError.code).toBe('INPUT_MALFORMED');
    expect(qgateError.position).toEqual({ line: 151 });
    const rendered = formatError(qgateError);
    expect(rendered).toMatch(/^qgate: error INPUT_MALFORMED: results\/k6\.json:151 \(k6-ndjson\): has a broken line: it is not valid JSON \(/);
    expect(rendered).toContain('onBrokenLine: skip');
    expect(rendered).not.toMatch(/\n\s+at /);
  });

  it('with onBrokenLine: skip, skips it, counts it, and reads everything else', async () => {
    const skipped = await readK6Run('results/k6.json', broken, undefined, { onBrokenLine: 'skip' });
    const whole = await readK6Run('results/k6.json', original);
    expect(skipped.warnings).toEqual(['skipped 1 broken line (line 151).']);
    expect(skipped.metrics.map((metric) => metric.name)).toEqual(whole.metrics.map((metric) => metric.name));
    const brokenLine = JSON.parse(readFileSync(original, 'utf8').split('\n')[150] as string) as { metric: string; type: string };
    const differing = skipped.metrics.filter((metric, index) => JSON.stringify(metric) !== JSON.stringify(whole.metrics[index]));
    expect(brokenLine.type).toBe('Point');
    expect(differing.map((metric) => metric.name).every((name) => name === brokenLine.metric || name.startsWith(`${brokenLine.metric}{`))).toBe(true);
  });

  it('says the file looks truncated when the last line is cut', async () => {
    const truncated = broken.replace('broken-line-in-middle', 'truncated');
    const error = (await errorOf(readK6Run('k6.json', truncated))) as QgateError;
    expect(error.message).toContain('the file looks truncated');
    const skipped = await readK6Run('k6.json', truncated, undefined, { onBrokenLine: 'skip' });
    expect(skipped.warnings).toHaveLength(1);
    expect(skipped.warnings[0]).toMatch(/^skipped 1 broken line \(line \d+\)\.$/);
  });
});
