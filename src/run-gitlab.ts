/**
 * The GitLab steps of `qgate check`, in the order the orchestration calls them: the changed
 * lines when git alone cannot give them, which merge request this pipeline is for, the target
 * branch's baseline, and the sticky note. Each step
 * fails on its own: a GitLab problem is a warning (or exit 3 when the comment is required),
 * never a lost report.
 */
import { lstatSync } from 'node:fs';
import { resolve } from 'node:path';
import type { QgateConfig } from './config/types.js';
import { collectChangedLines, type GitDiffSummary } from './diff/git-diff.js';
import { changedLinesFromMergeRequestDiffs } from './diff/gitlab-mr-diffs.js';
import { formatError, isQgateError, QgateError } from './errors.js';
import { baselineInfo, fetchBaseline, type FetchedBaseline } from './gitlab/baseline.js';
import { DEFAULT_HISTORY_RUNS } from './measure/perf-history.js';
import type { GitLabMergeRequest, GitLabMergeRequestDiff } from './gitlab/port.js';
import { describeGitLabFailure, type GitLabSession } from './gitlab/session.js';
import { upsertStickyNote } from './gitlab/sticky-note.js';
import type { BaselineInfo } from './model/baseline.js';
import type { Verdict } from './model/result.js';
import { relativeInside } from './path-inside.js';
import { plural } from './text/plural.js';

