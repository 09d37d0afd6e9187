/**
 * Step (after merging coverage): a report path that matches no tracked file but names a file
 * that is in the checkout, untracked or gitignored, is a generated file (`_version.py` written
 * by hatch-vcs or setuptools-scm, `*.generated.ts`, protobuf stubs). It is marked `untracked`,
 * "generated / not tracked", so no path-root hint is offered for it: the paths did resolve.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createPathResolver } from '../inputs/coverage/resolve-paths.js';
import type { CoverageInput, MergedCoverage } from '../measure/merge-coverage.js';
import { toPosix } from './paths.js';

const run = promisify(execFile);

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

/** Untracked and ignored files whose name is one of `names` (one `git ls-files --others` call). */
async function untrackedNamed(repoRoot: string, names: ReadonlySet<string>, env: Readonly<Record<string, string | undefined>>): Promise<Set<string>> {
  const pathspecs = [...names].filter((name) => name !== '' && !/[*?[\]\\:]/.test(name)).map((name) => `:(top,glob)**/${name}`);
  if (pathspecs.length === 0) return new Set();
  try {
    const { stdout } = await run('git', ['-c', 'core.quotePath=false', 'ls-files', '-z', '--others', '--full-name', '--', ...pathspecs], {
      cwd: repoRoot,
      env: env as NodeJS.ProcessEnv,
      maxBuffer: 64 * 1024 * 1024,
    });
    return new Set(stdout.split('\0').filter((path) => path !== ''));
  } catch {
    // Not a repository (a --diff-file run) or git failed: the entries stay "matches no repository file".
    return new Set();
  }
}

/** Marks, in place, the unresolved entries that name an untracked file of the checkout. */
export async function markUntrackedFiles(
  merged: MergedCoverage,
  inputs: readonly CoverageInput[],
  repoRoot: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<void> {
  const missing = merged.unresolved.filter((entry) => entry.reason === 'not-found');
  if (missing.length === 0) return;
  const untracked = await untrackedNamed(repoRoot, new Set(missing.map((entry) => baseName(entry.path))), env);
  if (untracked.size === 0) return;
  const resolve = createPathResolver({ root: toPosix(repoRoot), files: untracked });
  const byReport = new Map(inputs.map((input) => [input.file, input]));
  for (const entry of missing) {
    const input = byReport.get(entry.report);
    if (input === undefined) continue;
    const found = resolve(entry.path, {
      reportDir: input.reportDir,
      sourceRoots: input.report.sourceRoots,
      ...(input.root !== undefined ? { root: input.root } : {}),
    });
    if (found.resolved) {
      entry.reason = 'untracked';
      entry.candidates = [found.path];
    }
  }
}
