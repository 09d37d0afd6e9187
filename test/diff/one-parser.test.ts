/**
 * One change, three sources of changed lines, one parser: a real `git diff` in a temporary
 * repository, `--diff-file` holding the same text, and the GitLab merge request diffs API (the
 * JSON GitLab returns for /projects/:id/merge_requests/:iid/diffs, served by the loopback
 * GitLab and read through the real client). The API entries are cut from git's own output the
 * way GitLab cuts them: one entry per file, paths, flags and modes as fields, `diff` from the
 * first `@@` on (GitLab keeps 3 lines of context where qgate asks git for none).
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChangedLinesFromDiffFile } from '../../src/diff/diff-file.js';
import { collectChangedLines, type GitDiffSummary } from '../../src/diff/git-diff.js';
import { changedLinesFromMergeRequestDiffs } from '../../src/diff/gitlab-mr-diffs.js';
import { createGitLabClient } from '../../src/gitlab/gitbeaker-adapter.js';
import { DEFAULT_POLICY } from '../../src/gitlab/transport.js';
import { startFakeGitLab, type FakeGitLab } from '../support/fake-gitlab.js';
import { isolatedGitEnv, runGit } from '../support/isolated-git.js';

const TOKEN = 'glpat-one-parser-000000';
let root: string;
let repo: string;
let env: Record<string, string>;
let base: string;
let head: string;
let gitlab: FakeGitLab;

const git = (...args: string[]): Promise<string> => runGit(env, repo, ...args);
const lines = (count: number, label: string, eol = '\n'): string => Array.from({ length: count }, (_, i) => `${label} ${i + 1}${eol}`).join('');

async function write(files: Record<string, string | Buffer | null>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const target = join(repo, path);
    await rm(target, { force: true });
    if (content === null) continue;
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

async function commit(message: string): Promise<string> {
  await git('add', '-A');
  await git('commit', '-q', '-m', message);
  return git('rev-parse', 'HEAD');
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'qgate-one-parser-'));
  repo = join(root, 'repo');
  env = isolatedGitEnv(root);
  await mkdir(join(root, 'home'), { recursive: true });
  await mkdir(repo);
  await git('init', '-q', '-b', 'main');
  await write({
    'eof-added.txt': 'one\ntwo\nthree', // no newline at the end; the MR appends a line
    'eof-removed.txt': 'alpha\nbeta\n', // the MR drops the final newline only
    'eof-edited.txt': 'keep\nold last', // the last line, without newline, is edited
    'src/old-name.js': lines(20, 'renamed'),
    'src/original.js': lines(30, 'original'),
    'run.sh': 'echo hi\n',
    'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2, 3]),
    'crlf.txt': lines(6, 'crlf', '\r\n'),
    'docs/read me.md': lines(4, 'doc'),
    'gone.js': lines(3, 'gone'),
  });
  base = await commit('base');
  await write({
    'eof-added.txt': 'one\ntwo\nthree\nfour\n',
    'eof-removed.txt': 'alpha\nbeta',
    'eof-edited.txt': 'keep\nnew last',
    'src/old-name.js': null,
    'src/new-name.js': lines(20, 'renamed').replace('renamed 7\n', 'renamed 7 (edited)\n'),
    'src/original.js': lines(30, 'original').replace('original 1\n', 'original 1 (edited)\n'),
    'src/copy.js': `${lines(30, 'original')}copied and extended\n`,
    'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 9, 9, 9]),
    'crlf.txt': lines(6, 'crlf', '\r\n').replace('crlf 3\r\n', 'crlf 3 (edited)\r\nand a new line\r\n'),
    'docs/read me.md': `${lines(4, 'doc')}more doc\n`,
    'gone.js': null,
    'added.ts': lines(3, 'added'),
  });
  await chmod(join(repo, 'run.sh'), 0o755);
  head = await commit('the merge request');
  gitlab = await startFakeGitLab({ users: [{ token: TOKEN, id: 7, username: 'qgate-bot' }] });
  gitlab.addProject({ id: 42, pathWithNamespace: 'acme/app' });
});

afterAll(async () => {
  await gitlab?.close();
  await rm(root, { recursive: true, force: true });
});

/** What each file contributes, in a form that compares across sources. */
function byPath(summary: GitDiffSummary): Record<string, { status: string; oldPath: string | null; addedLines: number[]; binary: boolean }> {
  return Object.fromEntries(summary.files.map((file) => [file.path, { status: file.status, oldPath: file.oldPath, addedLines: file.addedLines, binary: file.binary }]));
}

