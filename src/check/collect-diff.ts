/**
 * Step: find the repository, diff it and list its files. git needs no configuration, so this
 * starts first and runs in the background while the config loads and the reports are parsed.
 * Outcomes are held, not thrown, so configuration and input errors are still reported first.
 */
import type { GitLabCiContext } from '../ci-env.js';
import { resolve } from 'node:path';
import { collectChangedLines, type GitDiffSummary } from '../diff/git-diff.js';
import { readChangedLinesFromDiffFile } from '../diff/diff-file.js';
import { listRepoFiles, type RepoFiles } from '../diff/repo-files.js';
import { findRepoRoot } from '../diff/repo-root.js';
import { QgateError } from '../errors.js';
import type { CheckOptions, RunContext } from './context.js';

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

export interface GitWork {
  repoRoot: Promise<Settled<string>>;
  diff: Promise<Settled<GitDiffSummary>>;
  repoFiles: Promise<Settled<RepoFiles>>;
}

/** Finds the repository, then diffs and lists it, all in the background. */
export function startGitWork(options: CheckOptions, context: RunContext, ci?: GitLabCiContext): GitWork {
  const root = findRepoRoot(context.cwd, context.env).then((found) => {
    const repoRoot = found ?? (options.diffFile !== undefined ? context.cwd : null);
    if (repoRoot === null) throw new QgateError('GIT_NOT_A_REPO', `${context.cwd} is not inside a git repository.`);
    return repoRoot;
  });
  const diff = root.then((repoRoot) =>
    options.diffFile !== undefined
      ? readChangedLinesFromDiffFile(options.diffFile, resolve(context.cwd, options.diffFile))
      : collectChangedLines({
          cwd: repoRoot,
          env: context.env,
          ...(ci !== undefined ? { ci } : {}),
          ...(options.base !== undefined ? { base: options.base } : {}),
          ...(options.head !== undefined ? { head: options.head } : {}),
        }),
  );
  const repoFiles = root.then((repoRoot) => listRepoFiles(repoRoot, context.env));
  return { repoRoot: settle(root), diff: settle(diff), repoFiles: settle(repoFiles) };
}

/**
 * The repository's files; a diff file outside any repository falls back to its changed files
 * (the only files known to exist), with a warning on the diff.
 */
export function settleRepoFiles(
  outcome: Settled<RepoFiles>,
  options: CheckOptions,
  diff: GitDiffSummary,
): RepoFiles {
  if (outcome.ok) return outcome.value;
  if (options.diffFile === undefined) throw outcome.error;
  diff.warnings.push('not a git repository: report paths are matched against the diff file only');
  return { files: diff.files.map((file) => file.path), symlinks: new Set() };
}
