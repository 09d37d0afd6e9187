/**
 * The MR's changed lines from git: choose the base, find the merge base, and stream
 * `git diff <merge-base> <head>` into the unified-diff parser.
 *
 * Why commits and not the working tree: the coverage qgate measures was produced from the
 * commit under test, GitLab links uncovered lines to that commit, and in CI the tree is
 * clean. Diffing the working tree (as diff-cover does by default, adding staged and
 * unstaged changes) would also pick up files the job itself rewrote (lockfiles, generated
 * code, formatters) and would depend on line-ending conversion (core.autocrlf, .gitattributes
 * eol), which never applies between two commits. To check uncommitted work locally, commit
 * it first or pass `--diff-file` with the output of `git diff $(git merge-base main HEAD)`.
 *
 * Why the merge base: an MR branch that merged main back in (or a base that moved on) must
 * not count main's own changes as the MR's new code; `git diff base...head` semantics.
 */
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { QgateError } from '../errors.js';
import type { DiffSummary } from '../model/diff.js';
import { parseUnifiedDiff } from './parse-unified-diff.js';
import { choosePushBase, type PushRange } from './push-range.js';
import { deepenToMergeBase, fetchCommit } from './deepen.js';

import type { GitEnv } from './git-env.js';
import { readCiContext, type GitLabCiContext } from '../ci-env.js';
export type { GitEnv };

export interface CollectChangedLinesOptions {
  /** A folder inside the repository (the top level is best). */
  cwd: string;
  /** A ref or SHA to compare against; when absent the CI variables decide (see `chooseBase`). */
  base?: string;
  /** The commit under test; `HEAD` when absent. */
  head?: string;
  /** The environment git runs with. */
  env: GitEnv;
  /** The pipeline's CI variables, parsed once by the caller (src/ci-env.ts); read from `env` when absent. */
  ci?: GitLabCiContext;
}

/** The diff plus what the user should know about how it was computed. */
export type GitDiffSummary = DiffSummary & {
  warnings: string[];
  range?: PushRange;
  /** Which base was used and how it was found ("the merge request base (CI_MERGE_REQUEST_DIFF_BASE_SHA); fetched …"). */
  baseFrom?: string;
  /** No base could be established (onNoBase: fail): why; the diff is then empty. */
  baseUnknown?: string;
};

/**
 * Options that make `git diff` print the same thing whatever the user's or the repository's
 * git config says (all exist in git 2.39):
 * - `-c core.quotePath=true`: non-ASCII names C-quoted, which the parser decodes.
 * - `-c diff.noprefix=false -c diff.mnemonicPrefix=false` and explicit `--src-prefix=a/
 *   --dst-prefix=b/`: the prefixes the parser expects (the parser would cope with others).
 * - `-c diff.renames=true --find-renames --find-copies`: a renamed or copied file counts only
 *   its edited lines. Copies are looked for among the files the MR modifies, not among all
 *   files (`--find-copies-harder` is quadratic in the size of the repository).
 * - `--no-color -c color.ui=false`, `--no-ext-diff` (diff.external, GIT_EXTERNAL_DIFF),
 *   `--no-textconv` (textconv drivers would change the line numbers), `--no-relative`
 *   (diff.relative would cut the diff down to the cwd), `--submodule=short` (diff.submodule=log
 *   prints submodule changes without any diff header).
 * - `--diff-algorithm=myers --indent-heuristic`: which of two equal lines is "the new one"
 *   depends on the algorithm; these are git's defaults, pinned against diff.algorithm and
 *   diff.indentHeuristic so the same MR always gives the same lines.
 * - `-U0`: context is not needed; the parser reads line numbers from the hunk headers.
 * core.safecrlf and core.autocrlf only matter when content is converted to or from the
 * working tree, which never happens between two commits, so they are not set. `-diff` or
 * `binary` in .gitattributes still makes a file binary: that is the repository's choice.
 */
const DIFF_ARGS = [
  '-c', 'core.quotePath=true',
  '-c', 'diff.noprefix=false',
  '-c', 'diff.mnemonicPrefix=false',
  '-c', 'diff.renames=true',
  '-c', 'color.ui=false',
  'diff',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--no-relative',
  '--submodule=short',
  '--diff-algorithm=myers',
  '--indent-heuristic',
  '--find-renames',
  '--find-copies',
  '--src-prefix=a/',
  '--dst-prefix=b/',
  '-U0',
];

/**
 * Collects the lines the MR adds or changes, between the merge base of the base and the head.
 *
 * The base, in order: `options.base`; in a merged-results or merge-train pipeline (no
 * `options.head`), `CI_MERGE_REQUEST_TARGET_BRANCH_SHA`; `CI_MERGE_REQUEST_DIFF_BASE_SHA`;
 * the merge base of HEAD with `origin/$CI_DEFAULT_BRANCH` (or `origin/HEAD`).
 * Throws GIT_NOT_A_REPO, GIT_NO_BASE, GIT_BASE_MISSING (shallow clone) or GIT_FAILED.
 */
