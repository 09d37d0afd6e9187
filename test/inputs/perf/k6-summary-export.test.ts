import { describe, expect, it } from 'vitest';
import { isQgateError } from '../../../src/errors.js';
import { k6SummaryExportParser, readSummaryExport } from '../../../src/inputs/perf/k6-summary-export.js';
import { readK6Run } from '../../../src/inputs/perf/registry.js';
import { judgeK6Thresholds } from '../../../src/measure/k6-thresholds.js';
import { chunksOf, errorOf, expectRelativelyClose, goldenCases } from './k6-fixtures.js';

/** Counted by hand in the files (`grep -c '": true'` / `'": false'`): [total, failed]. */
const HAND_COUNTED: Record<string, [number, number]> = {
  'k6__ArRstgi_Team-Cache-Flow-Ticketing__k6-summary': [2, 0],
  'k6__Sweet-Poision_rate-limiter__k6-summary': [1, 1],
  'k6__Sweet-Poision_rate-limiter__low-summary': [1, 0],
  'k6__Sweet-Poision_rate-limiter__medium-summary': [1, 0],
  'k6__andreposman_qr-code-generator__summary-export': [0, 0],
  'k6__itzaddddd_ticket-reserve__summary-export': [0, 0],
  'k6__noerkholis-me_high-vol-ticketing__k6-summary': [4, 0],
  'k6__sirhCC_APIRateLimiter__k6-results': [3, 1],
  'k6__svastiks_microservices-stress-test-llm-analysis__run-1-iteration-1-k6-run-summary': [3, 1],
  'k6__svastiks_microservices-stress-test-llm-analysis__run-5-iteration-1-k6-run-summary': [3, 0],
  'k6__tiagonline_kit-qa-outsera__k6-summary': [2, 0],
};

describe('k6 --summary-export golden fixtures (the values inside the k6 files)', () => {
  const cases = goldenCases('k6-summary-export');

  it('covers every real --summary-export file of the corpus', () => {
    expect(cases.map((c) => c.name).sort()).toEqual(Object.keys(HAND_COUNTED).sort());
  });

  for (const { name, data, expected } of cases) {
    it(`${name}: metrics, values and verdicts equal the file's`, async () => {
      const run = await readK6Run(name, data);
      expect(run.format).toBe('k6-summary-export');
      expect(run.metrics.map((metric) => metric.name)).toEqual(Object.keys(expected.metrics).sort());
      for (const metric of run.metrics) {
        const want = expected.metrics[metric.name];
        expect(metric.type, metric.name).toBe(want?.type);
        expect(metric.values, metric.name).toEqual(want?.values);
        expect(metric.thresholds, metric.name).toEqual(want?.thresholds);
      }
      expect(run.loadProfile.vusMax).toBe(expected.loadProfile.vusMax);
      expect(run.loadProfile.iterations).toBe(expected.loadProfile.iterations);
      if (expected.loadProfile.durationMs === null) expect(run.loadProfile.durationMs).toBeNull();
      else expectRelativelyClose(run.loadProfile.durationMs ?? undefined, expected.loadProfile.durationMs, 1e-12, 'durationMs');
      expect(run.warnings).toEqual([]);
      expect(run.quantileRelativeError).toBeNull();

      const judged = judgeK6Thresholds(run);
      expect([judged.total, judged.failed]).toEqual([expected.thresholds.total, expected.thresholds.failed]);
      expect([judged.total, judged.failed]).toEqual(HAND_COUNTED[name]);
      expect(judged.unevaluated).toEqual([]);
    });
  }
});

