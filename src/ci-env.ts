/**
 * What qgate needs to know about the pipeline, read from GitLab's predefined CI/CD variables
 * (https://docs.gitlab.com/ci/variables/predefined_variables/). Pure: the environment is passed in.
 * Parsed once per run (src/run.ts) and passed down. At the top of src/, not in src/gitlab/, because
 * earlier stages (diff, render) read it too and may not import src/gitlab/.
 */
import { QgateError } from './errors.js';

export interface GitLabCiContext {
  /** `CI_API_V4_URL`; null outside GitLab CI. */
  apiUrl: string | null;
  /** `CI_PROJECT_ID`. */
  projectId: string | null;
  /** `CI_PROJECT_URL`, for links in the comment. */
  projectUrl: string | null;
  /** `CI_MERGE_REQUEST_IID`: set in merge request pipelines only. */
  mergeRequestIid: number | null;
  /** `CI_MERGE_REQUEST_PROJECT_ID`: the project the MR lives in (differs from CI_PROJECT_ID for forks). */
  mergeRequestProjectId: string | null;
  /** `CI_MERGE_REQUEST_PROJECT_URL`: the MR's project, which for a fork's pipeline is not CI_PROJECT_URL. */
  mergeRequestProjectUrl: string | null;
  /** `CI_MERGE_REQUEST_EVENT_TYPE`: `merged_result` when HEAD is the merge of the MR into its target. */
  mergeRequestEventType: string | null;
  /** `CI_MERGE_REQUEST_TARGET_BRANCH_NAME`. */
  targetBranch: string | null;
  /** `CI_COMMIT_BRANCH`: set in branch pipelines, absent in MR pipelines. */
  commitBranch: string | null;
  /** `CI_COMMIT_SHA`. */
  commitSha: string | null;
  /** `CI_DEFAULT_BRANCH`. */
  defaultBranch: string | null;
  /** `CI_JOB_NAME`: the baseline is this job's artifact on the target branch. */
  jobName: string | null;
  /** `CI_JOB_URL`: the HTML report's link is this job's artifact. */
  jobUrl: string | null;
  /** `CI_PIPELINE_ID`. */
  pipelineId: string | null;
  /** `CI_MERGE_REQUEST_TARGET_BRANCH_SHA` (merged-results pipelines). */
  targetBranchSha: string | null;
  /** `CI_MERGE_REQUEST_DIFF_BASE_SHA`. */
  diffBaseSha: string | null;
  /** `CI_COMMIT_BEFORE_SHA`: the branch head before the push (all zeros when there was none). */
  commitBeforeSha: string | null;
  /** `CI_PIPELINE_SOURCE`: push, merge_request_event, schedule, web, … */
  pipelineSource: string | null;
  /** `CI_NODE_INDEX`/`CI_NODE_TOTAL` of a `parallel: N` job, as `I/N`; null when not parallel. */
  parallelSlice: string | null;
}

type Env = Readonly<Record<string, string | undefined>>;

function value(env: Env, name: string): string | null {
  const text = env[name]?.trim();
  return text ? text : null;
}

function positiveInt(text: string | null): number | null {
  if (text === null || !/^\d+$/.test(text)) return null;
  const parsed = Number(text);
  return parsed > 0 && Number.isSafeInteger(parsed) ? parsed : null;
}

export function readCiContext(env: Env): GitLabCiContext {
  return {
    apiUrl: value(env, 'CI_API_V4_URL'),
    projectId: value(env, 'CI_PROJECT_ID'),
    projectUrl: value(env, 'CI_PROJECT_URL'),
    mergeRequestIid: positiveInt(value(env, 'CI_MERGE_REQUEST_IID')),
    mergeRequestProjectId: value(env, 'CI_MERGE_REQUEST_PROJECT_ID'),
    mergeRequestProjectUrl: value(env, 'CI_MERGE_REQUEST_PROJECT_URL'),
    mergeRequestEventType: value(env, 'CI_MERGE_REQUEST_EVENT_TYPE'),
    targetBranch: value(env, 'CI_MERGE_REQUEST_TARGET_BRANCH_NAME'),
    commitBranch: value(env, 'CI_COMMIT_BRANCH'),
    commitSha: value(env, 'CI_COMMIT_SHA'),
    defaultBranch: value(env, 'CI_DEFAULT_BRANCH'),
    jobName: value(env, 'CI_JOB_NAME'),
    jobUrl: value(env, 'CI_JOB_URL'),
    pipelineId: value(env, 'CI_PIPELINE_ID'),
    targetBranchSha: value(env, 'CI_MERGE_REQUEST_TARGET_BRANCH_SHA'),
    diffBaseSha: value(env, 'CI_MERGE_REQUEST_DIFF_BASE_SHA'),
    commitBeforeSha: value(env, 'CI_COMMIT_BEFORE_SHA'),
    pipelineSource: value(env, 'CI_PIPELINE_SOURCE'),
    parallelSlice: value(env, 'CI_NODE_INDEX') && value(env, 'CI_NODE_TOTAL') ? `${value(env, 'CI_NODE_INDEX')}/${value(env, 'CI_NODE_TOTAL')}` : null,
  };
}

/**
 * What in a token keeps it out of an HTTP header, in a few words ("a line break"); null when
 * nothing does. Never quotes the token or the character. A token pasted into a CI/CD variable
 * with its line break would otherwise fail every request as a misleading "cannot connect".
 */
export function tokenDefect(token: string): string | null {
  if (/[\r\n]/.test(token)) return 'a line break';
  if (/\t/.test(token)) return 'a tab';
  if (/\s/.test(token)) return 'a space';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(token)) return 'a control character';
  if (/[^\u0021-\u007e]/.test(token)) return 'a character outside printable ASCII';
  return null;
}

/**
 * The token qgate writes with: `QGATE_GITLAB_TOKEN`, else `GITLAB_TOKEN`. Never `CI_JOB_TOKEN`:
 * a job token cannot create or edit merge request notes. Whitespace around it is dropped (a
 * trailing newline is the usual paste); whitespace or a control character inside it is refused
 * here, before any request, with GITLAB_TOKEN_INVALID. The first variable set is the one used:
 * a broken QGATE_GITLAB_TOKEN never falls back to GITLAB_TOKEN silently.
 */
export function readToken(env: Env): { token: string; variable: string } | null {
  for (const variable of ['QGATE_GITLAB_TOKEN', 'GITLAB_TOKEN']) {
    const token = env[variable]?.trim();
    if (!token) continue;
    const defect = tokenDefect(token);
    if (defect !== null) {
      throw new QgateError('GITLAB_TOKEN_INVALID', `${variable} contains ${defect}: copy the token again without it.`, {
        hint: `Edit the CI/CD variable ${variable} (Settings > CI/CD > Variables): paste the token alone, on one line, without spaces.`,
      });
    }
    return { token, variable };
  }
  return null;
}
