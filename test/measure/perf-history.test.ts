import { describe, expect, it } from 'vitest';
import { compareWithHistory, scenariosOf, type HistoryRun } from '../../src/measure/perf-history.js';
import type { TrackedMetric } from '../../src/measure/perf-compare.js';
import type { K6LoadProfile, K6Run } from '../../src/model/performance.js';
import { seededRandom } from '../e2e/git-repo.js';

const PROFILE: K6LoadProfile = { vusMax: 50, iterations: 1000, durationMs: 60_000 };
const TRACKED: TrackedMetric[] = [
  { metric: 'http_req_duration', stat: 'p(95)', maxIncreasePercent: 10, minAbsoluteDelta: 5 },
  { metric: 'http_req_failed', stat: 'rate', maxIncreaseAbsolute: 0.01 },
];


function k6Run(p95: number, options: { failed?: number; scenario?: string; profile?: K6LoadProfile } = {}): K6Run {
  const scenario = options.scenario ?? 'browse';
  return {
    format: 'k6-summary-export',
    metrics: [
      { name: 'http_req_duration', type: 'trend', contains: 'time', values: { avg: p95 / 2, 'p(95)': p95 }, thresholds: [] },
      { name: `http_req_duration{scenario:${scenario}}`, type: 'trend', contains: 'time', values: { 'p(95)': p95 }, thresholds: [] },
      { name: 'http_req_failed', type: 'rate', contains: 'default', values: { rate: options.failed ?? 0 }, thresholds: [] },
    ],
    loadProfile: options.profile ?? PROFILE,
    warnings: [],
    quantileRelativeError: null,
  };
}

/** `count` default-branch runs of p95 ≈ `center` ± `spread` (a fraction), oldest first. */
function history(count: number, center: number, spread: number, seed = 1, options: Parameters<typeof k6Run>[1] = {}): HistoryRun[] {
  const next = seededRandom(seed);
  return Array.from({ length: count }, (_, index) => ({
    run: k6Run(Math.round(center * (1 + (next() * 2 - 1) * spread)), options),
    commit: `${index}`.repeat(40).slice(0, 40),
    date: `2026-12-0${index + 1}T10:00:00Z`,
    source: `pipeline ${100 + index}`,
  }));
}