export interface Output {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** The merge request this pipeline reports to, or why there is none. */
export type MergeRequestTarget =
  | { kind: 'found'; project: string; iid: number; targetBranch: string | null; webUrl: string | null; diffRefs: GitLabMergeRequest['diffRefs'] }
  /** `failed`: there should be one, but GitLab could not be asked (no token, an error). */
  | {
      kind: 'none';
      reason: string;
      quiet: boolean;
      failed?: boolean;
      /** The default branch's own pipeline: no merge request, but its previous result is the baseline (k6, overall coverage, flaky history). */
      baselineRef?: string;
    };

export function warn(output: Output, error: QgateError): void {
  output.stderr.write(`${formatError(error, 'warning')}\n`);
}

function mrUrl(session: GitLabSession, iid: number): string | null {
  // A fork's pipeline runs in the fork; its merge request lives in the upstream project.
  const projectUrl = session.ci.mergeRequestProjectUrl ?? session.ci.projectUrl;
  return projectUrl === null ? null : `${projectUrl}/-/merge_requests/${iid}`;
}

/**
 * What the environment alone says: an MR pipeline names its merge request; a branch pipeline
 * must ask GitLab (`lookup`); outside GitLab CI, on the default branch, or for a tag there is
 * none, quietly. Makes no request.
 */
export function mergeRequestFromEnv(session: GitLabSession): MergeRequestTarget | { kind: 'lookup'; branch: string } {
  const { ci } = session;
  if (ci.apiUrl === null || ci.projectId === null) return { kind: 'none', reason: 'not running in GitLab CI', quiet: true };
  if (ci.mergeRequestIid !== null) {
    const project = ci.mergeRequestProjectId ?? ci.projectId;
    return { kind: 'found', project, iid: ci.mergeRequestIid, targetBranch: ci.targetBranch, webUrl: mrUrl(session, ci.mergeRequestIid), diffRefs: null };
  }
  if (ci.commitBranch === null) return { kind: 'none', reason: 'the pipeline is for no branch (a tag or a schedule)', quiet: true };
  if (ci.commitBranch === ci.defaultBranch) {
    return { kind: 'none', reason: `${ci.commitBranch} is the default branch: its result is the baseline merge requests compare with`, quiet: true, baselineRef: ci.commitBranch };
  }
  if (session.port === null) return { kind: 'none', reason: 'no token to look up the merge request of this branch', quiet: false, failed: true };
  return { kind: 'lookup', branch: ci.commitBranch };
}

/** A branch pipeline's merge request: the open one whose source branch this is. */
export async function lookUpMergeRequest(session: GitLabSession, branch: string, output: Output): Promise<MergeRequestTarget> {
  const { ci, port } = session;
  try {
    const open = await port!.listOpenMergeRequestsForBranch(ci.projectId!, branch);
    const mr = open.find((candidate) => String(candidate.sourceProjectId) === ci.projectId) ?? open[0];
    if (mr === undefined) return { kind: 'none', reason: `no open merge request has ${branch} as its source branch`, quiet: false };
    if (open.length > 1) output.stdout.write(`qgate: ${open.length} open merge requests come from ${branch}; reporting to the newest, !${mr.iid}\n`);
    return { kind: 'found', project: ci.projectId!, iid: mr.iid, targetBranch: mr.targetBranch, webUrl: mr.webUrl || mrUrl(session, mr.iid), diffRefs: mr.diffRefs };
  } catch (error) {
    warn(output, describeGitLabFailure(error, `looking up the merge request of ${branch}`, session));
    return { kind: 'none', reason: 'the merge request lookup failed', quiet: false, failed: true };
  }
}

const notRequested = (reason: string): BaselineInfo => baselineInfo('not-requested', reason);
const unavailable = (reason: string): BaselineInfo => baselineInfo('unavailable', reason);

/** Whether to ask GitLab for the baseline at all, and if not, why (recorded in result.json). */
export function planBaseline(
  config: QgateConfig,
  session: GitLabSession,
  target: MergeRequestTarget | { kind: 'lookup'; branch: string },
  wanted: boolean,
  resultPathInRepo: string | null,
): { ask: true; ref: string; job: string; path: string } | { ask: false; info: BaselineInfo } {
  if (!config.gitlab.baseline.enabled) return { ask: false, info: notRequested('gitlab.baseline.enabled is false') };
  if (!wanted) return { ask: false, info: notRequested('no coverage or k6 result to compare') };
  if (target.kind === 'none' && target.baselineRef === undefined) return { ask: false, info: target.failed ? unavailable(target.reason) : notRequested(target.reason) };
  if (target.kind === 'lookup') return { ask: false, info: { ...notRequested('waiting for the merge request of this branch to be looked up'), status: 'unavailable' } };
  // On the default branch the baseline is its own previous result (the current job has not finished, so it is not "the latest").
  const ref = target.kind === 'none' ? (target.baselineRef as string) : target.targetBranch;
  if (ref === null) return { ask: false, info: notRequested('the merge request\'s target branch is unknown') };
  const job = config.gitlab.baseline.job ?? session.ci.jobName;
  if (job === null) return { ask: false, info: notRequested('CI_JOB_NAME is not set and gitlab.baseline.job names no job') };
  if (resultPathInRepo === null) return { ask: false, info: notRequested('--out is outside the checkout, so result.json is no artifact path') };
  if (session.port === null) {
    // A refused token (a line break in it) is not "no token": say which.
    const why = session.unavailable?.code === 'GITLAB_TOKEN_INVALID' ? session.unavailable.message : 'no token to read the target branch\'s artifacts';
    return { ask: false, info: { ...unavailable(why), ref, job } };
  }
  return { ask: true, ref, job, path: resultPathInRepo };
}

export function pendingBaseline(ref: string, job: string): BaselineInfo {
  return { ...unavailable('being fetched from GitLab when these files were written; a run that stopped there never got it'), ref, job };
}

export async function loadBaseline(
  session: GitLabSession,
  project: string,
  plan: { ref: string; job: string; path: string },
  config: QgateConfig,
  output: Output,
  wantE2eHistory = false,
): Promise<FetchedBaseline> {
  try {
    return await fetchBaseline(session.baselinePort!, {
      project,
      ref: plan.ref,
      job: plan.job,
      path: plan.path,
      maxPipelines: config.gitlab.baseline.maxPipelines,
      historyRuns: config.gates.performance.history?.runs ?? DEFAULT_HISTORY_RUNS,
      wantE2eHistory,
    });
  } catch (error) {
    const failure = describeGitLabFailure(error, `reading the baseline from ${plan.ref}'s "${plan.job}" artifacts`, session);
    warn(output, failure);
    return { info: { ...pendingBaseline(plan.ref, plan.job), reason: failure.message.replace(/\.$/, '') }, baseline: null };
  }
}

/** Posts or updates the sticky note. Returns the exit code the comment step asks for (3 when required and failed). */
export async function postComment(
  session: GitLabSession,
  target: MergeRequestTarget,
  body: string,
  verdict: Verdict,
  config: QgateConfig,
  output: Output,
): Promise<0 | 3> {
  const required = config.gitlab.comment.required;
  const fail = (error: QgateError): 0 | 3 => {
    if (required) {
      output.stderr.write(`${formatError(error)}\n  (The report files were written; gitlab.comment.required makes this fail the job.)\n`);
      return 3;
    }
    warn(output, error);
    return 0;
  };
  if (target.kind === 'none') {
    if (!target.quiet) output.stdout.write(`qgate: comment not posted: ${target.reason}\n`);
    return 0;
  }
  if (session.port === null) {
    return session.unavailable !== null ? fail(session.unavailable) : 0;
  }
  try {
    const outcome = await upsertStickyNote(session.port, {
      project: target.project,
      mergeRequestIid: target.iid,
      body,
      verdict,
      notifyOnVerdictChange: config.gitlab.comment.notifyOnVerdictChange,
      mergeRequestUrl: target.webUrl,
    });
    const where = target.webUrl ? `${target.webUrl}#note_${outcome.noteId}` : `!${target.iid} note ${outcome.noteId}`;
    if (outcome.action === 'stale') {
      output.stdout.write(`qgate: comment not updated: a newer pipeline already reported at ${where}; this run's report is in its artifacts\n`);
      return 0;
    }
    output.stdout.write(`qgate: comment ${outcome.action}: ${where}\n`);
    if (outcome.deletedNoteIds.length > 0) output.stdout.write(`qgate: removed ${outcome.deletedNoteIds.length} duplicate qgate note${outcome.deletedNoteIds.length === 1 ? '' : 's'}\n`);
    if (outcome.verdictChangeNoteId !== null) output.stdout.write(`qgate: the verdict changed from ${outcome.previousVerdict} to ${verdict}: posted a notice\n`);
    for (const warning of outcome.warnings) output.stderr.write(`qgate: warning: ${warning}\n`);
    return 0;
  } catch (error) {
    return fail(describeGitLabFailure(error, `posting the comment on !${target.iid}`, session));
  }
}

/**
 * When git could not give the changed lines, GitLab may:
 * - a branch pipeline's clone has no `origin/<default branch>` to find the merge base with
 *   (GIT_NO_BASE): the merge request of the branch, looked up now, names its base, and git
 *   diffs from there;
 * - a clone too shallow for the merge base (GIT_BASE_MISSING) in a merge request pipeline with
 *   a token: the lines come from GitLab's merge request diffs, unless that diff is not this
 *   commit's or is incomplete.
 * Anything else is rethrown. The merge request looked up, if any, comes back for later steps.
 */
export async function changedLinesAfterGitFailed(
  error: unknown,
  session: GitLabSession,
  target: MergeRequestTarget | { kind: 'lookup'; branch: string },
  repoRoot: string,
  context: Output & { env: Readonly<Record<string, string | undefined>> },
): Promise<{ diff: GitDiffSummary; target?: MergeRequestTarget }> {
  if (!isQgateError(error)) throw error;
  if (error.code === 'GIT_NO_BASE' && target.kind === 'lookup') return changedLinesFromBranchMergeRequest(error, session, target.branch, repoRoot, context);
  if (error.code !== 'GIT_BASE_MISSING' || session.port === null || target.kind !== 'found') throw error;
  return { diff: await changedLinesFromMergeRequestApi(error, session, target, repoRoot) };
}

async function changedLinesFromBranchMergeRequest(
  error: QgateError,
  session: GitLabSession,
  branch: string,
  repoRoot: string,
  context: Output & { env: Readonly<Record<string, string | undefined>> },
): Promise<{ diff: GitDiffSummary; target: MergeRequestTarget }> {
  const target = await lookUpMergeRequest(session, branch, context);
  if (target.kind !== 'found' || target.diffRefs === null) {
    throw new QgateError(error.code, `${error.message} GitLab named no merge request base either (${target.kind === 'found' ? 'GitLab has no diff of it yet' : target.reason}).`, { hint: error.hint });
  }
  const diff = await collectChangedLines({ cwd: repoRoot, env: context.env, base: target.diffRefs.baseSha });
  diff.warnings.push(`no --base and no origin/${session.ci.defaultBranch ?? 'HEAD'}: the base is merge request !${target.iid}'s merge base ${target.diffRefs.baseSha.slice(0, 12)}, from GitLab`);
  return { diff, target };
}

async function changedLinesFromMergeRequestApi(
  error: QgateError,
  session: GitLabSession,
  target: Extract<MergeRequestTarget, { kind: 'found' }>,
  repoRoot: string,
): Promise<GitDiffSummary> {
  const refuse = (why: string): never => {
    throw new QgateError('GIT_BASE_MISSING', `${error.message} ${why}`, { hint: error.hint });
  };
  // In a merged-results pipeline HEAD is a merge commit: the MR's own diff has other line numbers.
  if (session.ci.mergeRequestEventType === 'merged_result') refuse('In a merged-results pipeline the merge request\'s diff is not the diff of the commit tested, so qgate does not take it from GitLab.');
  let mr: GitLabMergeRequest;
  let diffs: GitLabMergeRequestDiff[];
  try {
    [mr, diffs] = await Promise.all([session.port!.getMergeRequest(target.project, target.iid), session.port!.listMergeRequestDiffs(target.project, target.iid)]);
  } catch (apiError) {
    return refuse(describeGitLabFailure(apiError, 'Reading the merge request diffs instead', session).message);
  }
  const refs = mr.diffRefs;
  if (refs === null) return refuse('GitLab has no diff of the merge request yet.');
  const head = session.ci.commitSha;
  if (head !== null && refs.headSha !== head) {
    refuse(`The merge request has moved on to ${refs.headSha.slice(0, 12)} since this pipeline's commit ${head.slice(0, 12)}, so its diff from GitLab is not this commit's.`);
  }
  const lines = await changedLinesFromMergeRequestDiffs(diffs, { baseSha: refs.baseSha, headSha: refs.headSha }, (path) => isEmptyCheckoutFile(repoRoot, path));
  if (lines.leftOut.length > 0) {
    const shown = lines.leftOut.slice(0, 5).join(', ');
    refuse(`GitLab left out the diff of ${plural(lines.leftOut.length, 'file')} over its diff limits (${shown}${lines.leftOut.length > 5 ? ', …' : ''}), so which of their lines are new is unknown.`);
  }
  return lines.summary;
}

/** Whether a repository path is an empty regular file in the checkout (never followed through a symlink). */
function isEmptyCheckoutFile(repoRoot: string, path: string): boolean {
  const absolute = resolve(repoRoot, path);
  if (relativeInside(repoRoot, absolute) === null) return false;
  try {
    const stat = lstatSync(absolute);
    return stat.isFile() && stat.size === 0;
  } catch {
    return false;
  }
}
