/**
 * The new code of a default-branch pipeline. Without this, a pipeline on `main` diffs HEAD
 * against `origin/main`, which is HEAD itself: there is never new code, the new-code gate is
 * skipped on every default-branch run, and the scorecard can never see it pass.
 *
 * What GitLab tells a default-branch pipeline (https://docs.gitlab.com/ci/variables/predefined_variables/):
 * `CI_COMMIT_BEFORE_SHA` is the branch head before the push — all zeros for a scheduled, web,
 * API or trigger pipeline, for the first push of a branch, and absent outside GitLab.
 *
 * The range, in order:
 * 1. `merge-commit`: HEAD is a merge commit and the push brought only it (the before-SHA is its
 *    first parent, or unusable): the merged MR's changes, `HEAD^1..HEAD`.
 * 2. `push`: the before-SHA is in the clone: `CI_COMMIT_BEFORE_SHA..HEAD` (through the merge
 *    base, so a force push counts only what is new since the histories split).
 * 3. `fallback-last-commit`: no usable before-SHA: the last commit, `HEAD~1..HEAD`, and why.
 * 4. `fallback-whole-tree`: HEAD has no parent in this clone (the first commit, or a depth-1
 *    clone): every line counts as new code, and why.
 * Each choice is recorded in result.json as `diff.range` so a reader never has to guess.
 */
import type { GitLabCiContext } from '../ci-env.js';

/** How a default-branch run chose its new code; written to result.json as `diff.range`. */
export interface PushRange {
  source: 'push' | 'merge-commit' | 'fallback-last-commit' | 'fallback-whole-tree';
  /** One sentence a reader of result.json can act on. */
  reason: string;
}

/** The base commit to diff from (or the empty tree), and why. */
export interface PushBase {
  /** A commit SHA, or the empty tree's SHA when `source` is `fallback-whole-tree`. */
  sha: string;
  label: string;
  /** true: diff from `sha` directly, without a merge base (the empty tree has none). */
  direct: boolean;
  range: PushRange;
}

type Git = (args: readonly string[]) => Promise<{ code: number; stdout: string }>;

const ZEROS = /^0+$/;


function short(sha: string): string {
  return /^[0-9a-f]{40,64}$/i.test(sha) ? sha.slice(0, 12) : sha;
}

/** Whether this is a branch pipeline on the default branch (merge request pipelines are not). */
export function isDefaultBranchPipeline(ci: GitLabCiContext): boolean {
  return ci.commitBranch !== null && ci.commitBranch === ci.defaultBranch && ci.mergeRequestIid === null;
}

/** Why the before-SHA cannot be used, or null when it names a commit here. */
async function beforeProblem(ci: GitLabCiContext, git: Git): Promise<{ sha: string } | { why: string }> {
  const before = ci.commitBeforeSha;
  const source = ci.pipelineSource;
  if (before === null) return { why: 'CI_COMMIT_BEFORE_SHA is not set' };
  if (ZEROS.test(before)) {
    return { why: `CI_COMMIT_BEFORE_SHA is all zeros (${source !== null && source !== 'push' ? `a ${source} pipeline has no push` : 'the first push of the branch'})` };
  }
  if (!/^[0-9a-f]{7,64}$/i.test(before)) return { why: `CI_COMMIT_BEFORE_SHA ${JSON.stringify(before.slice(0, 80))} is not a commit SHA` };
  const found = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${before}^{commit}`]);
  if (found.code !== 0) return { why: `CI_COMMIT_BEFORE_SHA ${short(before)} is not in this clone (a shallow clone; raise GIT_DEPTH)` };
  return { sha: found.stdout.trim() };
}

/**
 * The base of a default-branch pipeline's new code, or null when this is no default-branch
 * pipeline (the caller then keeps its own rule). `git` runs git in the repository.
 */
export async function choosePushBase(ci: GitLabCiContext, headSha: string, git: Git): Promise<PushBase | null> {
  if (!isDefaultBranchPipeline(ci)) return null;
  const parentsRun = await git(['rev-list', '--parents', '-n', '1', headSha]);
  const parents = parentsRun.code === 0 ? parentsRun.stdout.trim().split(/\s+/).slice(1) : [];
  const firstParent = parents[0];
  const before = await beforeProblem(ci, git);

  if (firstParent !== undefined && parents.length > 1 && ('why' in before || before.sha === firstParent)) {
    return {
      sha: firstParent,
      label: 'the merge commit\'s first parent',
      direct: false,
      range: { source: 'merge-commit', reason: `HEAD is a merge commit: the new code is what it merged, ${short(firstParent)}..${short(headSha)} (first parent..HEAD).` },
    };
  }
  if ('sha' in before) {
    return {
      sha: before.sha,
      label: 'the push (CI_COMMIT_BEFORE_SHA)',
      direct: false,
      range: { source: 'push', reason: `the new code is this push, ${short(before.sha)}..${short(headSha)} (CI_COMMIT_BEFORE_SHA..HEAD).` },
    };
  }
  if (firstParent !== undefined) {
    return {
      sha: firstParent,
      label: 'the last commit\'s parent',
      direct: false,
      range: { source: 'fallback-last-commit', reason: `${before.why}, so the new code is the last commit only, ${short(firstParent)}..${short(headSha)} (HEAD~1..HEAD).` },
    };
  }
  const emptyTree = await git(['hash-object', '-t', 'tree', '--stdin']);
  // `--stdin` with stdin ignored reads nothing: the empty tree of this repository's hash.
  const sha = emptyTree.code === 0 && emptyTree.stdout.trim() !== '' ? emptyTree.stdout.trim() : '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
  return {
    sha,
    label: 'the empty tree',
    direct: true,
    range: { source: 'fallback-whole-tree', reason: `${before.why}, and HEAD has no parent in this clone (the first commit, or a depth-1 clone), so every line counts as new code.` },
  };
}