/** The MR diffs API entries GitLab would build from this change (renames detected, copies not). */
async function gitlabEntries(): Promise<Array<Record<string, unknown>>> {
  const raw = (await git('diff', '--raw', '-z', '-M', '--no-abbrev', base, head)).split('\0').filter((part) => part !== '');
  const entries: Array<Record<string, unknown>> = [];
  for (let i = 0; i < raw.length; ) {
    const [aMode, bMode, , , status] = (raw[i] as string).slice(1).split(' ') as [string, string, string, string, string];
    const renamed = status.startsWith('R');
    const oldPath = raw[i + 1] as string;
    const newPath = renamed ? (raw[i + 2] as string) : oldPath;
    i += renamed ? 3 : 2;
    const text = await git('-c', 'core.quotePath=true', 'diff', '-M', base, head, '--', ...new Set([oldPath, newPath]));
    const start = text.search(/^(@@|Binary files )/m);
    entries.push({
      old_path: oldPath,
      new_path: newPath,
      a_mode: status === 'A' ? '0' : aMode,
      b_mode: status === 'D' ? '0' : bMode,
      new_file: status === 'A',
      renamed_file: renamed,
      deleted_file: status === 'D',
      generated_file: false,
      too_large: false,
      collapsed: false,
      diff: start === -1 ? '' : `${text.slice(start)}\n`,
    });
  }
  return entries;
}

describe('one unified-diff parser for git, --diff-file and the GitLab MR diffs API', () => {
  it('gives identical changed lines from every source, for every pitfall', async () => {
    const fromGit = await collectChangedLines({ cwd: repo, base, head, env });
    // --diff-file: the text a user saves with plain `git diff` (default context, CRLF kept).
    const diffFile = join(root, 'mr.diff');
    await writeFile(diffFile, await runGit(env, repo, 'diff', '-M', '--find-copies', base, head).then((text) => `${text}\n`));
    const fromFile = await readChangedLinesFromDiffFile('mr.diff', diffFile);

    const mr = gitlab.addMergeRequest(42, { iid: 9 });
    mr.diffs = await gitlabEntries();
    const client = createGitLabClient({ apiUrl: gitlab.apiUrl, token: TOKEN, policy: DEFAULT_POLICY, clock: { now: () => Date.now(), sleep: (ms) => new Promise((done) => setTimeout(done, ms)), deadline: Date.now() + 30_000 } });
    const fromApi = (await changedLinesFromMergeRequestDiffs(await client.listMergeRequestDiffs(42, 9), { baseSha: base, headSha: head })).summary;

    const expected = {
      // `\ No newline at end of file` on the old side: `three` gained a newline, only `four` is new.
      'eof-added.txt': { status: 'modified', oldPath: null, addedLines: [4], binary: false },
      'eof-edited.txt': { status: 'modified', oldPath: null, addedLines: [2], binary: false },
      'src/new-name.js': { status: 'renamed', oldPath: 'src/old-name.js', addedLines: [7], binary: false },
      'src/original.js': { status: 'modified', oldPath: null, addedLines: [1], binary: false },
      'src/copy.js': { status: 'copied', oldPath: 'src/original.js', addedLines: [31], binary: false },
      'logo.png': { status: 'modified', oldPath: null, addedLines: [], binary: true },
      'crlf.txt': { status: 'modified', oldPath: null, addedLines: [3, 4], binary: false },
      'docs/read me.md': { status: 'modified', oldPath: null, addedLines: [5], binary: false },
      'added.ts': { status: 'added', oldPath: null, addedLines: [1, 2, 3], binary: false },
      // Only the final newline went: changed, but no line is new.
      'eof-removed.txt': { status: 'modified', oldPath: null, addedLines: [], binary: false },
      // run.sh (a mode change only) has no hunk: not listed.
    };
    expect(byPath(fromGit)).toEqual(expected);
    expect(byPath(fromFile)).toEqual(expected);
    // GitLab detects renames but not copies: the copy is a new file there, every line new.
    expect(byPath(fromApi)).toEqual({ ...expected, 'src/copy.js': { status: 'added', oldPath: null, addedLines: Array.from({ length: 31 }, (_, i) => i + 1), binary: false } });
    expect([fromGit.deletedFiles, fromFile.deletedFiles, fromApi.deletedFiles]).toEqual([1, 1, 1]);
  });

  it('names the API entry and its own line when GitLab sends a hunk that does not add up', async () => {
    const entry = { oldPath: 'x.js', newPath: 'x.js', diff: '@@ -1,2 +1,2 @@\n-a\n+b\n', newFile: false, renamedFile: false, deletedFile: false, tooLarge: false, collapsed: false, aMode: '100644', bMode: '100644' };
    await expect(changedLinesFromMergeRequestDiffs([entry], { baseSha: null, headSha: null })).rejects.toMatchObject({
      code: 'DIFF_MALFORMED',
      file: 'the GitLab merge request diff of x.js',
      message: expect.stringContaining('The diff ends inside the hunk at line 1'),
    });
  });
});
