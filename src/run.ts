/**
 * Orchestration of `qgate check`: the list of steps it runs, each in its own module under
 * src/check/. Takes an explicit context and never touches `process`: the CLI owns that.
 */
import { relative } from 'node:path';
import { readCiContext } from './ci-env.js';
import { isQgateError, type ExitCode } from './errors.js';
import type { GitDiffSummary } from './diff/git-diff.js';
import { openGitLabSession } from './gitlab/session.js';
import type { QgateResult } from './model/result.js';
import { renderTerminalSummary, terminalStyleFor } from './render/terminal.js';
import { QGATE_VERSION } from './version.js';
import { changedLinesAfterGitFailed, loadBaseline, lookUpMergeRequest, mergeRequestFromEnv, pendingBaseline, planBaseline, postComment } from './run-gitlab.js';
import type { CheckOptions, RunContext } from './check/context.js';
import { settleRepoFiles, startGitWork } from './check/collect-diff.js';
import { readConfig } from './check/read-config.js';
import { readInputs } from './check/read-inputs.js';
import { measure } from './check/measure.js';
import { decide, type DecideInputs } from './check/decide.js';
import { createPublisher, createRunReportFolder, type RunReportFolder } from './check/publish.js';
import { leaveErrorReport } from './check/error-report.js';

export type { CheckOptions, RunContext } from './check/context.js';
/** Re-exported for the CLI and the scorecard, which import it from here. */
export { QGATE_VERSION };

export interface CheckOutcome {
  result: QgateResult;
  exitCode: ExitCode;
}

export async function runCheck(options: CheckOptions, context: RunContext): Promise<CheckOutcome> {
  const folder = createRunReportFolder(context.cwd, options.out);
  try {
    return await check(options, context, folder);
  } catch (error) {
    // The job must publish this run's failure, never an earlier run's files as its verdict.
    await leaveErrorReport(error, options, context, folder);
    throw error;
  } finally {
    await folder.release();
  }
}

async function check(options: CheckOptions, context: RunContext, folder: RunReportFolder): Promise<CheckOutcome> {
  // 1. git starts first and runs while the config loads and the reports are parsed. The root is
  //    one quick `git rev-parse`; outside a repository the error waits until config and inputs were checked.
  const ci = readCiContext(context.env);
  const gitWork = startGitWork(options, context, ci);
  const rootOutcome = await gitWork.repoRoot;
  const repoRoot = rootOutcome.ok ? rootOutcome.value : context.cwd;

  // 2. Configuration, then every input, before anything is written: bad input never leaves a half-verdict.
  const { config, configFiles } = await readConfig(options, context, repoRoot);
  // A coverage report too large to hold line by line waits for the changed paths (read-inputs.ts).
  const changedPaths = async (): Promise<ReadonlySet<string> | null> => {
    const diff = await gitWork.diff;
    return diff.ok ? new Set(diff.value.files.map((file) => file.path)) : null;
  };
  const inputs = await readInputs(options, config, context.cwd, repoRoot, context.env, changedPaths);
  for (const line of inputs.discovery.log) context.stderr.write(`qgate: ${line}\n`);
  for (const warning of inputs.discovery.warnings) context.stderr.write(`qgate: warning: ${warning}\n`);
  if (!rootOutcome.ok) throw rootOutcome.error;

  // 3. The changed lines: git, else the MR diffs API when the clone lacks the base.
  const session = await openGitLabSession(context.env, config.gitlab, () => context.now().getTime(), context.sleep, ci);
  const envTarget = mergeRequestFromEnv(session);
  const gitDiff = await gitWork.diff;
  const { diff, target: lookedUp } = gitDiff.ok
    ? { diff: gitDiff.value, target: undefined }
    : await changedLinesAfterGitFailed(gitDiff.error, session, envTarget, repoRoot, context).catch((error: unknown) => {
        // No base at all: stop (exit 3), or with onNoBase: fail, report everything else and fail the new-code gate as inconclusive.
        if (!isQgateError(error) || (error.code !== 'GIT_BASE_MISSING' && error.code !== 'GIT_NO_BASE') || config.gates.new_code_coverage.onNoBase !== 'fail') throw error;
        const unknown: GitDiffSummary = { source: 'git', baseSha: null, headSha: null, files: [], deletedFiles: 0, warnings: [error.message], baseUnknown: error.message };
        return { diff: unknown, target: undefined };
      });
  const listed = await gitWork.repoFiles;
  const repoFiles = settleRepoFiles(listed, options, diff);

  // 4. Measure, 5. decide, 6. publish — first with what the environment alone tells, then again
  //    once the baseline is known (requests that could hang come after the files are written).
  const measured = await measure(inputs, diff, repoFiles, config, repoRoot, context.env, ci);
  const decideInputs: DecideInputs = { config, configFiles, measured, other: inputs.other, records: inputs.records, now: context.now };
  const publisher = createPublisher(context, options.out, repoRoot, diff, repoFiles, listed.ok, measured.merged, ci, folder);

  const wantsBaseline = measured.coverage !== null || inputs.other.k6 !== null || measured.e2e !== null;
  const firstPlan = planBaseline(config, session, envTarget, wantsBaseline, publisher.resultPath);
  let result = decide(decideInputs, firstPlan.ask ? pendingBaseline(firstPlan.ref, firstPlan.job) : firstPlan.info, null);
  let published = await publisher.publish(result);

  const target = lookedUp ?? (envTarget.kind === 'lookup' ? await lookUpMergeRequest(session, envTarget.branch, context) : envTarget);
  const plan = envTarget.kind === 'lookup' ? planBaseline(config, session, target, wantsBaseline, publisher.resultPath) : firstPlan;
  const baselineProject = target.kind === 'found' ? target.project : session.ci.projectId;
  if (plan.ask && baselineProject !== null) {
    const fetched = await loadBaseline(session, baselineProject, plan, config, context, measured.e2e !== null);
    result = decide(decideInputs, fetched.info, fetched);
    published = await publisher.publish(result);
  } else if (!plan.ask && plan !== firstPlan) {
    result = decide(decideInputs, plan.info, null);
    published = await publisher.publish(result);
  }

  // 7. Tell: warnings and the terminal summary, then the merge request comment.
  for (const warning of published.warnings) context.stderr.write(`qgate: warning: ${warning}\n`);
  context.stdout.write(renderTerminalSummary(result, relative(context.cwd, published.written.resultJson) || published.written.resultJson, terminalStyleFor(context.env, context.stdout)));

  const commentExit = options.comment && config.gitlab.comment.enabled ? await postComment(session, target, published.comment, result.verdict, config, context) : 0;
  if (commentExit === 3) return { result, exitCode: 3 };
  return { result, exitCode: result.verdict === 'fail' ? 1 : 0 };
}