describe('compareWithHistory', () => {
  it('passes a run inside a stable history', () => {
    const result = compareWithHistory(k6Run(204), history(5, 200, 0.02), { tracked: TRACKED });
    expect(result.verdict).toBe('pass');
    expect(result.compared).toHaveLength(5);
    const p95 = result.statistics[0]!;
    expect(p95.values).toHaveLength(5);
    expect(p95.range!.min).toBeGreaterThanOrEqual(196);
    expect(p95.range!.max).toBeLessThanOrEqual(204);
    expect(p95.regressionBound).toBeCloseTo(p95.range!.max * 1.1, 6);
  });

  it('regresses a run clearly above a stable history plus the tolerance', () => {
    const result = compareWithHistory(k6Run(260), history(5, 200, 0.02), { tracked: TRACKED });
    expect(result.verdict).toBe('regressed');
    expect(result.statistics[0]).toMatchObject({ status: 'regressed' });
    expect(result.statistics[0]!.reason).toMatch(/worse than the 5 baseline runs' range \d+–\d+ widened by the tolerance/);
    expect(result.inconclusiveReason).toBeNull();
  });

  it('does not regress the same +15% against a noisy history whose range already spans it', () => {
    const noisy = history(5, 200, 0.25, 7);
    const max = Math.max(...noisy.map((entry) => entry.run.metrics[0]!.values['p(95)']!));
    // +15% over the single oldest run would regress in a one-run comparison…
    const current = Math.round(noisy[0]!.run.metrics[0]!.values['p(95)']! * 1.15);
    expect(current).toBeLessThan(max * 1.1);
    // …but it is within the history's range widened by 10%.
    expect(compareWithHistory(k6Run(current), noisy, { tracked: TRACKED }).statistics[0]!.status).toBe('pass');
  });

  it('reports an improvement beyond the best run and the tolerance', () => {
    expect(compareWithHistory(k6Run(150), history(5, 200, 0.02), { tracked: TRACKED }).statistics[0]!.status).toBe('improved');
  });

  it('is inconclusive with too short a history, and says so for one run', () => {
    const one = compareWithHistory(k6Run(400), history(1, 200, 0.02), { tracked: TRACKED });
    expect(one).toMatchObject({ verdict: 'inconclusive', minRuns: 3 });
    expect(one.inconclusiveReason).toBe('1 of the 1 baseline run is comparable, fewer than the 3 needed');
    expect(one.whatToDo).toMatch(/default branch run the k6 job/);
    expect(one.statistics[0]!.status).toBe('inconclusive');
    expect(compareWithHistory(k6Run(400), [], { tracked: TRACKED }).inconclusiveReason).toBe('no baseline run was found on the default branch');
  });

  it('refuses runs of a different script (other scenarios) with a clear reason', () => {
    const mixed = [...history(2, 200, 0.02, 1, { scenario: 'checkout' }), ...history(3, 200, 0.02, 2)];
    const result = compareWithHistory(k6Run(205), mixed, { tracked: TRACKED });
    expect(result.refused).toHaveLength(2);
    expect(result.refused[0]!.reason).toBe('it ran other scenarios (checkout) than this run (browse): another k6 script');
    expect(result.compared).toHaveLength(3);
    expect(result.verdict).toBe('pass');
    const allOther = compareWithHistory(k6Run(205), history(5, 200, 0.02, 1, { scenario: 'checkout' }), { tracked: TRACKED });
    expect(allOther.verdict).toBe('inconclusive');
    expect(allOther.inconclusiveReason).toMatch(/^0 of the 5 baseline runs are comparable, fewer than the 3 needed \(5 refused: it ran other scenarios/);
    expect(allOther.whatToDo).toMatch(/same k6 script with the same load/);
  });

  it('refuses runs under another VU count', () => {
    const result = compareWithHistory(k6Run(205), history(5, 200, 0.02, 1, { profile: { ...PROFILE, vusMax: 100 } }), { tracked: TRACKED });
    expect(result.verdict).toBe('inconclusive');
    expect(result.refused[0]!.reason).toMatch(/vus_max 50 vs 100 in that run/);
  });

  it('judges a rate with an absolute tolerance against the range', () => {
    const runs = history(5, 200, 0.02).map((entry, index) => ({ ...entry, run: k6Run(200, { failed: [0, 0.002, 0.001, 0.004, 0][index]! }) }));
    const within = compareWithHistory(k6Run(200, { failed: 0.012 }), runs, { tracked: TRACKED });
    expect(within.statistics[1]).toMatchObject({ status: 'pass', range: { min: 0, max: 0.004 } });
    expect(compareWithHistory(k6Run(200, { failed: 0.02 }), runs, { tracked: TRACKED }).statistics[1]!.status).toBe('regressed');
  });

  it('reads the scenarios from sub-metric tags, or from a result.json that recorded them', () => {
    expect(scenariosOf(k6Run(1, { scenario: 'b' }))).toEqual(['b']);
    expect(scenariosOf({ ...k6Run(1), format: 'qgate-result', scenarios: ['z', 'a'] })).toEqual(['a', 'z']);
    expect(scenariosOf({ ...k6Run(1), format: 'qgate-result', metrics: [] })).toBeNull();
  });

  it('refuses a history read from result.json artifacts that recorded another script, and compares older ones', () => {
    const fromArtifacts = (scenarios: string[] | undefined): HistoryRun[] =>
      history(3, 200, 0.02).map((entry) => ({ ...entry, run: { ...entry.run, format: 'qgate-result', metrics: entry.run.metrics.filter((metric) => !metric.name.includes('{')), ...(scenarios ? { scenarios } : {}) } }));
    expect(compareWithHistory(k6Run(205), fromArtifacts(['checkout']), { tracked: TRACKED }).refused).toHaveLength(3);
    expect(compareWithHistory(k6Run(205), fromArtifacts(['browse']), { tracked: TRACKED }).verdict).toBe('pass');
    expect(compareWithHistory(k6Run(205), fromArtifacts(undefined), { tracked: TRACKED }).verdict).toBe('pass');
  });
});

describe('the history config keys (gates.performance.history)', () => {
  it('minRuns decides how short a history may be: two runs are inconclusive by default, decide with minRuns: 2', async () => {
    const { comparePerformanceWithHistory } = await import('../../src/measure/perf-history.js');
    const two = history(2, 200, 0.02);
    const options = { tracked: TRACKED, extraThresholds: {}, userBaseline: false };
    expect(comparePerformanceWithHistory(k6Run(260), two[1]!.run, two, options).history).toMatchObject({ verdict: 'inconclusive', minRuns: 3 });
    expect(comparePerformanceWithHistory(k6Run(260), two[1]!.run, two, { ...options, minRuns: 2 }).history).toMatchObject({ verdict: 'regressed', minRuns: 2 });
  });

  it('gates/default.yml ships runs: 5 and minRuns: 3, and the loader accepts them', async () => {
    const { loadConfig } = await import('../../src/config/load-config.js');
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const cwd = mkdtempSync(join(tmpdir(), 'qgate-history-config-'));
    try {
      expect((await loadConfig({ cwd })).config.gates.performance.history).toEqual({ runs: 5, minRuns: 3 });
      writeFileSync(join(cwd, '.qgate.yml'), 'gates:\n  performance:\n    history:\n      runs: 10\n      minRuns: 4\n');
      expect((await loadConfig({ cwd })).config.gates.performance.history).toEqual({ runs: 10, minRuns: 4 });
      writeFileSync(join(cwd, '.qgate.yml'), 'gates:\n  performance:\n    history:\n      runs: 0\n');
      await expect(loadConfig({ cwd })).rejects.toThrow(/history|runs/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
