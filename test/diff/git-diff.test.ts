/**
 * collectChangedLines against real temporary git repositories: one repository with a branch
 * per pitfall (all forked from the same main commit), plus clones for remotes, shallow
 * history and merged-results pipelines.
 */
import { chmod, chown, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectChangedLines, type GitDiffSummary } from '../../src/diff/git-diff.js';
import { QgateError } from '../../src/errors.js';
import { isolatedGitEnv, runGit } from '../support/isolated-git.js';
import type { ChangedFile } from '../../src/model/diff.js';

const git = (cwd: string, ...args: string[]): Promise<string> => runGit(env, cwd, ...args);

function numbered(count: number, label: string, eol = '\n'): string {
  let text = '';
  for (let line = 1; line <= count; line += 1) text += `${label} line ${line}${eol}`;
  return text;
}

/** `numbered` with some lines replaced. */
function edited(count: number, label: string, lines: number[], eol = '\n'): string {
  return numbered(count, label, eol)
    .split(eol)
    .map((text, index) => (lines.includes(index + 1) ? `${text} (edited)` : text))
    .join(eol);
}

type Content = string | Buffer | { symlink: string } | { mode: number; text: string } | null;

async function writeFiles(repo: string, files: Record<string, Content>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const target = join(repo, path);
    await rm(target, { force: true });
    if (content === null) continue;
    await mkdir(dirname(target), { recursive: true });
    if (typeof content === 'string' || Buffer.isBuffer(content)) {
      await writeFile(target, content);
    } else if ('symlink' in content) {
      await symlink(content.symlink, target);
    } else {
      await writeFile(target, content.text);
      await chmod(target, content.mode);
    }
  }
}

async function commit(repo: string, message: string): Promise<string> {
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-q', '--allow-empty', '-m', message);
  return git(repo, 'rev-parse', 'HEAD');
}

async function failure(promise: Promise<unknown>): Promise<QgateError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof QgateError) return error;
    throw error;
  }
  throw new Error('expected a QgateError');
}

function file(path: string, addedLines: number[], extra: Partial<ChangedFile> = {}): ChangedFile {
  return { path, oldPath: null, status: 'modified', addedLines, binary: false, ...extra };
}