export async function collectChangedLines(options: CollectChangedLinesOptions): Promise<GitDiffSummary> {
  const { cwd, env } = options;
  const warnings: string[] = [];
  await assertFolder(cwd);
  const shallow = (await git(cwd, env, ['rev-parse', '--is-shallow-repository'])).trim() === 'true';

  const headLabel = options.head ?? 'HEAD';
  const headSha = await resolveCommit(cwd, env, headLabel);
  if (headSha === null) {
    throw options.head === undefined
      ? new QgateError('GIT_FAILED', `The repository at ${cwd} has no commits yet (HEAD does not name a commit).`, {
          hint: 'Commit the changes first, or pass --diff-file.',
        })
      : new QgateError('GIT_FAILED', `The head \`${options.head}\` is not a branch, tag or commit in this clone.`, {
          hint: 'Pass a ref that exists here (fetch it first), or leave out --head to use HEAD.',
        });
  }

  // What a shallow clone had to fetch to know the base, said in the log and in result.json.
  const fetchedNotes: string[] = [];
  const gitHere = (args: readonly string[]) => runGit(cwd, env, args);
  const base = await chooseBase(options, shallow, headSha, fetchedNotes);
  let mergeBase: string;
  const found = base.direct === true ? { code: 0, stdout: base.sha, stderr: '' } : await runGit(cwd, env, ['merge-base', base.sha, headSha]);
  if (found.code === 0) {
    mergeBase = found.stdout.trim();
  } else if (found.code === 1 && found.stderr.trim() === '') {
    if (base.isMergeBase) {
      // GitLab computed it; a shallow clone may just not reach back far enough to confirm.
      mergeBase = base.sha;
    } else if (shallow) {
      const deepened = await deepenToMergeBase(gitHere, base.sha, headSha);
      if (deepened.note !== null) fetchedNotes.push(deepened.note);
      if (deepened.mergeBase === null) {
        throw new QgateError(
          'GIT_BASE_MISSING',
          `The merge base of ${base.label} (${short(base.sha)}) and ${headLabel} is not in this clone: the clone is shallow, and its history stops before the two branches meet. Deepening it from origin did not help: ${deepened.failure ?? 'unknown'}.`,
        );
      }
      mergeBase = deepened.mergeBase;
    } else {
      mergeBase = base.sha;
      warnings.push(
        `${base.label} (${short(base.sha)}) and ${headLabel} share no history, so the changes are the whole difference between the two commits.`,
      );
    }
  } else {
    throw gitFailure(cwd, ['merge-base', base.sha, headSha], found.code, found.stderr);
  }
  if (mergeBase === headSha) {
    warnings.push(`${headLabel} is already part of ${base.label} (${short(base.sha)}): there are no changes to measure.`);
  }

  const args = [...DIFF_ARGS, '--end-of-options', mergeBase, headSha, '--'];
  const run = await streamGit(cwd, env, args, (chunks) =>
    parseUnifiedDiff(chunks, `git diff ${short(mergeBase)} ${short(headSha)}`),
  );
  if (run.code !== 0) throw gitFailure(cwd, args, run.code, run.stderr);
  for (const line of run.stderr.split('\n')) {
    // e.g. "warning: exhaustive rename detection was skipped due to too many files."
    if (line.startsWith('warning: ')) warnings.push(`git: ${line.slice(9)}`);
  }
  return {
    source: 'git',
    baseSha: mergeBase,
    headSha,
    files: run.value.files,
    deletedFiles: run.value.deletedFiles,
    details: run.value.details ?? new Map(),
    baseFrom: `${base.label}${mergeBase !== base.sha ? `, merge base ${short(mergeBase)}` : ''}${fetchedNotes.length > 0 ? `; ${fetchedNotes.join('; ')}` : ''}`,
    warnings,
    ...(base.range !== undefined ? { range: base.range } : {}),
  };
}

