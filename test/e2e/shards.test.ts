/**
 * Parallel shards, complete or clearly not (issue 18 item 1), on real reports: vitest --shard
 * 1/2 and 2/2 of fixtures/shards/project (see its PROVENANCE.md). Merged, the shards give the
 * unsharded run's figures in both formats; with `coverage.expect`, a shard that did not arrive
 * is "incomplete evidence" with the shard named, never a pass.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResult, runQgate } from './helpers.js';

const PROJECT = join(process.cwd(), 'fixtures', 'shards', 'project');
let repo: string;

function git(...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, stdio: 'ignore' });
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'qgate-shards-'));
  git('init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'README.md'), '# shop\n');
  git('add', '-A');
  git('commit', '-qm', 'base');
  git('switch', '-qc', 'feature');
  // The MR adds the whole project; its reports are artifacts, not tracked files.
  for (const folder of ['src', 'test']) cpSync(join(PROJECT, folder), join(repo, folder), { recursive: true });
  git('add', '-A');
  git('commit', '-qm', 'shop');
  cpSync(join(PROJECT, 'coverage'), join(repo, 'coverage'), { recursive: true });
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

function check(reports: string[], config?: string): ReturnType<typeof readResult> & { status: number | null; stdout: string } {
  if (config === undefined) rmSync(join(repo, '.qgate.yml'), { force: true });
  else writeFileSync(join(repo, '.qgate.yml'), config);
  const run = runQgate(repo, ['check', '--base', 'main', ...reports.flatMap((report) => ['--coverage', report])]);
  return { ...readResult(repo), status: run.status, stdout: run.stdout };
}

const figures = (result: ReturnType<typeof readResult>) => ({
  newCode: [result.coverage?.newCode.covered, result.coverage?.newCode.total],
  overall: [result.coverage?.overall.covered, result.coverage?.overall.total],
  files: result.coverage?.newCode.files.map((file) => [file.path, file.coveredLines, file.uncoveredLines]),
});

describe('vitest --shard reports merged', () => {
  for (const [format, name] of [['lcov', 'lcov.info'], ['Cobertura', 'cobertura-coverage.xml']] as const) {
    it(`give the unsharded run's figures (${format}), each line covered when either shard covered it`, () => {
      const whole = check([`coverage/whole/${name}`]);
      const merged = check([`coverage/shard-1/${name}`, `coverage/shard-2/${name}`]);
      expect(figures(merged)).toEqual(figures(whole));
      // Neither shard alone covers what the two do together.
      const one = check([`coverage/shard-1/${name}`]);
      expect(one.coverage?.newCode.covered).toBeLessThan(merged.coverage?.newCode.covered ?? 0);
    });
  }

  it('expand a glob over the shards, and name the merged reports in the comment', () => {
    const merged = check(['coverage/shard-*/lcov.info']);
    expect(merged.inputs.map((input) => input.path)).toEqual(['coverage/shard-1/lcov.info', 'coverage/shard-2/lcov.info']);
    const comment = readFileSync(join(repo, 'qgate-report', 'comment.md'), 'utf8');
    expect(comment).toContain('Coverage merged from 2 reports: coverage/shard-1/lcov.info, coverage/shard-2/lcov.info.');
    expect(figures(merged)).toEqual(figures(check(['coverage/whole/lcov.info'])));
  });
});

/** Another real project's shards (fixtures/shards/<name>, PROVENANCE.md): its own repository, the same check. */
function otherProject(name: string, folders: string[]): { run: (reports: string[]) => ReturnType<typeof readResult> } {
  const dir = mkdtempSync(join(tmpdir(), `qgate-shards-${name}-`));
  const git2 = (...args: string[]): void => {
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, stdio: 'ignore' });
  };
  git2('init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'README.md'), '# shop\n');
  git2('add', '-A');
  git2('commit', '-qm', 'base');
  git2('switch', '-qc', 'feature');
  for (const folder of folders) cpSync(join(process.cwd(), 'fixtures', 'shards', name, folder), join(dir, folder), { recursive: true });
  git2('add', '-A');
  git2('commit', '-qm', 'shop');
  cpSync(join(process.cwd(), 'fixtures', 'shards', name, 'coverage'), join(dir, 'coverage'), { recursive: true });
  others.push(dir);
  return {
    run: (reports) => {
      runQgate(dir, ['check', '--base', 'main', '--no-discover', ...reports.flatMap((report) => ['--coverage', report])]);
      return readResult(dir);
    },
  };
}
const others: string[] = [];
afterAll(() => {
  for (const dir of others) rmSync(dir, { recursive: true, force: true });
});

