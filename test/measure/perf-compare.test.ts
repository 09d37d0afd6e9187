import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readK6Run } from '../../src/inputs/perf/registry.js';
import { comparePerformance, directionOf, loadProfileDifference, type TrackedMetric } from '../../src/measure/perf-compare.js';
import type { K6LoadProfile, K6Metric, K6Run } from '../../src/model/performance.js';

const PERF = fileURLToPath(new URL('../../fixtures/perf/', import.meta.url));

function fixture(folder: string, prefix: string): string {
  const name = readdirSync(join(PERF, folder)).find((file) => file.startsWith(prefix) && !file.endsWith('.expected.json'));
  if (!name) throw new Error(`no fixture ${prefix}`);
  return join(PERF, folder, name);
}

const PROFILE: K6LoadProfile = { vusMax: 50, iterations: 1000, durationMs: 60_000 };

function run(metrics: Partial<Record<string, Partial<K6Metric>>>, loadProfile: K6LoadProfile = PROFILE): K6Run {
  return {
    format: 'k6-summary-export',
    metrics: Object.entries(metrics).map(([name, partial]) => ({ name, type: 'trend', contains: 'time', values: {}, thresholds: [], ...partial })),
    loadProfile,
    warnings: [],
    quantileRelativeError: null,
  };
}

const DEFAULT_TRACKED: TrackedMetric[] = [
  { metric: 'http_req_duration', stat: 'p(95)', maxIncreasePercent: 10, minAbsoluteDelta: 5 },
  { metric: 'http_req_failed', stat: 'rate', maxIncreaseAbsolute: 0.01 },
];

function durationRun(p95: number, failedRate = 0, loadProfile?: K6LoadProfile): K6Run {
  return run(
    {
      http_req_duration: { values: { avg: p95 / 2, 'p(95)': p95 } },
      http_req_failed: { type: 'rate', contains: 'default', values: { rate: failedRate, passes: failedRate * 1000, fails: 1000 - failedRate * 1000 } },
    },
    loadProfile,
  );
}

describe('directionOf', () => {
  it.each([
    ['http_req_duration', 'p(95)', 'trend', 'lower-is-better'],
    ['http_req_duration{expected_response:true}', 'avg', 'trend', 'lower-is-better'],
    ['checks', 'rate', 'rate', 'higher-is-better'],
    ['http_req_failed', 'rate', 'rate', 'lower-is-better'],
    ['errors', 'rate', 'rate', 'lower-is-better'],
    ['booking_success_rate', 'rate', 'rate', 'higher-is-better'],
    ['http_reqs', 'rate', 'counter', 'higher-is-better'],
    ['iterations', 'count', 'counter', 'higher-is-better'],
    ['dropped_iterations', 'count', 'counter', 'lower-is-better'],
    ['vus', 'value', 'gauge', 'lower-is-better'],
    ['http_reqs', 'rate', null, 'higher-is-better'],
    ['http_req_failed', 'rate', null, 'lower-is-better'],
    ['custom_latency', 'p(99)', null, 'lower-is-better'],
  ] as const)('%s %s (%s) → %s', (metric, stat, type, direction) => {
    expect(directionOf(metric, stat, type)).toBe(direction);
  });
});