function byPath(files: ChangedFile[]): ChangedFile[] {
  return [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

let root = '';
let repo = '';
let env: Record<string, string> = {};
let main0 = '';
let mainTip = '';

const baseFiles: Record<string, Content> = {
  'pure/old-name.ts': numbered(10, 'pure'),
  'ren/source.ts': numbered(20, 'ren'),
  'copy/orig.ts': numbered(20, 'copy'),
  'del/gone.ts': numbered(3, 'gone'),
  'bin/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0, 4]),
  'mode/run.sh': { mode: 0o644, text: 'echo hi\n' },
  'crlf/win.txt': numbered(5, 'crlf', '\r\n'),
  'ws/indent.py': 'def f():\n  return 1\n',
  'noeol/last.txt': 'a\nb',
  'deep/a/b/c/mod.ts': numbered(4, 'deep'),
  'merge/shared.ts': numbered(20, 'shared'),
};

interface Scenario {
  name: string;
  change: Record<string, Content>;
  files: ChangedFile[];
  deletedFiles?: number;
}

const scenarios: Scenario[] = [
  {
    name: 'pure-rename',
    change: { 'pure/old-name.ts': null, 'pure/new-name.ts': numbered(10, 'pure') },
    files: [file('pure/new-name.ts', [], { status: 'renamed', oldPath: 'pure/old-name.ts' })],
  },
  {
    name: 'rename-with-edits',
    change: { 'ren/source.ts': null, 'ren/target.ts': edited(20, 'ren', [5, 12]) },
    files: [file('ren/target.ts', [5, 12], { status: 'renamed', oldPath: 'ren/source.ts' })],
  },
  {
    name: 'copy-with-edits',
    change: { 'copy/orig.ts': edited(20, 'copy', [20]), 'copy/dup.ts': edited(20, 'copy', [3]) },
    files: [file('copy/dup.ts', [3], { status: 'copied', oldPath: 'copy/orig.ts' }), file('copy/orig.ts', [20])],
  },
  { name: 'deleted-file', change: { 'del/gone.ts': null }, files: [], deletedFiles: 1 },
  {
    name: 'binary-files',
    change: { 'bin/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 9, 9, 9, 0, 4]), 'bin/new.bin': Buffer.from([0, 1, 2]) },
    files: [file('bin/logo.png', [], { binary: true }), file('bin/new.bin', [], { binary: true, status: 'added' })],
  },
  { name: 'mode-only', change: { 'mode/run.sh': { mode: 0o755, text: 'echo hi\n' } }, files: [] },
  {
    name: 'awkward-names',
    change: {
      'with space.ts': numbered(2, 'space'),
      'café/naïve file.ts': numbered(3, 'cafe'),
      '日本語.py': numbered(1, 'nihongo'),
      'quote"and\ttab.txt': numbered(2, 'quote'),
      'dir b/x b/y.ts': numbered(1, 'bslash'),
    },
    files: [
      file('with space.ts', [1, 2], { status: 'added' }),
      file('café/naïve file.ts', [1, 2, 3], { status: 'added' }),
      file('日本語.py', [1], { status: 'added' }),
      file('quote"and\ttab.txt', [1, 2], { status: 'added' }),
      file('dir b/x b/y.ts', [1], { status: 'added' }),
    ],
  },
  { name: 'crlf-one-line', change: { 'crlf/win.txt': edited(5, 'crlf', [3], '\r\n') }, files: [file('crlf/win.txt', [3])] },
  { name: 'whitespace-only', change: { 'ws/indent.py': 'def f():\n    return 1\n' }, files: [file('ws/indent.py', [2])] },
  { name: 'empty-file', change: { 'empty.txt': '' }, files: [file('empty.txt', [], { status: 'added' })] },
  { name: 'no-newline-at-end', change: { 'noeol/last.txt': 'a\nb\nc' }, files: [file('noeol/last.txt', [3])] },
  {
    name: 'symlink-added',
    change: { 'link-to-mod': { symlink: 'deep/a/b/c/mod.ts' } },
    files: [file('link-to-mod', [], { status: 'added', binary: true })],
  },
  { name: 'subdirectory', change: { 'deep/a/b/c/mod.ts': edited(4, 'deep', [2]) }, files: [file('deep/a/b/c/mod.ts', [2])] },
];

const branchShas = new Map<string, string>();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'qgate-git-diff-'));
  await mkdir(join(root, 'home'));
  env = isolatedGitEnv(root);
  repo = join(root, 'repo');
  await mkdir(repo);
  await git(repo, 'init', '-q', '-b', 'main');
  await git(repo, 'config', 'user.name', 'Dev');
  await git(repo, 'config', 'user.email', 'dev@example.com');
  await git(repo, 'config', 'core.autocrlf', 'false');
  await writeFiles(repo, baseFiles);
  main0 = await commit(repo, 'base');

  for (const scenario of scenarios) {
    await git(repo, 'switch', '-q', '-c', scenario.name, main0);
    await writeFiles(repo, scenario.change);
    branchShas.set(scenario.name, await commit(repo, scenario.name));
  }

  // The MR branch that merges main back in: only its own lines are new code.
  await git(repo, 'switch', '-q', '-c', 'merge-main-in', main0);
  await writeFiles(repo, { 'merge/shared.ts': edited(20, 'shared', [2]), 'merge/mine.ts': numbered(2, 'mine') });
  await commit(repo, 'mr change');
  // Meanwhile main moves on (every other branch still forks from main0).
  await git(repo, 'switch', '-q', 'main');
  await writeFiles(repo, { 'merge/shared.ts': edited(20, 'shared', [18]), 'main-only.ts': numbered(3, 'main') });
  mainTip = await commit(repo, 'main moves on');
  await git(repo, 'switch', '-q', 'merge-main-in');
  await git(repo, 'merge', '-q', '--no-edit', 'main');
  branchShas.set('merge-main-in', await git(repo, 'rev-parse', 'HEAD'));
  await git(repo, 'switch', '-q', 'main');
});

afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