describe('jest --shard reports merged', () => {
  it('give the unsharded run\'s figures in lcov and Cobertura', () => {
    const project = otherProject('jest', ['src', 'test']);
    for (const name of ['lcov.info', 'cobertura-coverage.xml']) {
      const whole = project.run([`coverage/whole/${name}`]);
      expect(whole.coverage?.newCode.total).toBeGreaterThan(0);
      expect(figures(project.run([`coverage/shard-1/${name}`, `coverage/shard-2/${name}`]))).toEqual(figures(whole));
    }
  });
});

describe('pytest split over two jobs (coverage.py XML per job)', () => {
  it('gives the unsharded run\'s figures, and so does pytest-xdist\'s combined report', () => {
    const project = otherProject('pytest', ['shop', 'tests']);
    const whole = project.run(['coverage/whole/coverage.xml']);
    expect(whole.coverage?.newCode.total).toBeGreaterThan(0);
    expect(figures(project.run(['coverage/shard-1/coverage.xml', 'coverage/shard-2/coverage.xml']))).toEqual(figures(whole));
    expect(figures(project.run(['coverage/xdist/coverage.xml']))).toEqual(figures(whole));
  });
});

describe('coverage.expect', () => {
  it('passes the count when every shard arrived', () => {
    const result = check(['coverage/shard-*/lcov.info'], 'coverage:\n  expect: 2\ngates:\n  new_code_coverage:\n    min: 0\n');
    expect(result.coverage?.evidence).toEqual({ expected: 2, read: ['coverage/shard-1/lcov.info', 'coverage/shard-2/lcov.info'], missing: [], source: 'count' });
    expect(result.status).toBe(0);
  });

  it('makes a missing shard incomplete evidence, never a pass, even at min 0', () => {
    const result = check(['coverage/shard-1/lcov.info'], 'coverage:\n  expect: 2\ngates:\n  new_code_coverage:\n    min: 0\n');
    expect(result.status).toBe(1);
    const gate = result.gates.find((candidate) => candidate.id === 'new_code_coverage');
    expect(gate?.status).toBe('fail');
    expect(gate?.reason).toMatch(/^incomplete evidence: 1 coverage report read, 2 expected/);
    expect(result.stdout).toContain('incomplete evidence');
  });

  it('names the shard that did not arrive when the shards are named', () => {
    const result = check(['coverage/shard-2/lcov.info'], "coverage:\n  expect: ['coverage/shard-1/*', 'coverage/shard-2/*']\n");
    expect(result.coverage?.evidence?.missing).toEqual(['coverage/shard-1/*']);
    expect(result.gates.find((candidate) => candidate.id === 'new_code_coverage')?.reason).toContain('no report matches coverage/shard-1/*');
  });

  it('takes the count of a parallel: N job from CI_NODE_TOTAL', () => {
    writeFileSync(join(repo, '.qgate.yml'), 'coverage:\n  expect: parallel\n');
    runQgate(repo, ['check', '--base', 'main', '--coverage', 'coverage/shard-*/lcov.info'], { CI_NODE_INDEX: '1', CI_NODE_TOTAL: '3' });
    expect(readResult(repo).coverage?.evidence).toMatchObject({ expected: 3, source: 'parallel', missing: ['1 of 3 reports'] });
  });

  it('still refuses a glob that matches nothing, naming it', () => {
    writeFileSync(join(repo, '.qgate.yml'), 'coverage:\n  expect: 2\n');
    const run = runQgate(repo, ['check', '--base', 'main', '--coverage', 'coverage/shard-9*/lcov.info']);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('coverage/shard-9*/lcov.info');
    expect(run.stderr).toContain('matches no file');
  });
});