describe('comparePerformance', () => {
  it('flags p(95) +23.4% against a +10% tolerance as regressed', () => {
    const result = comparePerformance(durationRun(246.8), durationRun(200), { tracked: DEFAULT_TRACKED });
    expect(result.comparison).toMatchObject({ baselineAvailable: true, likeForLike: true, reason: null });
    expect(result.comparison.metrics[0]).toEqual({
      metric: 'http_req_duration',
      stat: 'p(95)',
      current: 246.8,
      baseline: 200,
      deltaPercent: 23.4,
      deltaAbsolute: 246.8 - 200,
      deltaText: '+23.4%',
      direction: 'lower-is-better',
      status: 'regressed',
      limit: 'max +10%',
      note: null,
    });
  });

  it('passes +9.9%, marks −12% improved, and never judges a change under the noise floor', () => {
    const tracked = [DEFAULT_TRACKED[0] as TrackedMetric];
    expect(comparePerformance(durationRun(219.8), durationRun(200), { tracked }).comparison.metrics[0]?.status).toBe('pass');
    expect(comparePerformance(durationRun(176), durationRun(200), { tracked }).comparison.metrics[0]).toMatchObject({ status: 'improved', deltaText: '−12%' });
    // +50% but only +4 ms: noise.
    const noisy = comparePerformance(durationRun(12), durationRun(8), { tracked }).comparison.metrics[0];
    expect(noisy).toMatchObject({ status: 'pass', deltaPercent: 50, note: 'within the noise floor of 5 ms' });
  });

  it('holds http_req_failed to percentage points: +0.9 points passes, +1.5 points regresses', () => {
    const tracked = [DEFAULT_TRACKED[1] as TrackedMetric];
    const small = comparePerformance(durationRun(100, 0.029), durationRun(100, 0.02), { tracked }).comparison.metrics[0];
    expect(small).toMatchObject({ status: 'pass', limit: 'max +1 point', deltaText: '+0.9 points' });
    const big = comparePerformance(durationRun(100, 0.035), durationRun(100, 0.02), { tracked }).comparison.metrics[0];
    expect(big).toMatchObject({ status: 'regressed', deltaText: '+1.5 points', deltaPercent: 75 });
    const fromZero = comparePerformance(durationRun(100, 0.02), durationRun(100, 0), { tracked }).comparison.metrics[0];
    expect(fromZero).toMatchObject({ status: 'regressed', deltaPercent: null, deltaText: '+2 points' });
  });

  it('judges higher-is-better statistics by their decrease (checks rate, throughput)', () => {
    const current = run({ checks: { type: 'rate', contains: 'default', values: { rate: 0.95 } }, http_reqs: { type: 'counter', contains: 'default', values: { count: 900, rate: 15 } } });
    const baseline = run({ checks: { type: 'rate', contains: 'default', values: { rate: 0.99 } }, http_reqs: { type: 'counter', contains: 'default', values: { count: 1000, rate: 16.7 } } });
    const result = comparePerformance(current, baseline, {
      tracked: [
        { metric: 'checks', stat: 'rate', maxDecreaseAbsolute: 0.02 },
        { metric: 'http_reqs', stat: 'rate', maxDecreasePercent: 15 },
        { metric: 'http_reqs', stat: 'rate', maxIncreasePercent: 1 },
      ],
    });
    expect(result.comparison.metrics.map((entry) => [entry.direction, entry.status, entry.limit])).toEqual([
      ['higher-is-better', 'regressed', 'max −2 points'],
      ['higher-is-better', 'pass', 'max −15%'],
      // An increase limit on a higher-is-better statistic never applies.
      ['higher-is-better', 'pass', null],
    ]);
    expect(result.comparison.metrics[2]?.note).toBe('no tolerance set: shown, never judged');
  });

  it('skips statistics missing on either side, and everything without a baseline', () => {
    const current = durationRun(100);
    const baseline = run({ http_req_duration: { values: { avg: 50 } } });
    const tracked: TrackedMetric[] = [...DEFAULT_TRACKED, { metric: 'grpc_req_duration', stat: 'p(95)', maxIncreasePercent: 10 }];
    expect(comparePerformance(current, baseline, { tracked }).comparison.metrics.map((entry) => [entry.status, entry.note])).toEqual([
      ['skip', "p(95) is not among the baseline's values"],
      ['skip', 'not in the baseline'],
      ['skip', 'not in the current run'],
    ]);
    const alone = comparePerformance(current, null, { tracked: DEFAULT_TRACKED });
    expect(alone.comparison).toMatchObject({ baselineAvailable: false, likeForLike: false, reason: 'no baseline run was given; comparison skipped' });
    expect(alone.comparison.metrics.map((entry) => [entry.status, entry.current, entry.note])).toEqual([
      ['skip', 100, 'no baseline'],
      ['skip', 0, 'no baseline'],
    ]);
    expect(alone.run).toMatchObject({ format: 'k6-summary-export', metricCount: 2, baselineFormat: null, baselineLoadProfile: null });
  });

  it('compares sub-metrics written with other spacing or tag order', () => {
    const current = run({ 'http_req_duration{expected_response:true,scenario:a}': { values: { 'p(95)': 300 } } });
    const baseline = run({ 'http_req_duration{scenario:a,expected_response:true}': { values: { 'p(95)': 200 } } });
    const result = comparePerformance(current, baseline, { tracked: [{ metric: 'http_req_duration{ scenario: a, expected_response: true }', stat: 'p(95)', maxIncreasePercent: 10 }] });
    expect(result.comparison.metrics[0]).toMatchObject({ status: 'regressed', deltaPercent: 50 });
  });

  it('flags a different load as not like-for-like: VUs, or iterations and duration together', () => {
    expect(loadProfileDifference({ vusMax: 100, iterations: 1000, durationMs: 60_000 }, PROFILE)).toBe(
      'the load profile differs by more than ±10%: vus_max 100 vs 50 in the baseline',
    );
    expect(loadProfileDifference({ vusMax: 50, iterations: 2000, durationMs: 120_000 }, PROFILE)).toBe(
      'the load profile differs by more than ±10%: iterations 2000 vs 1000 and duration 120 s vs 60 s',
    );
    // A slower system completes fewer iterations in the same time: that is the regression, not another load.
    expect(loadProfileDifference({ vusMax: 50, iterations: 600, durationMs: 60_000 }, PROFILE)).toBeNull();
    // A fixed-iterations test takes longer when the system is slower: same.
    expect(loadProfileDifference({ vusMax: 50, iterations: 1000, durationMs: 90_000 }, PROFILE)).toBeNull();
    expect(loadProfileDifference({ vusMax: 54, iterations: 1000, durationMs: 60_000 }, PROFILE)).toBeNull();
    expect(loadProfileDifference({ vusMax: null, iterations: null, durationMs: null }, PROFILE)).toBeNull();
    const result = comparePerformance(durationRun(300, 0, { vusMax: 200, iterations: 4000, durationMs: 60_000 }), durationRun(200), { tracked: DEFAULT_TRACKED });
    expect(result.comparison.likeForLike).toBe(false);
    expect(result.comparison.metrics[0]?.status).toBe('regressed');
  });

  it('real pair — two load levels of one script (Sweet-Poision low → medium): not like-for-like, p(95) +1449%', async () => {
    const baseline = await readK6Run('low.json', fixture('k6-summary-export', 'k6__Sweet-Poision_rate-limiter__low'));
    const current = await readK6Run('medium.json', fixture('k6-summary-export', 'k6__Sweet-Poision_rate-limiter__medium'));
    const result = comparePerformance(current, baseline, { tracked: DEFAULT_TRACKED });
    expect(result.comparison.likeForLike).toBe(false);
    expect(result.comparison.reason).toBe('the load profile differs by more than ±10%: vus_max 340 vs 45 in the baseline');
    expect(result.comparison.metrics[0]).toMatchObject({ status: 'regressed', deltaPercent: 1448.83, deltaText: '+1448.8%' });
    expect(result.thresholds).toMatchObject({ total: 1, failed: 0 });
  });

  it('real pair — a healthy run then a broken one of the same test (svastiks run-5 → run-1): like-for-like, errors regress, durations "improve" to 0', async () => {
    const baseline = await readK6Run('run-5.json', fixture('k6-summary-export', 'k6__svastiks_microservices-stress-test-llm-analysis__run-5'));
    const current = await readK6Run('run-1.json', fixture('k6-summary-export', 'k6__svastiks_microservices-stress-test-llm-analysis__run-1'));
    const result = comparePerformance(current, baseline, {
      tracked: [...DEFAULT_TRACKED, { metric: 'checks', stat: 'rate', maxDecreaseAbsolute: 0.01 }],
    });
    expect(result.comparison).toMatchObject({ likeForLike: true, reason: null });
    expect(result.comparison.metrics.map((entry) => [entry.metric, entry.status, entry.deltaText])).toEqual([
      ['http_req_duration', 'improved', '−100%'],
      ['http_req_failed', 'regressed', '+100 points'],
      ['checks', 'regressed', '−100 points'],
    ]);
    expect(result.thresholds).toMatchObject({ total: 3, failed: 1, failedList: [{ metric: 'http_req_failed', expression: 'rate<0.05' }] });
  });

  it('real pair across formats — the NDJSON stream against k6’s own summary of the same run: no regression, percentiles exact (no error reported)', async () => {
    const stream = await readK6Run('s.json', fixture('k6-ndjson', 'k6__itzaddddd'));
    const summary = await readK6Run('e.json', fixture('k6-summary-export', 'k6__itzaddddd'));
    const result = comparePerformance(stream, summary, { tracked: DEFAULT_TRACKED });
    expect(result.comparison.likeForLike).toBe(true);
    expect(result.comparison.metrics.map((entry) => entry.status)).toEqual(['pass', 'pass']);
    // The stream's p(95) is computed as k6 computes it, so it equals k6's own export of the same run.
    expect(Math.abs(result.comparison.metrics[0]?.deltaPercent ?? 100)).toBeLessThanOrEqual(1e-9);
    expect(result.run).toMatchObject({ format: 'k6-ndjson', baselineFormat: 'k6-summary-export', quantileRelativeError: null });
  });

  it('evaluates extra thresholds and passes warnings through, the baseline’s marked', () => {
    const current = { ...durationRun(250), warnings: ['skipped 1 broken line (line 9).'] };
    const baseline = { ...durationRun(200), warnings: ['the stream holds no data points.'] };
    const result = comparePerformance(current, baseline, { tracked: [], extraThresholds: { http_req_duration: ['p(95)<200'] } });
    expect(result.thresholds).toMatchObject({ total: 1, failed: 1 });
    expect(result.run.warnings).toEqual(['skipped 1 broken line (line 9).', 'baseline: the stream holds no data points.']);
  });
});