describe('collectChangedLines: one branch per pitfall, base=main', () => {
  it.each(scenarios.map((scenario) => [scenario.name, scenario] as const))('%s', async (_name, scenario) => {
    const result = await collectChangedLines({ cwd: repo, base: 'main', head: scenario.name, env });
    expect(byPath(result.files)).toEqual(byPath(scenario.files));
    expect(result.deletedFiles).toBe(scenario.deletedFiles ?? 0);
    expect(result.baseSha).toBe(main0);
    expect(result.headSha).toBe(branchShas.get(scenario.name));
    expect(result.source).toBe('git');
    expect(result.warnings).toEqual([]);
  });

  it('counts only the MR\'s own lines after it merged main back in', async () => {
    const result = await collectChangedLines({ cwd: repo, base: 'main', head: 'merge-main-in', env });
    expect(byPath(result.files)).toEqual([file('merge/mine.ts', [1, 2], { status: 'added' }), file('merge/shared.ts', [2])]);
    expect(result.baseSha).toBe(mainTip);
  });

  it('gives the same answer whatever the repository\'s git config and GIT_DIFF_OPTS say, from a subfolder', async () => {
    const clean = new Map<string, GitDiffSummary>();
    for (const name of [...scenarios.map((scenario) => scenario.name), 'merge-main-in']) {
      clean.set(name, await collectChangedLines({ cwd: repo, base: 'main', head: name, env }));
    }
    const hostile: Array<[string, string]> = [
      ['diff.renames', 'false'],
      ['diff.noprefix', 'true'],
      ['diff.mnemonicPrefix', 'true'],
      ['color.ui', 'always'],
      ['color.diff', 'always'],
      ['core.quotePath', 'false'],
      ['diff.relative', 'true'],
      ['diff.submodule', 'log'],
      ['diff.external', 'false'],
      ['diff.context', '7'],
      ['diff.interHunkContext', '4'],
      ['diff.suppressBlankEmpty', 'true'],
      ['diff.algorithm', 'histogram'],
      ['core.pager', 'false'],
    ];
    for (const [key, value] of hostile) await git(repo, 'config', key, value);
    try {
      const hostileEnv = { ...env, GIT_DIFF_OPTS: '--unified=5', GIT_EXTERNAL_DIFF: 'false', GIT_PAGER: 'false' };
      for (const [name, expected] of clean) {
        const result = await collectChangedLines({ cwd: join(repo, 'deep'), base: 'main', head: name, env: hostileEnv });
        expect(result, name).toEqual(expected);
      }
    } finally {
      for (const [key] of hostile) await git(repo, 'config', '--unset', key);
    }
  });

  it('diffs unrelated histories directly and says so', async () => {
    await git(repo, 'switch', '-q', '--orphan', 'lonely');
    await writeFiles(repo, { 'alone.ts': numbered(2, 'alone') });
    await commit(repo, 'orphan');
    await git(repo, 'switch', '-q', '-f', 'main');
    const result = await collectChangedLines({ cwd: repo, base: 'main', head: 'lonely', env });
    expect(result.files).toEqual([file('alone.ts', [1, 2], { status: 'added' })]);
    expect(result.deletedFiles).toBe(Object.keys(baseFiles).length + 1);
    expect(result.baseSha).toBe(mainTip);
    expect(result.warnings).toEqual([expect.stringMatching(/share no history/)]);
  });

  it('warns when the head is already part of the base', async () => {
    const result = await collectChangedLines({ cwd: repo, base: 'main', head: 'main', env });
    expect(result.files).toEqual([]);
    expect(result.warnings).toEqual([expect.stringMatching(/no changes to measure/)]);
  });
});

