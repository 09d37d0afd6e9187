/**
 * The target branch's latest qgate result, from the qgate job's artifacts.
 *
 * `GET /projects/:id/jobs/artifacts/:ref/raw/*path?job=NAME` answers from the ref's latest
 * successful pipeline only: when that pipeline skipped the job, or another job failed the
 * pipeline, it is a 404 although older results exist. So a 404 walks the ref's recent finished
 * pipelines, newest first, for a `NAME` job that succeeded and kept artifacts. A qgate job that
 * failed is never a baseline: its run may have been broken (a crashed test step's partial
 * coverage), and comparing with it would let every drop through.
 */
import type { E2eHistoryRun } from '../model/e2e.js';
import { parseBaselineResult, type ParsedBaseline } from '../inputs/baseline/qgate-result.js';
import type { BaselineInfo, BaselineStatus } from '../model/baseline.js';
import type { HistoryRun } from '../measure/perf-history.js';
import type { GitLabPort, ProjectRef } from './port.js';

export interface BaselineRequest {
  project: ProjectRef;
  ref: string;
  job: string;
  /** The result.json path inside the artifacts archive (relative to the project root). */
  path: string;
  /** How many of the ref's newest pipelines to look through after a 404. */
  maxPipelines: number;
  /**
   * When above 1 and the baseline found has k6 statistics: also read the last `historyRuns`
   * such results (`fetchBaselineHistory`), so k6 is judged against a history, not one run.
   */
  historyRuns?: number;
  /** Also read the history for the e2e results (known-flaky vs newly failing scenarios), even without k6. */
  wantE2eHistory?: boolean;
}

export interface FetchedBaseline {
  info: BaselineInfo;
  baseline: ParsedBaseline | null;
  /** The default-branch k6 history, oldest first, when `historyRuns` asked for it and the baseline has k6 statistics. */
  history?: HistoryRun[];
  /** The default-branch e2e history, newest first, when asked for (`wantE2eHistory`). */
  e2eHistory?: E2eHistoryRun[];
}

/** A baseline record with nothing known but `status` and `reason`, plus whatever `fields` add. */
export function baselineInfo(status: BaselineStatus, reason: string | null, fields: Partial<BaselineInfo> = {}): BaselineInfo {
  return {
    status,
    ref: null,
    job: null,
    pipelineId: null,
    jobId: null,
    commitSha: null,
    generatedAt: null,
    overallCoveragePercent: null,
    hasPerformance: false,
    reason,
    ...fields,
  };
}

function info(request: BaselineRequest, fields: Partial<BaselineInfo> & Pick<BaselineInfo, 'status' | 'reason'>): BaselineInfo {
  return baselineInfo(fields.status, fields.reason, { ref: request.ref, job: request.job, ...fields });
}

function found(request: BaselineRequest, text: string, where: { pipelineId: number | null; jobId: number | null }): FetchedBaseline {
  const parsed = parseBaselineResult(text);
  if (!parsed.ok) return { info: info(request, { status: 'unavailable', reason: parsed.reason, ...where }), baseline: null };
  const { baseline } = parsed;
  return {
    info: info(request, {
      status: 'found',
      reason: null,
      ...where,
      commitSha: baseline.commitSha,
      generatedAt: baseline.generatedAt,
      overallCoveragePercent: baseline.overallCoveragePercent,
      hasPerformance: baseline.k6 !== null && baseline.k6.metrics.length > 0,
    }),
    baseline,
  };
}

/** Errors from the port propagate: the caller decides whether a GitLab failure is a warning. */
export async function fetchBaseline(port: GitLabPort, request: BaselineRequest): Promise<FetchedBaseline> {
  const fetched = await fetchLatestBaseline(port, request);
  const runs = request.historyRuns ?? 1;
  const forK6 = runs > 1 && fetched.info.hasPerformance === true;
  const forE2e = request.wantE2eHistory === true && fetched.info.status === 'found';
  if (!forK6 && !forE2e) return fetched;
  const history = await fetchBaselineHistory(port, { ...request, runs: Math.max(runs, 1), want: { k6: forK6, e2e: forE2e } });
  return {
    ...fetched,
    ...(forK6 ? { history: toHistoryRuns(history) } : {}),
    ...(forE2e ? { e2eHistory: toE2eHistoryRuns(history) } : {}),
  };
}

async function fetchLatestBaseline(port: GitLabPort, request: BaselineRequest): Promise<FetchedBaseline> {
  const latest = await port.downloadArtifactFileByRef(request.project, request.ref, request.job, request.path);
  if (latest !== null) return found(request, latest, { pipelineId: null, jobId: null });

  const pipelines = (await port.listPipelines(request.project, { ref: request.ref }, { maxPages: 1 }))
    .filter((pipeline) => pipeline.status === 'success' || pipeline.status === 'failed')
    .slice(0, request.maxPipelines);
  for (const pipeline of pipelines) {
    const jobs = await port.listPipelineJobs(request.project, pipeline.id, { maxPages: 3 });
    // A retried job appears twice; the newest attempt (highest id) is the pipeline's answer.
    const job = jobs.filter((candidate) => candidate.name === request.job).sort((a, b) => b.id - a.id)[0];
    if (!job || job.status !== 'success' || !job.hasArtifacts) continue;
    const text = await port.downloadArtifactFileByJob(request.project, job.id, request.path);
    if (text !== null) return found(request, text, { pipelineId: pipeline.id, jobId: job.id });
  }
  const looked = pipelines.length === 0 ? 'no finished pipeline' : `none of the last ${pipelines.length} finished pipelines`;
  return { info: info(request, { status: 'not-found', reason: `${looked} on ${request.ref} kept ${request.path} from a passing "${request.job}" job` }), baseline: null };
}

