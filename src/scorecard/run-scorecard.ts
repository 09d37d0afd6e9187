/**
 * Orchestration of `qgate scorecard`: rubric → collect (GitLab group or `--from DIR`) → score →
 * write `scorecard.json`, `scorecard.csv`, `scorecard.html`. Takes the explicit context and never
 * touches `process`. The token is read from the context's env, handed only to the GitLab client
 * (which redacts it from every message), and never written anywhere.
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readCiContext, readToken, type GitLabCiContext } from '../ci-env.js';
import { findPresetsDir } from '../config/load-config.js';
import { QgateError, type ExitCode } from '../errors.js';
import { createGitLabClient } from '../gitlab/gitbeaker-adapter.js';
import type { GitLabPort } from '../gitlab/port.js';
import { DEFAULT_POLICY, type TransportPolicy } from '../gitlab/transport.js';
import { writeReportFiles } from '../publish/write-report-files.js';
import { QGATE_VERSION, type RunContext } from '../run.js';
import { plural } from '../text/plural.js';
import { collectFromDir } from './collect-dir.js';
import { collectFromGitLab, listGroup } from './collect-gitlab.js';
import { buildScorecard } from './evaluate.js';
import { loadRubric } from './load-rubric.js';
import type { ProjectEvidence, Scorecard } from './model.js';
import { renderScorecardCsv, renderScorecardJson } from './render-csv.js';
import { renderScorecardHtml } from './render-html.js';
import { renderScorecardMarkdown } from './render-markdown.js';
import { readPreviousTrends, withHistory } from './history.js';
import { createScorecardApi } from '../gitlab/scorecard-api.js';
import { collectGroupApi, EVIDENCE_KIND, parseShard, readEvidenceFiles, type EvidenceFile } from './collect-api.js';

export interface ScorecardOptions {
  /** Group id or full path; exclusive with `from`. */
  group?: string;
  /** Offline evidence folder; exclusive with `group`. */
  from?: string;
  /** Rubric file; qgate's `gates/scorecard.yml` when absent. */
  rubric?: string;
  out: string;
  /** `--gitlab-url`; else `CI_API_V4_URL`. */
  gitlabUrl?: string;
  concurrency: number;
  /** Overrides the rubric's `trend.results`. */
  trend?: number;
  /** Whole-run time budget for GitLab calls, in seconds. */
  timeoutSeconds: number;
  /** An earlier run's scorecard.json whose trends this run extends (history.ts). */
  previous?: string;
  /** `graphql` (default) or the older `rest` walk. */
  api?: 'graphql' | 'rest';
  /** `I/N`; default CI_NODE_INDEX/CI_NODE_TOTAL. */
  shard?: string;
  /** Resumable state file (collect-api.ts). */
  state?: string;
  /** Shards' evidence.json files to score together. */
  merge?: string[];
}

export interface ScorecardContext extends RunContext {
  /** Tests shorten the back-off; the CLI leaves it at the default. */
  gitlabPolicy?: TransportPolicy;
}

export interface ScorecardOutcome {
  exitCode: ExitCode;
  scorecard: Scorecard;
  files: string[];
}

function progressWriter(stderr: RunContext['stderr']): ((done: number, total: number) => void) | undefined {
  if ((stderr as { isTTY?: boolean }).isTTY !== true) return undefined;
  return (done, total) => {
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    stderr.write(`\rscorecard [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} projects${done === total ? '\n' : ''}`);
  };
}