describe('collectChangedLines: choosing the base from CI variables', () => {
  let work = '';
  beforeAll(async () => {
    await git(root, 'clone', '-q', '--bare', repo, 'origin.git');
    await git(root, 'clone', '-q', 'origin.git', 'work');
    work = join(root, 'work');
    await git(work, 'switch', '-q', 'rename-with-edits');
  });
  const renameEdit = [file('ren/target.ts', [5, 12], { status: 'renamed', oldPath: 'ren/source.ts' })];

  it('uses CI_MERGE_REQUEST_DIFF_BASE_SHA', async () => {
    const result = await collectChangedLines({ cwd: work, env: { ...env, CI_MERGE_REQUEST_DIFF_BASE_SHA: main0 } });
    expect(result.files).toEqual(renameEdit);
    expect(result.baseSha).toBe(main0);
    expect(result.headSha).toBe(branchShas.get('rename-with-edits'));
  });

  it('falls back to the merge base with origin/$CI_DEFAULT_BRANCH, then origin/HEAD', async () => {
    for (const ciEnv of [{ CI_DEFAULT_BRANCH: 'main' }, {}]) {
      const result = await collectChangedLines({ cwd: work, env: { ...env, ...ciEnv } });
      expect(result.files).toEqual(renameEdit);
      expect(result.baseSha).toBe(main0);
    }
  });

  it('prefers --base over the CI variables', async () => {
    const result = await collectChangedLines({
      cwd: work,
      base: 'origin/whitespace-only',
      env: { ...env, CI_MERGE_REQUEST_DIFF_BASE_SHA: mainTip, CI_DEFAULT_BRANCH: 'nope' },
    });
    expect(result.baseSha).toBe(main0);
    expect(result.files).toEqual(renameEdit);
  });

  it('in a merged-results pipeline compares with the target branch commit, not the MR diff base', async () => {
    const merged = join(root, 'merged');
    await git(root, 'clone', '-q', 'origin.git', 'merged');
    await git(merged, 'switch', '-q', '--detach', 'origin/main');
    await git(merged, 'merge', '-q', '--no-ff', '--no-edit', 'origin/rename-with-edits');
    const ci = { CI_MERGE_REQUEST_DIFF_BASE_SHA: main0, CI_MERGE_REQUEST_EVENT_TYPE: 'merged_result' };
    const result = await collectChangedLines({ cwd: merged, env: { ...env, ...ci, CI_MERGE_REQUEST_TARGET_BRANCH_SHA: mainTip } });
    expect(result.files).toEqual(renameEdit);
    expect(result.baseSha).toBe(mainTip);
    // Without the target SHA, what landed on main since the MR branched would count too.
    const naive = await collectChangedLines({ cwd: merged, env: { ...env, ...ci } });
    expect(naive.files.map((changed) => changed.path).sort()).toEqual(['main-only.ts', 'merge/shared.ts', 'ren/target.ts']);
  });

  it('GIT_NO_BASE when nothing names a base', async () => {
    const error = await failure(collectChangedLines({ cwd: repo, env: { ...env, CI_MERGE_REQUEST_DIFF_BASE_SHA: '' } }));
    expect(error.code).toBe('GIT_NO_BASE');
    expect(error.message).toMatch(/origin\/HEAD/);
    const named = await failure(collectChangedLines({ cwd: repo, env: { ...env, CI_DEFAULT_BRANCH: 'trunk' } }));
    expect(named.message).toMatch(/origin\/trunk/);
  });

  it('a base that is not here: a SHA is GIT_BASE_MISSING, a name is GIT_FAILED with a hint', async () => {
    const missing = await failure(collectChangedLines({ cwd: work, base: 'deadbeef'.repeat(5), env }));
    expect(missing.code).toBe('GIT_BASE_MISSING');
    expect(missing.message).toContain('deadbeef'.repeat(5));
    expect(missing.message).not.toMatch(/shallow/);
    const remoteOnly = await failure(collectChangedLines({ cwd: work, base: 'copy-with-edits', env }));
    expect(remoteOnly.code).toBe('GIT_FAILED');
    expect(remoteOnly.hint).toContain('--base origin/copy-with-edits');
    const unknown = await failure(collectChangedLines({ cwd: work, base: 'no-such-branch', env }));
    expect(unknown.hint).toContain('git fetch origin no-such-branch');
    const badHead = await failure(collectChangedLines({ cwd: work, base: 'main', head: 'no-such-head', env }));
    expect(badHead.message).toMatch(/head `no-such-head`/);
  });
});