describe('k6 --summary-export quirks', () => {
  it('reads a threshold written `true` as FAILED (ok: false) and `false` as passed', async () => {
    const failed = await readK6Run('f.json', cases('k6__Sweet-Poision_rate-limiter__k6-summary'));
    const duration = failed.metrics.find((metric) => metric.name === 'http_req_duration');
    expect(duration?.values['p(95)']).toBeCloseTo(269.06783674999986, 10);
    expect(duration?.thresholds).toEqual([{ expression: 'p(95)<50', ok: false }]);
    const passed = await readK6Run('p.json', cases('k6__Sweet-Poision_rate-limiter__low-summary'));
    expect(passed.metrics.find((metric) => metric.name === 'http_req_duration')?.thresholds).toEqual([{ expression: 'p(95)<50', ok: true }]);
  });

  it('names a rate’s `value` `rate` and keeps passes = failed requests for http_req_failed', async () => {
    const run = await readK6Run('r.json', cases('k6__sirhCC_APIRateLimiter__k6-results'));
    const failed = run.metrics.find((metric) => metric.name === 'http_req_failed');
    expect(failed).toMatchObject({ type: 'rate', contains: 'default', values: { passes: 1, fails: 0, rate: 1 } });
    expect(failed?.thresholds).toEqual([{ expression: 'rate<0.1', ok: false }]);
  });

  it('infers each type from the statistics, with custom summaryTrendStats (p(99.9), count) and p(50) beside med', async () => {
    const andre = await readK6Run('a.json', cases('k6__andreposman_qr-code-generator__summary-export'));
    const duration = andre.metrics.find((metric) => metric.name === 'http_req_duration');
    expect(duration?.type).toBe('trend');
    expect(duration?.values).toMatchObject({ 'p(99.9)': 787.1129890000226, count: 493168 });
    expect(andre.metrics.find((metric) => metric.name === 'vus_max')).toMatchObject({ type: 'gauge', values: { value: 174, min: 174, max: 174 } });
    expect(andre.metrics.find((metric) => metric.name === 'http_reqs')).toMatchObject({ type: 'counter', values: { count: 493168 } });
    const ar = await readK6Run('b.json', cases('k6__ArRstgi_Team-Cache-Flow-Ticketing__k6-summary'));
    expect(ar.metrics.find((metric) => metric.name === 'http_req_duration')?.values).toMatchObject({ 'p(50)': 1.620935, med: 1.620935 });
  });

  it('keeps tagged sub-metrics as metrics of their own, with the parent’s kind', async () => {
    const run = await readK6Run('n.json', cases('k6__noerkholis-me_high-vol-ticketing__k6-summary'));
    expect(run.metrics.find((metric) => metric.name === 'http_req_duration{expected_response:true}')).toMatchObject({
      type: 'trend',
      contains: 'time',
      thresholds: [{ expression: 'p(95)<500', ok: true }],
    });
    expect(run.metrics.find((metric) => metric.name === 'http_req_failed{status:>=500}')).toMatchObject({
      type: 'rate',
      values: { passes: 0, fails: 0, rate: 0 },
    });
    expect(run.metrics.find((metric) => metric.name === 'booking_success_rate')?.contains).toBeNull();
  });

  it('derives the duration from the iterations counter (count ÷ rate)', async () => {
    const run = await readK6Run('i.json', cases('k6__itzaddddd_ticket-reserve__summary-export'));
    expectRelativelyClose(run.loadProfile.durationMs ?? undefined, (100 / 23.738350582489275) * 1000, 1e-12, 'durationMs');
  });

  it('gives the same run whatever the chunking', async () => {
    const text = JSON.stringify({ metrics: { http_reqs: { count: 3, rate: 1.5 }, vus: { value: 2, min: 1, max: 2 } } });
    const whole = await k6SummaryExportParser.parse(chunksOf(text), 'x.json');
    const split = await k6SummaryExportParser.parse(chunksOf(text, 3), 'x.json');
    expect(split).toEqual(whole);
    expect(whole.loadProfile).toEqual({ vusMax: 2, iterations: null, durationMs: 2000 });
  });

  it('skips a metric whose statistics fit no type, with a warning', () => {
    const run = readSummaryExport({ metrics: { odd: { foo: 1 }, http_reqs: { count: 1, rate: 1 } } }, 'x.json');
    expect(run.metrics.map((metric) => metric.name)).toEqual(['http_reqs']);
    expect(run.warnings).toEqual(['metric "odd" was skipped: its statistics (foo) fit no k6 metric type.']);
  });

  it('refuses handleSummary data forced as --summary-export, saying which it is', async () => {
    const error = await errorOf(readK6Run('h.json', cases('k6__Jangwanko_Cloud_portfolio__k6-summary', 'k6-handle-summary'), 'k6-summary-export'));
    expect(isQgateError(error) && error.code).toBe('INPUT_MALFORMED');
    expect((error as Error).message).toContain('this is handleSummary data');
  });

  it('refuses a document without metrics', () => {
    expect(() => readSummaryExport([], 'x.json')).toThrow(/is an array; a k6 --summary-export file is/);
    expect(() => readSummaryExport({ root_group: {} }, 'x.json')).toThrow(/without a "metrics" object/);
  });
});

function cases(name: string, folder = 'k6-summary-export'): string {
  const found = goldenCases(folder).find((c) => c.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found.data;
}