/** One default-branch result of the history, with where it came from. */
export interface HistoryEntry {
  pipelineId: number;
  jobId: number;
  /** The pipeline's commit, else the result's own `diff.headSha`. */
  commitSha: string | null;
  /** The pipeline's creation time (ISO 8601), else the result's `generatedAt`. */
  date: string | null;
  webUrl: string | null;
  baseline: ParsedBaseline;
}

export interface BaselineHistory {
  /** Results with k6 statistics or e2e results, newest first, at most `runs`. */
  entries: HistoryEntry[];
  /** How many pipelines were looked at, and how many API requests that took (bounded: 1 + 2 × pipelines). */
  pipelinesScanned: number;
  requests: number;
  /** Results read but not usable (not a qgate result, no k6 statistics), with the reason: shown, never compared. */
  skipped: Array<{ pipelineId: number; reason: string }>;
}

/**
 * The last `runs` default-branch results that carry k6 statistics, read from the artifacts of
 * the ref's recent pipelines, newest first — the same jobs and path as `fetchBaseline`, so a
 * history of one is today's baseline. Bounded: one page of pipelines, at most `maxPipelines`
 * of them scanned, one jobs page and one download each. A failed qgate job is never used.
 */
export async function fetchBaselineHistory(
  port: GitLabPort,
  request: BaselineRequest & { runs: number; want?: { k6: boolean; e2e: boolean } },
): Promise<BaselineHistory> {
  // What the history is for: k6 statistics (the default), e2e results (flaky history), or both;
  // a result counts towards `runs` for each purpose it serves.
  const want = request.want ?? { k6: true, e2e: false };
  let k6Runs = 0;
  let e2eRuns = 0;
  const enough = (): boolean => (!want.k6 || k6Runs >= request.runs) && (!want.e2e || e2eRuns >= request.runs);
  let requests = 1;
  const pipelines = (await port.listPipelines(request.project, { ref: request.ref }, { maxPages: 1 }))
    .filter((pipeline) => pipeline.status === 'success' || pipeline.status === 'failed')
    .sort((a, b) => b.id - a.id)
    .slice(0, request.maxPipelines);
  const entries: HistoryEntry[] = [];
  const skipped: BaselineHistory['skipped'] = [];
  let pipelinesScanned = 0;
  for (const pipeline of pipelines) {
    if (enough()) break;
    pipelinesScanned++;
    requests++;
    const jobs = await port.listPipelineJobs(request.project, pipeline.id, { maxPages: 1 });
    const job = jobs.filter((candidate) => candidate.name === request.job).sort((a, b) => b.id - a.id)[0];
    if (!job || job.status !== 'success' || !job.hasArtifacts) continue;
    requests++;
    const text = await port.downloadArtifactFileByJob(request.project, job.id, request.path);
    if (text === null) continue;
    const parsed = parseBaselineResult(text);
    if (!parsed.ok) skipped.push({ pipelineId: pipeline.id, reason: parsed.reason });
    else {
      const hasK6 = want.k6 && parsed.baseline.k6 !== null && parsed.baseline.k6.metrics.length > 0 && k6Runs < request.runs;
      const hasE2e = want.e2e && parsed.baseline.e2e !== null && e2eRuns < request.runs;
      if (!hasK6 && !hasE2e) {
        skipped.push({ pipelineId: pipeline.id, reason: want.e2e ? (want.k6 ? 'the result has no k6 statistics and no e2e results' : 'the result has no e2e results') : 'the result has no k6 statistics' });
        continue;
      }
      if (hasK6) k6Runs++;
      if (hasE2e) e2eRuns++;
      entries.push({
        pipelineId: pipeline.id,
        jobId: job.id,
        commitSha: pipeline.sha || parsed.baseline.commitSha,
        date: pipeline.createdAt || parsed.baseline.generatedAt,
        webUrl: pipeline.webUrl || null,
        // Each part only where it counts: a result beyond the k6 runs lends its e2e results alone.
        // perFile is read from the latest baseline only: up to 50 000 entries per run are not kept for the history.
        baseline: { ...parsed.baseline, k6: hasK6 ? parsed.baseline.k6 : null, e2e: hasE2e ? parsed.baseline.e2e : null, perFile: null },
      });
    }
  }
  return { entries, pipelinesScanned, requests, skipped };
}

/** The history as `compareWithHistory` takes it: oldest first, with commit, date and pipeline. */
export function toHistoryRuns(history: BaselineHistory): HistoryRun[] {
  return history.entries
    .filter((entry): entry is HistoryEntry & { baseline: { k6: NonNullable<ParsedBaseline['k6']> } } => entry.baseline.k6 !== null && entry.baseline.k6.metrics.length > 0)
    .map((entry) => ({ run: entry.baseline.k6, commit: entry.commitSha, date: entry.date, source: `pipeline ${entry.pipelineId}` }))
    .reverse();
}

/** The e2e history as `withE2eHistory` takes it: each run's failed and flaky scenario keys, newest first. */
export function toE2eHistoryRuns(history: BaselineHistory): E2eHistoryRun[] {
  return history.entries.flatMap((entry) =>
    entry.baseline.e2e === null ? [] : [{ commit: entry.commitSha, date: entry.date, source: `pipeline ${entry.pipelineId}`, ...entry.baseline.e2e }],
  );
}
