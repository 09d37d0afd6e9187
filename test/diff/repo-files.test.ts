import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRepoFiles } from '../../src/diff/repo-files.js';
import { QgateError } from '../../src/errors.js';
import { isolatedGitEnv, runGit } from '../support/isolated-git.js';

let root = '';
let repo = '';
let env: Record<string, string> = {};

const git = (cwd: string, ...args: string[]): Promise<string> => runGit(env, cwd, ...args);

async function write(path: string, text: string): Promise<void> {
  await mkdir(dirname(join(repo, path)), { recursive: true });
  await writeFile(join(repo, path), text);
}

const names = ['src/a.ts', 'src/deep/b.ts', 'with space.ts', 'café/naïve.ts', '日本語.py', 'tab\tand"quote.txt', 'new\nline.txt'];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'qgate-repo-files-'));
  await mkdir(join(root, 'home'));
  env = isolatedGitEnv(root);
  repo = join(root, 'repo');
  await mkdir(repo);
  await git(repo, 'init', '-q', '-b', 'main');
  for (const name of names) await write(name, 'x\n');
  await write('conflict.ts', 'base\n');
  await symlink('src/a.ts', join(repo, 'link.ts'));
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-q', '-m', 'base');
  const sha = await git(repo, 'rev-parse', 'HEAD');
  // A submodule entry (gitlink): a folder of another repository, not a file.
  await git(repo, 'update-index', '--add', '--cacheinfo', `160000,${sha},vendor/sub`);
  await git(repo, 'commit', '-q', '-m', 'submodule');
  // A merge conflict leaves three index entries for one path.
  await git(repo, 'switch', '-q', '-c', 'other');
  await write('conflict.ts', 'theirs\n');
  await git(repo, 'commit', '-qam', 'theirs');
  await git(repo, 'switch', '-q', 'main');
  await write('conflict.ts', 'ours\n');
  await git(repo, 'commit', '-qam', 'ours');
  // The merge conflicts on purpose: its non-zero exit is the point.
  await git(repo, 'merge', '-q', 'other').catch(() => undefined);
  // Staged but not committed, and removed from the folder but still in the index.
  await write('staged.ts', 'x\n');
  await git(repo, 'add', 'staged.ts');
  await rm(join(repo, 'with space.ts'));
});

afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

describe('listRepoFiles', () => {
  it('lists every tracked file once, unquoted, with symlinks marked and submodules left out', async () => {
    const result = await listRepoFiles(repo, env);
    expect([...result.files].sort()).toEqual([...names, 'conflict.ts', 'link.ts', 'staged.ts'].sort());
    expect(result.symlinks).toEqual(new Set(['link.ts']));
  });

  it('gives repository paths from a subfolder too', async () => {
    const fromSub = await listRepoFiles(join(repo, 'src', 'deep'), env);
    expect(fromSub).toEqual(await listRepoFiles(repo, env));
  });

  it('GIT_NOT_A_REPO outside a repository and for a missing folder', async () => {
    const plain = join(root, 'plain');
    await mkdir(plain);
    for (const cwd of [plain, join(root, 'missing')]) {
      const error = await listRepoFiles(cwd, env).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(QgateError);
      expect((error as QgateError).code).toBe('GIT_NOT_A_REPO');
    }
  });
});
