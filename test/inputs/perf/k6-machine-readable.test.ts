import { describe, expect, it } from 'vitest';
import { readMachineReadableSummary } from '../../../src/inputs/perf/k6-machine-readable.js';
import { readK6Run } from '../../../src/inputs/perf/registry.js';
import { comparePerformance } from '../../../src/measure/perf-compare.js';
import { judgeK6Thresholds } from '../../../src/measure/k6-thresholds.js';
import { expectRelativelyClose, goldenCases } from './k6-fixtures.js';

describe('k6 machine-readable summary (schema 1.0.0, fixture written from the schema)', () => {
  const cases = goldenCases('k6-machine-readable');

  it('has its fixture', () => {
    expect(cases.length).toBe(1);
  });

  for (const { name, data, expected } of cases) {
    it(`${name}: metrics and values equal the file's, renamed to the legacy keys`, async () => {
      const run = await readK6Run(name, data);
      expect(run.format).toBe('k6-machine-readable');
      expect(run.metrics.map((metric) => metric.name)).toEqual(Object.keys(expected.metrics).sort());
      for (const metric of run.metrics) {
        const want = expected.metrics[metric.name];
        expect({ type: metric.type, contains: metric.contains }, metric.name).toEqual({ type: want?.type, contains: want?.contains });
        for (const [key, value] of Object.entries(want?.values ?? {})) expectRelativelyClose(metric.values[key], value, 1e-12, `${metric.name} ${key}`);
        expect(Object.keys(metric.values).sort(), metric.name).toEqual(Object.keys(want?.values ?? {}).sort());
        expect(metric.thresholds).toEqual([]);
      }
      expect(run.loadProfile.vusMax).toBe(expected.loadProfile.vusMax);
      expect(run.loadProfile.iterations).toBe(expected.loadProfile.iterations);
      expectRelativelyClose(run.loadProfile.durationMs ?? undefined, expected.loadProfile.durationMs ?? Number.NaN, 1e-12, 'durationMs');
      expect(judgeK6Thresholds(run).total).toBe(0);
      expect(run.warnings).toEqual(['the k6 machine-readable summary carries no threshold verdicts; only thresholds from qgate\'s config are evaluated.']);
    });
  }

  it('compares like for like with the --summary-export of the same run it was transcribed from', async () => {
    const machine = await readK6Run('m.json', cases[0]?.data ?? '');
    const legacy = await readK6Run('l.json', goldenCases('k6-summary-export').find((c) => c.name.startsWith('k6__itzaddddd'))?.data ?? '');
    const result = comparePerformance(machine, legacy, {
      tracked: [
        { metric: 'http_req_duration', stat: 'p(95)', maxIncreasePercent: 10 },
        { metric: 'http_req_failed', stat: 'rate', maxIncreaseAbsolute: 0.01 },
        { metric: 'checks', stat: 'rate', maxDecreaseAbsolute: 0.01 },
        { metric: 'http_reqs', stat: 'rate', maxDecreasePercent: 10 },
      ],
    });
    expect(result.comparison.likeForLike).toBe(true);
    expect(result.comparison.metrics.map((entry) => [entry.status, entry.deltaAbsolute === null ? null : Math.abs(entry.deltaAbsolute) < 1e-9])).toEqual([
      ['pass', true],
      ['pass', true],
      ['pass', true],
      ['pass', true],
    ]);
  });

  it('accepts a counter with a rate and null trend statistics; evaluates extra thresholds', () => {
    const run = readMachineReadableSummary(
      {
        config: { duration: 10, execution: 'cloud' },
        metadata: { generatedAt: '2026-01-01T00:00:00Z', k6Version: '2.2.0' },
        results: {
          metrics: [
            { name: 'http_reqs', type: 'counter', contains: 'default', values: { count: 50, rate: 4.9 } },
            { name: 'http_req_duration', type: 'trend', contains: 'time', values: { avg: 12, min: 1, med: 10, max: 90, 'p(90)': 30, 'p(95)': null } },
          ],
        },
        version: '1.1.0',
      },
      'x.json',
    );
    expect(run.metrics.find((metric) => metric.name === 'http_reqs')?.values).toEqual({ count: 50, rate: 4.9 });
    expect(run.metrics.find((metric) => metric.name === 'http_req_duration')?.values['p(95)']).toBeUndefined();
    expect(run.loadProfile.durationMs).toBe(10000);
    const judged = judgeK6Thresholds(run, { http_req_duration: ['p(90)<20', 'p(95)<50'] });
    expect(judged).toMatchObject({ total: 2, failed: 1, unevaluated: [{ expression: 'p(95)<50', reason: "p(95) is not among the metric's values" }] });
  });

  it('refuses a schema version other than 1.x and a rate without matches/total', () => {
    expect(() => readMachineReadableSummary({ version: '2.0.0', results: {} }, 'x.json')).toThrow(/schema "version" "2.0.0"/);
    expect(() =>
      readMachineReadableSummary({ version: '1.0.0', results: { metrics: [{ name: 'checks', type: 'rate', contains: 'default', values: { rate: 1 } }] } }, 'x.json'),
    ).toThrow(/needs "matches" ≤ "total"/);
  });
});
