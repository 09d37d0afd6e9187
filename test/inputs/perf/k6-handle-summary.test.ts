import { describe, expect, it } from 'vitest';
import { readHandleSummary } from '../../../src/inputs/perf/k6-handle-summary.js';
import { readK6Run } from '../../../src/inputs/perf/registry.js';
import { judgeK6Thresholds } from '../../../src/measure/k6-thresholds.js';
import { expectRelativelyClose, goldenCases } from './k6-fixtures.js';

/** Counted by hand in the files (`grep -c '"ok": false'` / `'"ok": true'`): [total, failed]. */
const HAND_COUNTED: Record<string, [number, number]> = {
  'k6__Jangwanko_Cloud_portfolio__k6-summary': [3, 1],
  'k6__fede-gut-mad_lw-assignment__k6-summary': [0, 0],
  'k6__mn1809_K6PerformanceTesting__k6-summary': [4, 0],
  'k6__vafast_vafast-benchmarks__k6-results': [6, 0],
};

describe('k6 handleSummary golden fixtures (the values inside the k6 files)', () => {
  const cases = goldenCases('k6-handle-summary');

  it('covers every real handleSummary file of the corpus', () => {
    expect(cases.map((c) => c.name).sort()).toEqual(Object.keys(HAND_COUNTED).sort());
  });

  for (const { name, data, expected } of cases) {
    it(`${name}: metrics, values and verdicts equal the file's`, async () => {
      const run = await readK6Run(name, data);
      expect(run.format).toBe('k6-handle-summary');
      expect(run.metrics.map((metric) => metric.name)).toEqual(Object.keys(expected.metrics).sort());
      for (const metric of run.metrics) {
        const want = expected.metrics[metric.name];
        expect({ type: metric.type, contains: metric.contains }, metric.name).toEqual({ type: want?.type, contains: want?.contains });
        expect(metric.values, metric.name).toEqual(want?.values);
        expect(metric.thresholds, metric.name).toEqual(want?.thresholds);
      }
      expect(run.loadProfile).toEqual(expected.loadProfile);
      expect(run.warnings).toEqual([]);
      const judged = judgeK6Thresholds(run);
      expect([judged.total, judged.failed]).toEqual([expected.thresholds.total, expected.thresholds.failed]);
      expect([judged.total, judged.failed]).toEqual(HAND_COUNTED[name]);
    });
  }
});

describe('k6 handleSummary quirks', () => {
  it('takes `ok: false` as the verdict, with the value it tested', async () => {
    const run = await readK6Run('j.json', goldenCases('k6-handle-summary').find((c) => c.name.startsWith('k6__Jangwanko'))?.data ?? '');
    const judged = judgeK6Thresholds(run);
    expect(judged.failedList).toEqual([
      { metric: 'http_req_failed', expression: 'rate<0.05', source: 'k6', verdictBy: 'k6', actual: 0.9527925340990667 },
    ]);
  });

  it('keeps the verdict of a threshold on a statistic absent from values (p(99) without summaryTrendStats p(99))', async () => {
    const run = await readK6Run('m.json', goldenCases('k6-handle-summary').find((c) => c.name.startsWith('k6__mn1809'))?.data ?? '');
    const duration = run.metrics.find((metric) => metric.name === 'http_req_duration');
    expect(duration?.values['p(99)']).toBeUndefined();
    expect(duration?.thresholds).toContainEqual({ expression: 'p(99)<8000', ok: true });
    expect(judgeK6Thresholds(run).unevaluated).toEqual([]);
  });

  it('keeps custom trends with contains "default"', async () => {
    const run = await readK6Run('v.json', goldenCases('k6-handle-summary').find((c) => c.name.startsWith('k6__vafast'))?.data ?? '');
    expect(run.metrics.find((metric) => metric.name === 'cold_start_time')).toMatchObject({ type: 'trend', contains: 'default' });
  });

  it('reads a 0.3x-style document without options and state, deriving the duration from a counter', () => {
    const run = readHandleSummary(
      {
        metrics: {
          iterations: { type: 'counter', contains: 'default', values: { count: 10, rate: 2 } },
          vus_max: { type: 'gauge', contains: 'default', values: { value: 5, min: 5, max: 5 } },
        },
        root_group: { name: '', path: '', id: 'x', groups: [], checks: [] },
      },
      'old.json',
    );
    expect(run.loadProfile).toEqual({ vusMax: 5, iterations: 10, durationMs: 5000 });
    expectRelativelyClose(run.loadProfile.durationMs ?? undefined, 5000, 0, 'duration');
  });

  it('rejects bare boolean verdicts (the --summary-export polarity) instead of guessing', () => {
    expect(() =>
      readHandleSummary({ metrics: { http_req_duration: { type: 'trend', contains: 'time', values: { avg: 1 }, thresholds: { 'avg<2': true } } } }, 'x.json'),
    ).toThrow(/bare true: that is the --summary-export shape/);
  });

  it('rejects an unknown metric type', () => {
    expect(() => readHandleSummary({ metrics: { x: { type: 'histogram', values: {} } } }, 'x.json')).toThrow(/"type" = "histogram"/);
  });
});