describe('collectChangedLines: shallow clones and broken setups', () => {
  it('fetches the base commit a shallow clone lacks from origin', async () => {
    await git(root, 'clone', '-q', '--depth', '1', '--branch', 'rename-with-edits', `file://${repo}`, 'shallow-fetch');
    const shallow = join(root, 'shallow-fetch');
    const result = await collectChangedLines({ cwd: shallow, env: { ...env, CI_MERGE_REQUEST_DIFF_BASE_SHA: main0 } });
    expect(result.baseSha).toBe(main0);
    expect(result.baseFrom).toContain(`fetched the base commit ${main0.slice(0, 12)} from origin`);
  });

  it('GIT_BASE_MISSING in a shallow clone that lacks the base commit and cannot reach origin, naming it and the fix', async () => {
    await git(root, 'clone', '-q', '--depth', '1', '--branch', 'rename-with-edits', `file://${repo}`, 'shallow');
    const shallow = join(root, 'shallow');
    await git(shallow, 'remote', 'set-url', 'origin', join(root, 'no-such-remote'));
    for (const options of [{ base: main0 }, { env: { CI_MERGE_REQUEST_DIFF_BASE_SHA: main0 } }]) {
      const error = await failure(collectChangedLines({ cwd: shallow, ...options, env: { ...env, ...options.env } }));
      expect(error.code).toBe('GIT_BASE_MISSING');
      expect(error.message).toContain(main0);
      expect(error.message).toMatch(/shallow/);
      expect(error.hint).toMatch(/GIT_DEPTH/);
    }
  });

  it('GIT_BASE_MISSING when a shallow clone has the base but not the history that joins them', async () => {
    await git(root, 'clone', '-q', '--depth', '1', '--no-single-branch', '--branch', 'rename-with-edits', `file://${repo}`, 'shallow2');
    // Reachable, origin deepens the history until the two meet; unreachable, the base stays unknown.
    const deepened = await collectChangedLines({ cwd: join(root, 'shallow2'), env: { ...env, CI_DEFAULT_BRANCH: 'main' } });
    expect(deepened.baseFrom).toMatch(/deepened the shallow clone by \d+ commits/);
    await git(root, 'clone', '-q', '--depth', '1', '--no-single-branch', '--branch', 'rename-with-edits', `file://${repo}`, 'shallow3');
    await git(join(root, 'shallow3'), 'remote', 'set-url', 'origin', join(root, 'no-such-remote'));
    const error = await failure(collectChangedLines({ cwd: join(root, 'shallow3'), env: { ...env, CI_DEFAULT_BRANCH: 'main' } }));
    expect(error.code).toBe('GIT_BASE_MISSING');
    expect(error.message).toMatch(/origin\/main .*shallow/);
  });

  it('GIT_NOT_A_REPO outside a repository and for a missing folder', async () => {
    const plain = join(root, 'plain');
    await mkdir(plain, { recursive: true });
    expect((await failure(collectChangedLines({ cwd: plain, base: 'main', env }))).code).toBe('GIT_NOT_A_REPO');
    expect((await failure(collectChangedLines({ cwd: join(root, 'missing'), base: 'main', env }))).code).toBe('GIT_NOT_A_REPO');
  });

  it('GIT_FAILED for a repository without commits and when git is not installed', async () => {
    const empty = join(root, 'empty');
    await git(root, 'init', '-q', 'empty');
    expect((await failure(collectChangedLines({ cwd: empty, base: 'main', env }))).message).toMatch(/no commits/);
    const noGit = await failure(collectChangedLines({ cwd: repo, base: 'main', env: { ...env, PATH: join(root, 'nothing') } }));
    expect(noGit.code).toBe('GIT_FAILED');
    expect(noGit.message).toMatch(/not installed/);
  });

  it.runIf(process.getuid?.() === 0)('explains "dubious ownership" with the safe.directory command', async () => {
    await git(root, 'clone', '-q', repo, 'foreign');
    const foreign = join(root, 'foreign');
    const owned = async (path: string): Promise<void> => {
      await chown(path, 4242, 4242);
    };
    await owned(foreign);
    await owned(join(foreign, '.git'));
    const error = await failure(collectChangedLines({ cwd: foreign, base: 'main', env }));
    expect(error.code).toBe('GIT_FAILED');
    expect(error.hint).toContain(`safe.directory "${foreign}"`);
  });
});
