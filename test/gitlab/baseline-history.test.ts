import { describe, expect, it } from 'vitest';
import { fetchBaseline, fetchBaselineHistory, toHistoryRuns } from '../../src/gitlab/baseline.js';
import type { GitLabJob, GitLabPipeline, GitLabPort } from '../../src/gitlab/port.js';
import { compareWithHistory, comparePerformanceWithHistory } from '../../src/measure/perf-history.js';
import { completeResult } from '../support/complete-result.js';
import { failingResult } from '../render/result-fixtures.js';
import { withE2eHistory } from '../../src/measure/e2e-flaky-history.js';
import type { E2eResult, ScenarioResult } from '../../src/model/e2e.js';

const PROFILE = { vusMax: 10, iterations: 500, durationMs: 30000 };

function result(p95: number | null, sha: string): string {
  return JSON.stringify(completeResult({
    generatedAt: '2026-11-20T10:00:00.000Z',
    diff: { headSha: sha },
    performance:
      p95 === null
        ? null
        : { run: { loadProfile: PROFILE, quantileRelativeError: null }, comparison: { metrics: [{ ...failingResult().performance!.comparison!.metrics[0]!, metric: 'http_req_duration', stat: 'p(95)', current: p95 }] } },
  }, p95 === null ? 'passing' : 'failing'));
}

/** An in-memory GitLab answering the three calls the history makes, counting them. */
function fakePort(pipelines: Array<{ id: number; status: string; job?: Partial<GitLabJob>; artifact?: string | null }>) {
  const calls: string[] = [];
  const port = {
    async listPipelines() {
      calls.push('pipelines');
      return pipelines.map(
        (pipeline): GitLabPipeline => ({ id: pipeline.id, sha: `${pipeline.id}`.padStart(40, 'a'), ref: 'main', status: pipeline.status, createdAt: `2026-12-01T00:00:${pipeline.id}Z`, webUrl: `https://gl/p/${pipeline.id}` }),
      );
    },
    async listPipelineJobs(_project: unknown, pipelineId: number) {
      calls.push(`jobs ${pipelineId}`);
      const pipeline = pipelines.find((candidate) => candidate.id === pipelineId)!;
      return [{ id: pipelineId * 10, name: 'qgate', status: 'success', hasArtifacts: true, finishedAt: null, ...pipeline.job }];
    },
    async downloadArtifactFileByRef() {
      calls.push('latest');
      return pipelines[0]?.artifact ?? null;
    },
    async downloadArtifactFileByJob(_project: unknown, jobId: number) {
      calls.push(`download ${jobId}`);
      return pipelines.find((candidate) => candidate.id * 10 === jobId)!.artifact ?? null;
    },
  } as unknown as GitLabPort;
  return { port, calls };
}

const request = { project: 1, ref: 'main', job: 'qgate', path: 'qgate-report/result.json', maxPipelines: 10, runs: 3 };

describe('fetchBaselineHistory', () => {
  it('reads the last N results with k6 statistics, skipping failed jobs and results without k6, with bounded requests', async () => {
    const { port, calls } = fakePort([
      { id: 16, status: 'success', artifact: result(210, 'f'.repeat(40)) },
      { id: 15, status: 'failed', job: { status: 'failed' }, artifact: result(900, 'e'.repeat(40)) },
      { id: 14, status: 'success', artifact: result(null, 'd'.repeat(40)) },
      { id: 13, status: 'running', artifact: result(1, 'c'.repeat(40)) },
      { id: 12, status: 'success', artifact: result(200, 'b'.repeat(40)) },
      { id: 11, status: 'success', artifact: '{not json' },
      { id: 10, status: 'success', artifact: result(205, 'a'.repeat(40)) },
      { id: 9, status: 'success', artifact: result(199, '9'.repeat(40)) },
    ]);
    const history = await fetchBaselineHistory(port, request);
    expect(history.entries.map((entry) => entry.pipelineId)).toEqual([16, 12, 10]);
    expect(history.skipped).toEqual([
      { pipelineId: 14, reason: 'the result has no k6 statistics' },
      { pipelineId: 11, reason: 'the artifact is not valid JSON' },
    ]);
    // Pipeline 9 is never asked for: three runs were found; the failed job's artifact is never downloaded.
    expect(calls).not.toContain('jobs 9');
    expect(calls).not.toContain('download 150');
    expect(history.requests).toBe(calls.length);
    expect(history.requests).toBeLessThanOrEqual(1 + 2 * request.maxPipelines);

    const runs = toHistoryRuns(history);
    expect(runs.map((run) => run.source)).toEqual(['pipeline 10', 'pipeline 12', 'pipeline 16']);
    expect(runs[2]!.commit).toBe('16'.padStart(40, 'a'));
    const current = { ...runs[0]!.run, metrics: [{ ...runs[0]!.run.metrics[0]!, values: { 'p(95)': 208 } }] };
    const comparison = compareWithHistory(current, runs, { tracked: [{ metric: 'http_req_duration', stat: 'p(95)', maxIncreasePercent: 10 }] });
    expect(comparison.statistics[0]).toMatchObject({ status: 'pass', range: { min: 200, max: 210, median: 205 } });
  });

  it('returns an empty history when no pipeline finished', async () => {
    const { port } = fakePort([{ id: 1, status: 'running' }]);
    expect(await fetchBaselineHistory(port, request)).toEqual({ entries: [], pipelinesScanned: 0, requests: 1, skipped: [] });
  });
});

