import { describe, expect, it } from 'vitest';
import { evaluatePerformanceGate, type PerformanceGateConfig } from '../../src/gates/performance.js';
import { comparePerformance } from '../../src/measure/perf-compare.js';
import { compareWithHistory, type HistoryRun } from '../../src/measure/perf-history.js';
import type { K6Run } from '../../src/model/performance.js';

const CONFIG: PerformanceGateConfig = {
  enabled: true,
  blocking: true,
  onMissing: 'skip',
  thresholds: 'fail',
  tracked: [{ metric: 'http_req_duration', stat: 'p(95)', maxIncreasePercent: 10, minAbsoluteDelta: 5 }],
  extraThresholds: {},
  onBrokenLine: 'fail',
};

function k6Run(p95: number, threshold?: { ok: boolean }): K6Run {
  return {
    format: 'k6-summary-export',
    metrics: [{ name: 'http_req_duration', type: 'trend', contains: 'time', values: { 'p(95)': p95 }, thresholds: threshold ? [{ expression: 'p(95)<300', ok: threshold.ok }] : [] }],
    loadProfile: { vusMax: 10, iterations: 100, durationMs: 10_000 },
    warnings: [],
    quantileRelativeError: null,
  };
}

const HISTORY: HistoryRun[] = [200, 204, 198, 201, 203].map((p95, index) => ({ run: k6Run(p95), commit: `${index}`.repeat(40), date: `2026-12-0${index + 1}T10:00:00Z`, source: `pipeline ${index}` }));

function gate(current: K6Run, history: HistoryRun[]) {
  const perf = comparePerformance(current, null, { tracked: CONFIG.tracked });
  return evaluatePerformanceGate(CONFIG, { ...perf, history: compareWithHistory(current, history, { tracked: CONFIG.tracked }) });
}

describe('performance gate against a history', () => {
  it('fails a regression beyond the range and the tolerance, showing the range', () => {
    const outcome = gate(k6Run(260), HISTORY);
    expect(outcome).toMatchObject({ status: 'fail', actual: 1 });
    expect(outcome.reason).toContain('regressed against the last 5 default-branch runs: http_req_duration p(95) 260 (baseline 198–204, bound 224.4)');
  });

  it('passes inside the range', () => {
    expect(gate(k6Run(215), HISTORY)).toMatchObject({ status: 'pass', actual: 0 });
  });

  it('says inconclusive without failing for a too short history', () => {
    const outcome = gate(k6Run(400), HISTORY.slice(0, 2));
    expect(outcome.status).toBe('pass');
    expect(outcome.reason).toContain('against the history: inconclusive, 2 of the 2 baseline runs are comparable, fewer than the 3 needed');
  });

  it("lets k6's own failed threshold decide first", () => {
    const outcome = gate(k6Run(210, { ok: false }), HISTORY);
    expect(outcome.status).toBe('fail');
    expect(outcome.reason).toMatch(/^1 of 1 k6 threshold failed/);
  });
});
