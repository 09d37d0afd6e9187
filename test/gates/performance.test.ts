import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluatePerformanceGate, type PerformanceGateConfig } from '../../src/gates/performance.js';
import { readK6Run } from '../../src/inputs/perf/registry.js';
import { comparePerformance } from '../../src/measure/perf-compare.js';
import type { MetricComparison, PerformanceResult } from '../../src/model/performance.js';

const PERF = fileURLToPath(new URL('../../fixtures/perf/', import.meta.url));

function fixture(folder: string, prefix: string): string {
  const name = readdirSync(join(PERF, folder)).find((file) => file.startsWith(prefix) && !file.endsWith('.expected.json'));
  if (!name) throw new Error(`no fixture ${prefix}`);
  return join(PERF, folder, name);
}

/** The defaults proposed for gates/default.yml. */
const CONFIG: PerformanceGateConfig = {
  enabled: true,
  blocking: true,
  onMissing: 'skip',
  thresholds: 'fail',
  tracked: [
    { metric: 'http_req_duration', stat: 'p(95)', maxIncreasePercent: 10, minAbsoluteDelta: 5 },
    { metric: 'http_req_failed', stat: 'rate', maxIncreaseAbsolute: 0.01 },
    { metric: 'checks', stat: 'rate' },
  ],
  extraThresholds: {},
  onBrokenLine: 'fail',
};

function comparison(partial: Partial<MetricComparison>): MetricComparison {
  return {
    metric: 'http_req_duration',
    stat: 'p(95)',
    current: 246.8,
    baseline: 200,
    deltaPercent: 23.4,
    deltaAbsolute: 46.8,
    deltaText: '+23.4%',
    direction: 'lower-is-better',
    status: 'regressed',
    limit: 'max +10%',
    note: null,
    ...partial,
  };
}

function perf(partial: { thresholds?: Partial<PerformanceResult['thresholds']>; comparison?: Partial<PerformanceResult['comparison']>; metricCount?: number } = {}): PerformanceResult {
  return {
    run: {
      format: 'k6-summary-export',
      metricCount: partial.metricCount ?? 17,
      loadProfile: { vusMax: 10, iterations: 100, durationMs: 30_000 },
      baselineFormat: 'k6-summary-export',
      baselineLoadProfile: { vusMax: 10, iterations: 100, durationMs: 30_000 },
      quantileRelativeError: null,
      warnings: [],
    },
    thresholds: { total: 0, failed: 0, failedList: [], unevaluated: [], ...partial.thresholds },
    comparison: { baselineAvailable: true, likeForLike: true, reason: null, metrics: [], ...partial.comparison },
  };
}

const TWO_FAILED: Partial<PerformanceResult['thresholds']> = {
  total: 9,
  failed: 2,
  failedList: [
    { metric: 'http_req_duration', expression: 'p(95)<500', source: 'k6', verdictBy: 'k6', actual: 612.5 },
    { metric: 'http_req_failed', expression: 'rate<0.01', source: 'k6', verdictBy: 'k6', actual: 0.034 },
  ],
};

