/**
 * 13 item 9, regression from a real report: labrea (8451/labrea, coverage.py 7.8.0, see
 * fixtures/coverage/cobertura/PROVENANCE.md) builds with hatch-vcs, which writes
 * `labrea/_version.py` at install time and gitignores it; coverage.py measures it anyway. Such an
 * entry is "generated / not tracked", not "matches no repository file", and gets no path-root
 * hint; an entry that names no file at all keeps the old wording and the hint.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/run.js';

const exec = promisify(execFile);
const REPORT = join(process.cwd(), 'fixtures/coverage/cobertura/coverage.py__8451_labrea__coverage.xml');
const GIT_ENV: Record<string, string> = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: tmpdir(),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  LC_ALL: 'C',
  GIT_AUTHOR_NAME: 'qgate',
  GIT_AUTHOR_EMAIL: 'qgate@example.com',
  GIT_COMMITTER_NAME: 'qgate',
  GIT_COMMITTER_EMAIL: 'qgate@example.com',
};

let dir = '';
let base = '';

async function git(...args: string[]): Promise<string> {
  return (await exec('git', args, { cwd: dir, env: GIT_ENV })).stdout.trim();
}

beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'qgate-untracked-')));
  const xml = await readFile(REPORT, 'utf8');
  const names = [...xml.matchAll(/filename="([^"]+)"/g)].map((match) => match[1] as string);
  await git('init', '-q', '-b', 'main');
  // Every measured module is tracked except the generated _version.py (gitignored, present) and
  // _missing.py (absent from the checkout: a real path problem).
  for (const name of names) {
    if (name === '_missing.py') continue;
    await mkdir(join(dir, 'labrea', name, '..'), { recursive: true });
    await writeFile(join(dir, 'labrea', name), `# ${name}\n`);
  }
  await writeFile(join(dir, '.gitignore'), 'labrea/_version.py\ncoverage.xml\nqgate-report/\n');
  await git('add', '.');
  await git('commit', '-q', '-m', 'base');
  base = await git('rev-parse', 'HEAD');
  await writeFile(join(dir, 'labrea', 'application.py'), '# application.py\nx = 1\n');
  await git('commit', '-q', '-am', 'change');
  await copyFile(REPORT, join(dir, 'coverage.xml'));
  expect(await git('ls-files', 'labrea/_version.py')).toBe('');
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a coverage entry for a generated, untracked file (hatch-vcs _version.py)', () => {
  it('is "generated / not tracked", with no path-root hint; a truly missing file keeps the hint', async () => {
    let stdout = '';
    const { result } = await runCheck(
      { out: 'qgate-report', coverage: ['coverage.xml'], cucumber: [], comment: false },
      {
        cwd: dir,
        env: { ...GIT_ENV, CI_MERGE_REQUEST_DIFF_BASE_SHA: base },
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: () => true },
        now: () => new Date('2026-12-07T00:00:00Z'),
      },
    );
    const unresolved = result.coverage?.unresolvedPaths ?? [];
    expect(unresolved.map(({ path, reason, candidates }) => ({ path, reason, candidates }))).toEqual([
      { path: '_missing.py', reason: 'not-found', candidates: [] },
      { path: '_version.py', reason: 'untracked', candidates: ['labrea/_version.py'] },
    ]);
    const comment = await readFile(join(dir, 'qgate-report', 'comment.md'), 'utf8');
    expect(comment).toMatch(/_version\.py[^\n]*generated \/ not tracked/);
    expect(comment).not.toMatch(/_version\.py[^\n]*matches no repository file/);
    expect(comment).toMatch(/_missing\.py[^\n]*matches no repository file/);
    // The root hint is offered for the one real path problem only.
    expect(stdout).toMatch(/match no repository file \(1; set coverage\.reports\[\]\.root/);
    expect(stdout).toMatch(/generated \/ not tracked files \(1;/);
  });
});