describe('fetchBaseline with historyRuns', () => {
  const pipelines = [200, 230, 205, 210, 202].map((p95, index) => ({ id: 20 - index, status: 'success', artifact: result(p95, `${index}`.repeat(40)) }));

  it('reads the history only when asked and the baseline has k6 statistics, and the run is judged against it', async () => {
    const single = fakePort(pipelines);
    expect((await fetchBaseline(single.port, request)).history).toBeUndefined();
    expect(single.calls).toEqual(['latest']);

    const { port, calls } = fakePort(pipelines);
    const fetched = await fetchBaseline(port, { ...request, historyRuns: 5 });
    expect(calls.filter((call) => call.startsWith('download'))).toHaveLength(5);
    expect(fetched.history!.map((run) => run.source)).toEqual(['pipeline 16', 'pipeline 17', 'pipeline 18', 'pipeline 19', 'pipeline 20']);

    const current = { ...fetched.baseline!.k6!, metrics: [{ ...fetched.baseline!.k6!.metrics[0]!, values: { 'p(95)': 240 } }] };
    const tracked = [{ metric: 'http_req_duration', stat: 'p(95)', maxIncreasePercent: 10 }];
    // One run (200) says +20%: regressed; the history's range 200–230 says within noise.
    const perf = comparePerformanceWithHistory(current, fetched.baseline!.k6, fetched.history, { tracked, userBaseline: false });
    expect(perf.comparison.metrics[0]!.status).toBe('regressed');
    expect(perf.history).toMatchObject({ verdict: 'pass', statistics: [{ status: 'pass', range: { min: 200, max: 230, median: 205 } }] });
    expect(perf.run.scenarios).toEqual([]);
    expect(perf.history!.compared[0]).toEqual({ commit: '16'.padStart(40, 'a'), date: expect.any(String), source: 'pipeline 16' });
    // A --k6-baseline file the user named wins: no history.
    expect(comparePerformanceWithHistory(current, fetched.baseline!.k6, fetched.history, { tracked, userBaseline: true }).history).toBeUndefined();
  });
});

describe('the e2e flaky history from the default branch', () => {
  const scenario = (key: string, name: string): ScenarioResult => ({
    key, name, feature: 'Checkout', uri: 'features/checkout.feature', line: Number(key.split(':')[1]), tags: [], status: 'failed',
    attempts: 1, flaky: false, failedStep: null, error: null, durationMs: null, startedAt: null,
  });
  /** A default-branch result whose e2e section failed `keys`. */
  function e2eResult(keys: string[], sha: string): string {
    const base = completeResult({ diff: { headSha: sha } }, 'passing');
    return JSON.stringify({ ...base, e2e: { ...(base.e2e as object), failed: keys.map((key) => scenario(key, `scenario ${key}`)), flakyScenarios: [] } });
  }

  it('reads the failed scenarios of the last runs, and a failure seen there is known flaky, a new one newly failing', async () => {
    const { port, calls } = fakePort([
      { id: 30, status: 'success', artifact: e2eResult(['features/checkout.feature:12'], '3'.repeat(40)) },
      { id: 29, status: 'success', artifact: e2eResult([], '2'.repeat(40)) },
      { id: 28, status: 'success', artifact: '{not json' },
      { id: 27, status: 'success', artifact: e2eResult(['features/checkout.feature:12'], '1'.repeat(40)) },
      { id: 26, status: 'success', artifact: e2eResult(['features/checkout.feature:40'], '0'.repeat(40)) },
    ]);
    const fetched = await fetchBaseline(port, { ...request, historyRuns: 3, wantE2eHistory: true });
    // Three usable runs (30, 29, 27): 26 is never downloaded, the broken artifact is skipped.
    expect(fetched.e2eHistory!.map((run) => run.source)).toEqual(['pipeline 30', 'pipeline 29', 'pipeline 27']);
    expect(fetched.e2eHistory![0]!.failedKeys).toEqual(['features/checkout.feature:12']);
    expect(calls).not.toContain('download 260');
    expect(fetched.history).toBeUndefined();

    const now = { ...(completeResult({}, 'passing').e2e as unknown as E2eResult) };
    const current: E2eResult = { ...now, failed: [scenario('features/checkout.feature:12', 'pay by card'), scenario('features/checkout.feature:77', 'pay by voucher')] };
    const judged = withE2eHistory(current, fetched.e2eHistory!, { quarantine: true });
    expect(judged.history!.knownFlaky).toEqual([{ key: 'features/checkout.feature:12', name: 'pay by card', status: 'failed', failedInRuns: 2 }]);
    expect(judged.history!.newlyFailing.map((entry) => entry.key)).toEqual(['features/checkout.feature:77']);
    expect(judged.history!.quarantined).toBe(1);
    // Never hidden: both stay in the failed list.
    expect(judged.failed).toHaveLength(2);
  });

  it('is not read when the run has no e2e results to judge', async () => {
    const { port, calls } = fakePort([{ id: 30, status: 'success', artifact: e2eResult(['features/checkout.feature:12'], '3'.repeat(40)) }]);
    const fetched = await fetchBaseline(port, { ...request, historyRuns: 3 });
    expect(fetched.e2eHistory).toBeUndefined();
    expect(calls).toEqual(['latest']);
  });
});
