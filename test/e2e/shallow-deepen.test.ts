/**
 * Base, always right or explicitly unknown (issue 18 item 5): a `git clone --depth 1` of the MR
 * branch — what a runner with GIT_DEPTH: 1 has — gets the same changed lines as a full clone,
 * by fetching the base commit and deepening the history from origin (here a file:// remote,
 * which speaks the same protocol v2 as GitLab), and says so in result.json and the comment.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResult, runQgate } from './helpers.js';

let root: string;
let remote: string;
let forkPoint: string;
let mainTip: string;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'protocol.file.allow=always', ...args], { cwd, encoding: 'utf8' }).trim();
}

function commit(file: string, text: string, message: string): void {
  writeFileSync(join(remote, file), text);
  git(remote, 'add', file);
  git(remote, 'commit', '-qm', message);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'qgate-deepen-'));
  remote = join(root, 'remote');
  git(root, 'init', '-q', '-b', 'main', remote);
  mkdirSync(join(remote, 'src'));
  let text = '';
  for (let i = 1; i <= 80; i += 1) {
    text += `export const v${i} = ${i};\n`;
    commit('src/values.js', text, `main ${i}`);
  }
  forkPoint = git(remote, 'rev-parse', 'HEAD');
  git(remote, 'switch', '-qc', 'feature');
  let feature = '';
  for (let i = 1; i <= 60; i += 1) {
    feature += `export const f${i} = ${i};\n`;
    commit('src/feature.js', feature, `feature ${i}`);
  }
  git(remote, 'switch', '-q', 'main');
  commit('src/later.js', 'export const later = 1;\n', 'main moves on');
  mainTip = git(remote, 'rev-parse', 'HEAD');
}, 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

function clone(name: string, depth: number | null): string {
  const dir = join(root, name);
  git(root, 'clone', '-q', ...(depth === null ? [] : ['--depth', String(depth)]), '--branch', 'feature', `file://${remote}`, dir);
  return dir;
}

function diffOf(repo: string, args: string[], env: Record<string, string> = {}) {
  const run = runQgate(repo, ['check', '--no-discover', '--no-comment', ...args], { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'protocol.file.allow', GIT_CONFIG_VALUE_0: 'always', ...env });
  return { run, diff: readResult(repo).diff };
}

describe('a depth-1 clone', () => {
  it('fetches the merge request base commit it lacks and measures what a full clone measures', () => {
    const full = diffOf(clone('full-1', null), [], { CI_MERGE_REQUEST_DIFF_BASE_SHA: forkPoint });
    const shallow = diffOf(clone('shallow-1', 1), [], { CI_MERGE_REQUEST_DIFF_BASE_SHA: forkPoint });
    expect(shallow.run.stderr).not.toContain('GIT_BASE_MISSING');
    expect([shallow.diff.baseSha, shallow.diff.changedFiles, shallow.diff.addedLines]).toEqual([forkPoint, 1, 60]);
    expect([shallow.diff.baseSha, shallow.diff.changedFiles, shallow.diff.addedLines]).toEqual([full.diff.baseSha, full.diff.changedFiles, full.diff.addedLines]);
    expect(shallow.diff.baseFrom).toContain('the merge request base (CI_MERGE_REQUEST_DIFF_BASE_SHA)');
    expect(shallow.diff.baseFrom).toContain(`fetched the base commit ${forkPoint.slice(0, 12)} from origin`);
    expect(full.diff.baseFrom).not.toContain('fetched');
  });

  it('deepens its history until the target branch and the MR branch meet', () => {
    const repo = clone('shallow-2', 1);
    const { run, diff } = diffOf(repo, ['--base', mainTip]);
    expect(run.stderr).not.toContain('GIT_BASE_MISSING');
    // The merge base is the fork point 60 commits back, not the target's tip: main's later commit is not the MR's.
    expect([diff.baseSha, diff.changedFiles, diff.addedLines]).toEqual([forkPoint, 1, 60]);
    expect(diff.baseFrom).toMatch(/deepened the shallow clone by \d+ commits \(git fetch --deepen\)/);
  });

  it('without a reachable origin, stops with the base named as unknown, never a pass', () => {
    const repo = clone('shallow-3', 1);
    git(repo, 'remote', 'set-url', 'origin', join(root, 'nowhere'));
    const run = runQgate(repo, ['check', '--no-discover', '--no-comment', '--base', mainTip]);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('GIT_BASE_MISSING');
    expect(run.stderr).toContain('is not in this clone');
  });

  it('with onNoBase: fail, writes every report with the new-code gate failed as inconclusive (exit 1)', () => {
    const repo = clone('shallow-4', 1);
    git(repo, 'remote', 'set-url', 'origin', join(root, 'nowhere'));
    writeFileSync(join(repo, '.qgate.yml'), 'gates:\n  new_code_coverage:\n    onNoBase: fail\n');
    writeFileSync(join(repo, 'lcov.info'), 'SF:src/feature.js\nDA:1,1\nend_of_record\n');
    const run = runQgate(repo, ['check', '--no-discover', '--no-comment', '--base', mainTip, '--coverage', 'lcov.info']);
    expect(run.status).toBe(1);
    const result = readResult(repo);
    expect(result.diff.baseUnknown).toContain('is not in this clone');
    expect(result.gates.find((gate) => gate.id === 'new_code_coverage')).toMatchObject({ status: 'fail' });
    expect(result.gates.find((gate) => gate.id === 'new_code_coverage')?.reason).toMatch(/^inconclusive: no base commit could be established/);
    expect(result.verdict).toBe('fail');
    expect(run.stdout).toContain('inconclusive: no base commit could be established');
  });
});