interface BaseChoice {
  sha: string;
  /** How the user would name it in a message. */
  label: string;
  /** GitLab says this commit is the merge base already. */
  isMergeBase: boolean;
  /** Diff from `sha` itself, no merge base (the empty tree). */
  direct?: boolean;
  /** A default-branch pipeline's range (push-range.ts). */
  range?: PushRange;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

async function chooseBase(options: CollectChangedLinesOptions, shallow: boolean, headSha: string, fetchedNotes: string[]): Promise<BaseChoice> {
  const { cwd, env } = options;
  /** A commit named by SHA: here, or (shallow clone) fetched from origin. */
  const resolveOrFetch = async (sha: string): Promise<string | null> => {
    const here = await resolveCommit(cwd, env, sha);
    if (here !== null || !shallow || !/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/i.test(sha)) return here;
    const fetched = await fetchCommit((args) => runGit(cwd, env, args), sha);
    if (!fetched.ok) return null;
    fetchedNotes.push(`fetched the base commit ${short(sha)} from origin (the clone is shallow)`);
    return resolveCommit(cwd, env, sha);
  };
  const ci = options.ci ?? readCiContext(env);
  const shallowNote = shallow ? ' The clone is shallow, so older commits were not fetched.' : '';

  const given = nonEmpty(options.base);
  if (given !== undefined) {
    const sha = await resolveOrFetch(given);
    if (sha !== null) return { sha, label: `--base ${given}`, isMergeBase: false };
    if (/^[0-9a-f]{7,64}$/i.test(given)) {
      throw new QgateError('GIT_BASE_MISSING', `The base commit ${given} is not in this clone.${shallowNote}`);
    }
    const remote = await resolveCommit(cwd, env, `refs/remotes/origin/${given}`);
    throw new QgateError('GIT_FAILED', `The base \`${given}\` is not a branch, tag or commit in this clone.`, {
      hint:
        remote !== null
          ? `Pass --base origin/${given}: CI checks out only the pipeline's own branch as a local branch.`
          : `Fetch it first (\`git fetch origin ${given}\`), or pass a commit SHA.`,
    });
  }

  // Merged-results and merge-train pipelines test a merge commit of the MR into the target;
  // the diff base SHA would then also count what landed on the target since the MR branched.
  const target = options.head === undefined ? ci.targetBranchSha ?? undefined : undefined;
  if (target !== undefined) {
    const sha = await resolveOrFetch(target);
    if (sha === null) {
      throw new QgateError(
        'GIT_BASE_MISSING',
        `The target branch commit ${target} (CI_MERGE_REQUEST_TARGET_BRANCH_SHA) is not in this clone.${shallowNote}`,
      );
    }
    return { sha, label: 'the target branch (CI_MERGE_REQUEST_TARGET_BRANCH_SHA)', isMergeBase: false };
  }

  const diffBase = ci.diffBaseSha;
  if (diffBase !== null) {
    const sha = await resolveOrFetch(diffBase);
    if (sha === null) {
      throw new QgateError(
        'GIT_BASE_MISSING',
        `The merge request's base commit ${diffBase} (CI_MERGE_REQUEST_DIFF_BASE_SHA) is not in this clone.${shallowNote}`,
      );
    }
    return { sha, label: 'the merge request base (CI_MERGE_REQUEST_DIFF_BASE_SHA)', isMergeBase: true };
  }

  const push = options.head === undefined ? await choosePushBase(ci, headSha, (args) => runGit(cwd, env, args)) : null;
  if (push !== null) return { sha: push.sha, label: push.label, isMergeBase: false, direct: push.direct, range: push.range };

  const branch = ci.defaultBranch;
  const ref = branch === null ? 'origin/HEAD' : `origin/${branch}`;
  const sha = await resolveCommit(cwd, env, `refs/remotes/${ref}`);
  if (sha === null) {
    const why =
      branch === null
        ? 'CI_DEFAULT_BRANCH is not set and origin/HEAD does not exist'
        : `${ref} (from CI_DEFAULT_BRANCH) does not exist in this clone`;
    throw new QgateError(
      'GIT_NO_BASE',
      `There is nothing to compare against: no --base was given, CI_MERGE_REQUEST_DIFF_BASE_SHA is not set (this is not a merge request pipeline), and ${why}.`,
    );
  }
  return { sha, label: ref, isMergeBase: false };
}

/** The commit a ref names, or null when it names none here. */
async function resolveCommit(cwd: string, env: GitEnv, ref: string): Promise<string | null> {
  const args = ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`];
  const result = await runGit(cwd, env, args);
  if (result.code === 0) return result.stdout.trim();
  if (result.code === 1) return null;
  // An invalid ref name or a missing object under an existing ref end here too.
  if (/fatal: (?:ambiguous argument|bad revision|Needed a single revision)/.test(result.stderr)) return null;
  throw gitFailure(cwd, args, result.code, result.stderr);
}

async function assertFolder(cwd: string): Promise<void> {
  try {
    if ((await stat(cwd)).isDirectory()) return;
  } catch {
    // reported below
  }
  throw new QgateError('GIT_NOT_A_REPO', `${cwd} is not a folder, so it is not a git repository.`);
}

function short(sha: string): string {
  return /^[0-9a-f]{40,64}$/.test(sha) ? sha.slice(0, 12) : sha;
}

// ---- running git ----------------------------------------------------------------------

/**
 * The environment git runs with: the caller's, minus the variables that change diff output
 * (GIT_DIFF_OPTS overrides -U; GIT_EXTERNAL_DIFF), with no pager, no prompts, no optional
 * index locks, and English messages so the failures below can be recognised.
 *
 * safe.directory: qgate does not pass `-c safe.directory=<cwd>` (git honours it on the command
 * line) nor GIT_CONFIG_NOSYSTEM. Trusting a repository owned by another user is the job's
 * decision, and a container's system config may hold exactly that decision. A refusal
 * ("dubious ownership") becomes an error that says which command trusts the folder.
 */
function gitEnvironment(env: GitEnv): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && key !== 'GIT_DIFF_OPTS' && key !== 'GIT_EXTERNAL_DIFF') result[key] = value;
  }
  result.GIT_PAGER = 'cat';
  result.PAGER = 'cat';
  result.LC_ALL = 'C';
  result.GIT_TERMINAL_PROMPT = '0';
  result.GIT_OPTIONAL_LOCKS = '0';
  return result;
}

export interface GitRun<T> {
  value: T;
  /** The exit code (128 + signal number when killed by a signal). */
  code: number;
  /** The first 64 KiB of stderr. */
  stderr: string;
}

/**
 * Runs git (no shell; arguments as an array) and hands its stdout, decoded as UTF-8, to
 * `consume` as a stream. `env` undefined means the current process's environment.
 */
export async function streamGit<T>(
  cwd: string,
  env: GitEnv | undefined,
  args: readonly string[],
  consume: (stdout: AsyncIterable<string>) => Promise<T>,
): Promise<GitRun<T>> {
  const child = spawn('git', ['--no-pager', ...args], {
    cwd,
    ...(env === undefined ? {} : { env: gitEnvironment(env) }),
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (data: string) => {
    if (stderr.length < 65_536) stderr += data;
  });
  const exit = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
  // Handled below; this only stops a spawn error from counting as unhandled while stdout drains.
  exit.catch(() => undefined);
  child.stdout.setEncoding('utf8');
  let value: T;
  try {
    value = await consume(child.stdout);
  } catch (error) {
    child.kill();
    await exit.catch(() => undefined);
    throw error;
  }
  let code: number;
  try {
    code = await exit;
  } catch (error) {
    throw await spawnFailure(cwd, error);
  }
  return { value, code, stderr };
}

/** Runs git and collects its (small) stdout. */
export async function runGit(
  cwd: string,
  env: GitEnv | undefined,
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = await streamGit(cwd, env, args, async (stdout) => {
    let text = '';
    for await (const chunk of stdout) text += chunk as string;
    return text;
  });
  return { code: run.code, stdout: run.value, stderr: run.stderr };
}

/** Runs git and returns its stdout, or throws the QgateError its failure means. */
async function git(cwd: string, env: GitEnv, args: readonly string[]): Promise<string> {
  const result = await runGit(cwd, env, args);
  if (result.code !== 0) throw gitFailure(cwd, args, result.code, result.stderr);
  return result.stdout;
}

async function spawnFailure(cwd: string, error: unknown): Promise<QgateError> {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    // spawn reports a missing cwd exactly like a missing program.
    const folder = await stat(cwd).then((info) => info.isDirectory(), () => false);
    if (!folder) return new QgateError('GIT_NOT_A_REPO', `${cwd} is not a folder, so it is not a git repository.`);
    return new QgateError('GIT_FAILED', 'git is not installed (it was not found on the PATH).', {
      hint: 'Use an image with git in it, or pass --diff-file.',
    });
  }
  return new QgateError('GIT_FAILED', `git could not be started in ${cwd} (${code ?? String(error)}).`);
}

/** Turns a failed git command into the error the user can act on. */
export function gitFailure(cwd: string, args: readonly string[], code: number, stderr: string): QgateError {
  if (/not a git repository/i.test(stderr)) {
    return new QgateError('GIT_NOT_A_REPO', `${cwd} is not inside a git repository.`);
  }
  if (/dubious ownership/i.test(stderr)) {
    return new QgateError(
      'GIT_FAILED',
      `git refuses to read the repository at ${cwd} because another user owns it ("dubious ownership").`,
      { hint: `Trust it before qgate runs: \`git config --global --add safe.directory "${cwd}"\` (in GitLab CI, "$CI_PROJECT_DIR").` },
    );
  }
  const command = args.filter((arg) => !arg.startsWith('-') && !arg.includes('=')).slice(0, 3).join(' ');
  const detail = stderr.trim().split('\n')[0] ?? '';
  return new QgateError('GIT_FAILED', `\`git ${command}\` failed with exit code ${code}${detail ? `: ${detail}` : '.'}`);
}