async function collectGitLab(
  options: ScorecardOptions & { group: string },
  context: ScorecardContext,
  rubric: Scorecard['rubric'],
  onProgress: ReturnType<typeof progressWriter>,
  shard: { index: number; total: number },
  ci: GitLabCiContext,
): Promise<ProjectEvidence[]> {
  const token = readToken(context.env)?.token;
  if (!token) throw new QgateError('GITLAB_TOKEN_MISSING', 'no GitLab token: neither QGATE_GITLAB_TOKEN nor GITLAB_TOKEN is set.');
  const apiUrl = options.gitlabUrl ?? ci.apiUrl;
  if (!apiUrl) throw new QgateError('USAGE', 'no GitLab API URL: pass --gitlab-url https://gitlab.example.com/api/v4 or set CI_API_V4_URL.');
  if (!/^https?:\/\//i.test(apiUrl)) throw new QgateError('USAGE', `--gitlab-url must be an http(s) URL (got "${apiUrl.replace(/\/\/[^/@]*@/, '//…@')}").`);
  const started = Date.now();
  if ((options.api ?? 'graphql') === 'graphql') {
    const api = createScorecardApi({
      apiUrl,
      token,
      policy: context.gitlabPolicy ?? DEFAULT_POLICY,
      clock: { now: () => Date.now(), sleep: (ms) => new Promise((done) => setTimeout(done, ms)), deadline: started + options.timeoutSeconds * 1000 },
      inFlight: options.concurrency,
    });
    // The trend comes from --previous snapshots: one result per project unless --trend says more.
    const apiRubric = options.trend === undefined ? { ...rubric, trend: { results: 1 } } : rubric;
    let evidence: ProjectEvidence[];
    try {
      evidence = await collectGroupApi(api, { group: options.group, rubric: apiRubric, concurrency: options.concurrency, shard, ...(options.state !== undefined ? { statePath: resolve(context.cwd, options.state) } : {}), ...(onProgress ? { onProgress } : {}) });
    } catch (error) {
      throw new QgateError('GITLAB_FAILED', `the projects of group "${options.group}" cannot be listed: ${(error as Error).message}`);
    }
    const scored = evidence.filter((project) => project.state !== 'archived' && project.state !== 'fork' && project.state !== 'empty').length;
    context.stdout.write(`qgate scorecard: ${api.requests} GitLab requests for ${plural(evidence.length, 'project')} (${evidence.length === 0 ? 0 : (api.requests / evidence.length).toFixed(2)} per project, ${scored} scored)${api.pacedMs > 0 ? `, ${Math.round(api.pacedMs / 1000)} s waited for the rate limit` : ''}.\n`);
    return evidence;
  }
  const port: GitLabPort = createGitLabClient({
    apiUrl,
    token,
    policy: context.gitlabPolicy ?? DEFAULT_POLICY,
    clock: { now: () => Date.now(), sleep: (ms) => new Promise((done) => setTimeout(done, ms)), deadline: started + options.timeoutSeconds * 1000 },
  });
  let projects;
  try {
    projects = await listGroup(port, options.group);
  } catch (error) {
    throw new QgateError('GITLAB_FAILED', `the projects of group "${options.group}" cannot be listed: ${(error as Error).message}`);
  }
  return collectFromGitLab(port, projects, rubric, { concurrency: options.concurrency, ...(onProgress ? { onProgress } : {}) });
}

export async function runScorecard(options: ScorecardOptions, context: ScorecardContext): Promise<ScorecardOutcome> {
  const sources = [options.group, options.from, options.merge].filter((source) => source !== undefined).length;
  if (sources !== 1) {
    throw new QgateError('SCORECARD_SOURCE_MISSING', sources === 0 ? 'no evidence source given.' : 'use one of --group, --from and --merge.');
  }
  const ci = readCiContext(context.env);
  const shard = parseShard(options.shard, ci.parallelSlice);
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1 || options.concurrency > 32) {
    throw new QgateError('USAGE', `--concurrency must be a whole number from 1 to 32 (got ${options.concurrency}).`);
  }
  const rubricPath = options.rubric === undefined ? join(await findPresetsDir(), 'scorecard.yml') : resolve(context.cwd, options.rubric);
  const loaded = await loadRubric(rubricPath, options.rubric ?? rubricPath);
  const rubric = options.trend === undefined ? loaded : { ...loaded, trend: { results: options.trend } };
  const onProgress = progressWriter(context.stderr);

  let evidence: ProjectEvidence[];
  let source: Scorecard['source'];
  if (options.from !== undefined) {
    const root = resolve(context.cwd, options.from);
    const info = await stat(root).catch(() => null);
    if (!info?.isDirectory()) throw new QgateError('INPUT_NOT_FOUND', 'is not a folder.', { file: options.from, hint: 'Pass the folder laid out as docs/scorecard.md describes.' });
    evidence = await collectFromDir(root, rubric, { concurrency: options.concurrency, ...(onProgress ? { onProgress } : {}) });
    source = { kind: 'directory', path: options.from };
  } else if (options.merge !== undefined) {
    const merged = await readEvidenceFiles(options.merge.map((file) => resolve(context.cwd, file)));
    evidence = merged.projects;
    source = { kind: 'gitlab', group: merged.group };
  } else {
    const group = options.group as string;
    evidence = await collectGitLab({ ...options, group }, context, rubric, onProgress, shard, ci);
    source = { kind: 'gitlab', group };
  }

  const previous = options.previous === undefined ? null : await readPreviousTrends(resolve(context.cwd, options.previous), options.previous);
  const built = buildScorecard({ rubric, evidence, now: context.now(), version: QGATE_VERSION, source });
  const scorecard = previous === null ? built : withHistory(built, previous);
  const outDir = resolve(context.cwd, options.out);
  const files: Array<[string, string]> = [
    ['scorecard.json', renderScorecardJson(scorecard)],
    ['scorecard.csv', renderScorecardCsv(scorecard)],
    ['scorecard.html', renderScorecardHtml(scorecard)],
    ['scorecard.md', renderScorecardMarkdown(scorecard)],
  ];
  if (options.group !== undefined && shard.total > 1) {
    const file: EvidenceFile = { kind: EVIDENCE_KIND, schemaVersion: 1, group: options.group, shard, projects: evidence };
    files.push(['evidence.json', `${JSON.stringify(file)}\n`]);
  }
  await writeReportFiles(context.cwd, outDir, files);

  const { summary } = scorecard;
  const levels = summary.levels.map((level) => `${level.name} ${level.count}`).join(', ');
  context.stdout.write(`qgate scorecard: ${plural(summary.projects, 'project')} — ${levels}; ${summary.archived} archived, ${summary.forks} forks, ${summary.empty} empty, ${summary.failed} not collected.\n`);
  context.stdout.write(`qgate scorecard: wrote ${files.map(([name]) => join(options.out, name)).join(', ')}\n`);
  if (summary.projects === 0 && options.from !== undefined) {
    context.stderr.write(`qgate: warning: ${options.from} holds no project: each needs a folder DIR/<group>/<project>/ with project.json, results/*.json or repo/ (docs/scorecard.md)\n`);
  }
  // What could not be read is said here too, not only inside scorecard.json.
  for (const project of scorecard.projects) {
    for (const note of project.notes.filter((text) => text !== 'archived: skipped')) context.stderr.write(`qgate: warning: ${project.path}: ${note}\n`);
  }
  for (const project of scorecard.projects.filter((candidate) => candidate.state === 'failed')) {
    context.stderr.write(`qgate: warning: ${project.path} could not be read and is marked "not collected": ${project.failure ?? 'unknown error'}\n`);
  }
  // An incomplete scorecard is written, and the job says so: exit 3 with the count and the cause.
  const failed = scorecard.projects.filter((candidate) => candidate.state === 'failed');
  if (failed.length > 0) {
    const causes = [...new Set(failed.map((project) => project.failure ?? 'unknown error'))];
    context.stderr.write(`qgate: error: ${failed.length} of ${summary.projects} projects not collected: ${causes[0] ?? 'unknown error'}${causes.length > 1 ? ` (and ${causes.length - 1} other cause${causes.length === 2 ? '' : 's'})` : ''}\n`);
    return { exitCode: 3, scorecard, files: files.map(([name]) => join(outDir, name)) };
  }
  return { exitCode: 0, scorecard, files: files.map(([name]) => join(outDir, name)) };
}