describe('evaluatePerformanceGate', () => {
  it('fails on failed k6 thresholds and a like-for-like regression, saying both in one line', () => {
    const outcome = evaluatePerformanceGate(CONFIG, perf({ thresholds: TWO_FAILED, comparison: { metrics: [comparison({})] } }));
    expect(outcome).toEqual({
      status: 'fail',
      actual: 3,
      threshold: 0,
      reason: '2 of 9 k6 thresholds failed: http_req_duration p(95)<500 (612.5), http_req_failed rate<0.01 (0.034); http_req_duration p(95) +23.4% vs baseline (max +10%)',
    });
  });

  it('passes with every threshold passed and nothing regressed', () => {
    const outcome = evaluatePerformanceGate(
      CONFIG,
      perf({ thresholds: { total: 3 }, comparison: { metrics: [comparison({ status: 'pass', deltaText: '+2%' }), comparison({ metric: 'checks', stat: 'rate', status: 'pass' })] } }),
    );
    expect(outcome).toEqual({ status: 'pass', actual: 0, threshold: 0, reason: 'all 3 k6 thresholds passed; no tracked metric regressed (2 compared)' });
  });

  it('skips the comparison without a baseline, and says so, instead of failing', () => {
    const outcome = evaluatePerformanceGate(
      CONFIG,
      perf({ thresholds: { total: 2 }, comparison: { baselineAvailable: false, likeForLike: false, reason: 'no baseline run was given; comparison skipped', metrics: [comparison({ status: 'skip', note: 'no baseline' })] } }),
    );
    expect(outcome).toEqual({ status: 'pass', actual: 0, threshold: 0, reason: 'all 2 k6 thresholds passed; no baseline: comparison skipped' });
  });

  it('only warns about a regression between runs under different load', () => {
    const outcome = evaluatePerformanceGate(
      CONFIG,
      perf({ comparison: { likeForLike: false, reason: 'the load profile differs by more than ±10%: vus_max 340 vs 45 in the baseline', metrics: [comparison({})] } }),
    );
    expect(outcome.status).toBe('warn');
    expect(outcome.reason).toBe(
      'http_req_duration p(95) +23.4% vs baseline (max +10%) — not failed: the load profile differs by more than ±10%: vus_max 340 vs 45 in the baseline; no k6 thresholds defined',
    );
  });

  it('still fails on k6 thresholds when the load differs', () => {
    const outcome = evaluatePerformanceGate(CONFIG, perf({ thresholds: TWO_FAILED, comparison: { likeForLike: false, reason: 'x', metrics: [comparison({})] } }));
    expect(outcome.status).toBe('fail');
  });

  it('follows the thresholds policy: warn or ignore', () => {
    expect(evaluatePerformanceGate({ ...CONFIG, thresholds: 'warn' }, perf({ thresholds: TWO_FAILED })).status).toBe('warn');
    const ignored = evaluatePerformanceGate({ ...CONFIG, thresholds: 'ignore' }, perf({ thresholds: TWO_FAILED }));
    expect(ignored).toEqual({ status: 'pass', actual: 0, threshold: 0, reason: 'k6 thresholds not judged (thresholds: ignore; 2 of 9 failed)' });
  });

  it('warns about thresholds nobody could evaluate: no data is never a pass', () => {
    const outcome = evaluatePerformanceGate(
      CONFIG,
      perf({ thresholds: { total: 2, unevaluated: [{ metric: 'errors', expression: 'rate<0.1', source: 'k6', reason: 'the metric has no samples' }] } }),
    );
    expect(outcome).toMatchObject({ status: 'warn', actual: 0 });
    expect(outcome.reason).toBe('1 threshold could not be evaluated (errors rate<0.1: the metric has no samples); 1 of 2 k6 thresholds passed');
  });

  it('applies onMissing when there are no k6 results, or when they hold no metrics', () => {
    for (const onMissing of ['fail', 'warn', 'skip'] as const) {
      expect(evaluatePerformanceGate({ ...CONFIG, onMissing }, null)).toEqual({
        status: onMissing,
        actual: null,
        threshold: null,
        reason: `no k6 results were given; onMissing is "${onMissing}"`,
      });
    }
    expect(evaluatePerformanceGate({ ...CONFIG, onMissing: 'fail' }, perf({ metricCount: 0 }))).toMatchObject({
      status: 'fail',
      reason: 'the k6 results (k6-summary-export) hold no metrics; onMissing is "fail"',
    });
  });

  it('is skipped when disabled', () => {
    expect(evaluatePerformanceGate({ ...CONFIG, enabled: false }, perf({ thresholds: TWO_FAILED }))).toEqual({ status: 'skip', actual: null, threshold: null, reason: 'disabled in the config' });
  });

  it('lists at most three items and says how many more', () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ metric: `m${i}`, expression: 'rate<0.1', source: 'k6' as const, verdictBy: 'k6' as const, actual: null }));
    const outcome = evaluatePerformanceGate(CONFIG, perf({ thresholds: { total: 5, failed: 5, failedList: many } }));
    expect(outcome.reason).toBe('5 of 5 k6 thresholds failed: m0 rate<0.1, m1 rate<0.1, m2 rate<0.1 and 2 more');
  });

  it('mentions tracked statistics that could not be compared', () => {
    const outcome = evaluatePerformanceGate(CONFIG, perf({ comparison: { metrics: [comparison({ status: 'pass' }), comparison({ metric: 'checks', stat: 'rate', status: 'skip', note: 'not in the baseline' })] } }));
    expect(outcome.reason).toBe('no k6 thresholds defined; no tracked metric regressed (1 compared); not compared: checks rate (not in the baseline)');
  });
});

describe('evaluatePerformanceGate on real k6 files', () => {
  const tracked = CONFIG.tracked;

  it('the broken run (svastiks run-1) against the healthy one (run-5): fails on the k6 threshold and the error-rate regression', async () => {
    const baseline = await readK6Run('run-5.json', fixture('k6-summary-export', 'k6__svastiks_microservices-stress-test-llm-analysis__run-5'));
    const current = await readK6Run('run-1.json', fixture('k6-summary-export', 'k6__svastiks_microservices-stress-test-llm-analysis__run-1'));
    const outcome = evaluatePerformanceGate(CONFIG, comparePerformance(current, baseline, { tracked }));
    expect(outcome).toEqual({
      status: 'fail',
      actual: 2,
      threshold: 0,
      reason: '1 of 3 k6 thresholds failed: http_req_failed rate<0.05 (1); http_req_failed rate +100 points vs baseline (max +1 point)',
    });
  });

  it('a passing NDJSON stream without a baseline passes, its Metric-line thresholds evaluated by qgate', async () => {
    const current = await readK6Run('s.json', fixture('k6-ndjson', 'k6__rodolfodpk'));
    const outcome = evaluatePerformanceGate(CONFIG, comparePerformance(current, null, { tracked }));
    expect(outcome).toEqual({ status: 'pass', actual: 0, threshold: 0, reason: 'all 3 k6 thresholds passed; no baseline: comparison skipped' });
  });

  it('handleSummary with ok:false fails', async () => {
    const current = await readK6Run('h.json', fixture('k6-handle-summary', 'k6__Jangwanko'));
    const outcome = evaluatePerformanceGate(CONFIG, comparePerformance(current, null, { tracked }));
    expect(outcome.status).toBe('fail');
    expect(outcome.reason).toBe('1 of 3 k6 thresholds failed: http_req_failed rate<0.05 (0.9528); no baseline: comparison skipped');
  });
});
