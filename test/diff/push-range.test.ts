/**
 * Default-branch pipelines' new code, against real temporary git repositories: a push of two
 * commits, a merge commit, an all-zeros before-SHA (schedule), a missing one, one not in the
 * clone, and a repository whose only commit is HEAD.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectChangedLines } from '../../src/diff/git-diff.js';
import { isDefaultBranchPipeline } from '../../src/diff/push-range.js';
import { readCiContext } from '../../src/ci-env.js';
import { isolatedGitEnv, runGit } from '../support/isolated-git.js';

let root: string;
let env: Record<string, string>;
const git = (cwd: string, ...args: string[]): Promise<string> => runGit(env, cwd, ...args);

async function commitFile(repo: string, path: string, text: string, message: string): Promise<string> {
  await writeFile(join(repo, path), text);
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-q', '-m', message);
  return git(repo, 'rev-parse', 'HEAD');
}

const lines = (count: number, label: string): string => Array.from({ length: count }, (_, index) => `${label} ${index + 1}\n`).join('');

/** A default-branch push pipeline's variables. */
function ci(extra: Record<string, string>): Record<string, string> {
  return { ...env, CI_COMMIT_BRANCH: 'main', CI_DEFAULT_BRANCH: 'main', CI_PIPELINE_SOURCE: 'push', ...extra };
}

let repo: string;
let beforePush: string;
let afterPush: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'qgate-push-range-'));
  await mkdir(join(root, 'home'));
  env = isolatedGitEnv(root);
  repo = join(root, 'repo');
  await mkdir(repo);
  await git(repo, 'init', '-q', '-b', 'main');
  await commitFile(repo, 'a.ts', lines(5, 'a'), 'one');
  beforePush = await commitFile(repo, 'b.ts', lines(3, 'b'), 'two');
  await commitFile(repo, 'c.ts', lines(4, 'c'), 'push 1 of 2');
  afterPush = await commitFile(repo, 'd.ts', lines(2, 'd'), 'push 2 of 2');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('default-branch new code', () => {
  it('is the push, CI_COMMIT_BEFORE_SHA..HEAD, for a push of two commits', async () => {
    await git(repo, 'checkout', '-q', afterPush);
    const diff = await collectChangedLines({ cwd: repo, env: ci({ CI_COMMIT_BEFORE_SHA: beforePush }) });
    expect(diff.range?.source).toBe('push');
    expect(diff.range?.reason).toContain(beforePush.slice(0, 12));
    expect(diff.baseSha).toBe(beforePush);
    expect(diff.files.map((file) => [file.path, file.addedLines.length])).toEqual([['c.ts', 4], ['d.ts', 2]]);
  });

  it('is the merged branch, first parent..HEAD, for a merge commit', async () => {
    await git(repo, 'checkout', '-q', '-b', 'feature', beforePush);
    await commitFile(repo, 'feature.ts', lines(7, 'f'), 'feature');
    await git(repo, 'checkout', '-q', '-B', 'main', afterPush);
    await git(repo, 'merge', '-q', '--no-ff', '-m', 'Merge branch feature', 'feature');
    const merge = await git(repo, 'rev-parse', 'HEAD');
    for (const before of [afterPush, '0000000000000000000000000000000000000000']) {
      const diff = await collectChangedLines({ cwd: repo, env: ci({ CI_COMMIT_BEFORE_SHA: before }) });
      expect(diff.range?.source).toBe('merge-commit');
      expect(diff.headSha).toBe(merge);
      expect(diff.baseSha).toBe(afterPush);
      expect(diff.files.map((file) => [file.path, file.addedLines.length])).toEqual([['feature.ts', 7]]);
    }
    await git(repo, 'checkout', '-q', afterPush);
  });

  it('falls back to the last commit, and says why, when the before-SHA is all zeros (schedule)', async () => {
    const diff = await collectChangedLines({ cwd: repo, env: ci({ CI_COMMIT_BEFORE_SHA: '0000000000000000000000000000000000000000', CI_PIPELINE_SOURCE: 'schedule' }) });
    expect(diff.range).toEqual({ source: 'fallback-last-commit', reason: expect.stringContaining('all zeros (a schedule pipeline has no push)') });
    expect(diff.files.map((file) => file.path)).toEqual(['d.ts']);
  });

  it('falls back to the last commit when the before-SHA is missing or not in the clone', async () => {
    const missing = await collectChangedLines({ cwd: repo, env: ci({}) });
    expect(missing.range?.source).toBe('fallback-last-commit');
    expect(missing.range?.reason).toMatch(/^CI_COMMIT_BEFORE_SHA is not set, so the new code is the last commit only/);
    const absent = await collectChangedLines({ cwd: repo, env: ci({ CI_COMMIT_BEFORE_SHA: 'deadbeef'.repeat(5) }) });
    expect(absent.range?.reason).toContain('is not in this clone');
    expect(absent.files.map((file) => file.path)).toEqual(['d.ts']);
    const hostile = await collectChangedLines({ cwd: repo, env: ci({ CI_COMMIT_BEFORE_SHA: '--output=/tmp/x' }) });
    expect(hostile.range?.reason).toContain('is not a commit SHA');
  });

  it('counts the whole tree as new code when HEAD has no parent (first push of a new project)', async () => {
    const first = join(root, 'first');
    await mkdir(first);
    await git(first, 'init', '-q', '-b', 'main');
    await commitFile(first, 'only.ts', lines(3, 'o'), 'initial');
    const diff = await collectChangedLines({ cwd: first, env: ci({ CI_COMMIT_BEFORE_SHA: '0000000000000000000000000000000000000000' }) });
    expect(diff.range?.source).toBe('fallback-whole-tree');
    expect(diff.range?.reason).toContain('every line counts as new code');
    expect(diff.files.map((file) => [file.path, file.addedLines])).toEqual([['only.ts', [1, 2, 3]]]);
  });

  it('leaves merge request and other branch pipelines to the usual rule', async () => {
    expect(isDefaultBranchPipeline(readCiContext(ci({})))).toBe(true);
    expect(isDefaultBranchPipeline(readCiContext(ci({ CI_COMMIT_BRANCH: 'feature' })))).toBe(false);
    expect(isDefaultBranchPipeline(readCiContext(ci({ CI_MERGE_REQUEST_IID: '4' })))).toBe(false);
    expect(isDefaultBranchPipeline(readCiContext({ CI_DEFAULT_BRANCH: 'main' }))).toBe(false);
    const explicit = await collectChangedLines({ cwd: repo, env: ci({}), base: beforePush });
    expect(explicit.range).toBeUndefined();
  });
});
