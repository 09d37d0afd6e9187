import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script shared with `npm run sample`
import { makeSampleRepo } from '../../scripts/make-sample-repo.mjs';
import { expectNoStackTrace, readResult, runQgate } from './helpers.js';

const created: string[] = [];
function sample(): { repo: string; baseSha: string } {
  const made = makeSampleRepo(tmpdir()) as { repo: string; baseSha: string };
  created.push(made.repo);
  return made;
}
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

describe('qgate check on the bundled sample (real vitest coverage, real git history)', () => {
  it('fails the new-code gate with the exact uncovered lines, from a merge request pipeline', () => {
    const { repo, baseSha } = sample();
    const run = runQgate(repo, ['check', '--coverage', 'coverage/cobertura-coverage.xml'], { CI_MERGE_REQUEST_DIFF_BASE_SHA: baseSha });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const result = readResult(repo);
    expect(result.schemaVersion).toBe(1);
    expect(result.verdict).toBe('fail');
    expect(result.diff).toMatchObject({ source: 'git', baseSha, changedFiles: 4 });
    const gate = result.gates.find((candidate) => candidate.id === 'new_code_coverage');
    expect(gate).toMatchObject({ status: 'fail', actual: 71.42, threshold: 80 });
    expect(result.coverage?.newCode).toMatchObject({ covered: 5, total: 7, percent: 71.42, unmeasuredFiles: ['src/report.js'] });
    const files = Object.fromEntries((result.coverage?.newCode.files ?? []).map((file) => [file.path, file]));
    expect(files['src/stock.js']).toMatchObject({
      status: 'measured',
      changedLines: [3, 4, 5, 14, 17, 18, 19, 20, 21],
      coveredLines: [3, 18, 19, 20, 21],
      uncoveredLines: [4, 14],
    });
    expect(files['src/report.js']?.status).toBe('unmeasured');
    expect(files['README.md']?.status).toBe('not-source');
    expect(files['test/stock.test.js']?.status).toBe('not-source');
    // The Cobertura source is another machine's /builds/demo/inventory: resolved by suffix, nothing left over.
    expect(result.coverage?.unresolvedPaths).toEqual([]);
    expect(result.coverage?.overall).toMatchObject({ covered: 10, total: 13, percent: 76.92 });
    expect(result.inputs).toEqual([
      expect.objectContaining({ kind: 'coverage', path: 'coverage/cobertura-coverage.xml', format: 'cobertura', entries: 1 }),
    ]);
    expect(run.stdout).toContain('FAIL  new_code_coverage');
    expect(run.stdout).toContain('src/stock.js: 4, 14');
    expect(run.stdout).toMatch(/^qgate coverage: 76\.92% overall, 71\.42% on new code$/m);
  });

  it('writes the MR comment and GitLab’s report artifacts next to result.json', () => {
    const { repo } = sample();
    const run = runQgate(repo, ['check', '--base', 'main', '--coverage', 'coverage/lcov.info'], {
      CI_PROJECT_URL: 'https://gitlab.example.com/acme/inventory',
      CI_COMMIT_SHA: 'c'.repeat(40),
      CI_JOB_URL: 'https://gitlab.example.com/acme/inventory/-/jobs/7',
    });
    expect(run.status).toBe(1);
    const out = join(repo, 'qgate-report');
    const comment = readFileSync(join(out, 'comment.md'), 'utf8');
    expect(comment.startsWith('<!-- qgate:sticky-note -->')).toBe(true);
    expect(comment).toContain('https://gitlab.example.com/acme/inventory/-/blob/' + 'c'.repeat(40) + '/src/stock.js#L4');
    expect(comment).toContain('https://gitlab.example.com/acme/inventory/-/jobs/7/artifacts/file/qgate-report/index.html');
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    // One test case per gate that ran: the sample has coverage only, so the E2E, performance
    // and mutation gates are absent rather than reported as skipped.
    expect([...junit.matchAll(/<testcase [^>]*name="([^"]+)"/g)].map((match) => match[1])).toEqual(['new_code_coverage', 'overall_coverage']);
    const quality = JSON.parse(readFileSync(join(out, 'codequality.json'), 'utf8')) as Array<{ location: { path: string; lines: { begin: number } } }>;
    expect(quality.map((issue) => [issue.location.path, issue.location.lines.begin])).toEqual([['src/stock.js', 4], ['src/stock.js', 14]]);
    const metrics = readFileSync(join(out, 'metrics.txt'), 'utf8');
    expect(metrics).toMatch(/^qgate_new_code_coverage_percent 71\.42$/m);
    // The counts GitLab's metrics widget shows are result.json's.
    const result = readResult(repo);
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1]);
    expect([value('qgate_new_code_lines_covered'), value('qgate_new_code_lines_total'), value('qgate_overall_lines_covered'), value('qgate_overall_lines_total')]).toEqual([
      result.coverage?.newCode.covered,
      result.coverage?.newCode.total,
      result.coverage?.overall.covered,
      result.coverage?.overall.total,
    ]);
    const cobertura = readFileSync(join(out, 'cobertura.xml'), 'utf8');
    expect(cobertura).toContain('filename="src/stock.js"');
    expect(cobertura).toContain(`<source>${realpathSync(repo)}</source>`);
  });

  it('gives the same answer from the lcov report of the same run, and from both merged', () => {
    const { repo } = sample();
    const lcov = runQgate(repo, ['check', '--base', 'main', '--coverage', 'coverage/lcov.info']);
    expect(lcov.status).toBe(1);
    const fromLcov = readResult(repo).coverage;
    const both = runQgate(repo, ['check', '--base', 'main', '--coverage', 'coverage/lcov.info', '--coverage', 'coverage/cobertura-coverage.xml']);
    expect(both.status).toBe(1);
    const fromBoth = readResult(repo).coverage;
    for (const coverage of [fromLcov, fromBoth]) {
      expect(coverage?.newCode).toMatchObject({ covered: 5, total: 7 });
      expect(coverage?.overall).toMatchObject({ covered: 10, total: 13 });
    }
  });

  it('gives the same figures in large-report mode (line data kept only for the changed files)', () => {
    const { repo } = sample();
    for (const report of ['coverage/lcov.info', 'coverage/cobertura-coverage.xml']) {
      runQgate(repo, ['check', '--base', 'main', '--coverage', report]);
      const normal = readResult(repo);
      const large = runQgate(repo, ['check', '--base', 'main', '--coverage', report], { QGATE_LARGE_REPORT_BYTES: '0' });
      expect(large.status).toBe(1);
      const result = readResult(repo);
      expect(result.coverage?.newCode).toEqual(normal.coverage?.newCode);
      expect(result.coverage?.overall).toEqual(normal.coverage?.overall);
    }
    // A later commit that does not touch src/stock.js: its record keeps only totals, overall is the same.
    writeFileSync(join(repo, 'README.md'), '# inventory\n\nMore words.\n');
    expect(runGit(repo, ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qam', 'docs'])).toBe(0);
    runQgate(repo, ['check', '--base', 'HEAD~1', '--coverage', 'coverage/lcov.info']);
    const normal = readResult(repo);
    runQgate(repo, ['check', '--base', 'HEAD~1', '--coverage', 'coverage/lcov.info'], { QGATE_LARGE_REPORT_BYTES: '0' });
    const large = readResult(repo);
    expect(large.coverage?.overall).toEqual(normal.coverage?.overall);
    expect(large.inputs[0]?.warnings).toContain('large report: 1 file the merge request did not change kept as line totals only (they count for overall coverage; their lines are not in cobertura.xml).');
  });

  it('finds the base from origin/$CI_DEFAULT_BRANCH when no base is given', () => {
    const { repo, baseSha } = sample();
    const remote = runGit(repo, ['update-ref', 'refs/remotes/origin/main', baseSha]);
    expect(remote).toBe(0);
    const run = runQgate(repo, ['check', '--coverage', 'coverage/lcov.info'], { CI_DEFAULT_BRANCH: 'main' });
    expect(run.status).toBe(1);
    expect(readResult(repo).diff.baseSha).toBe(baseSha);
  });

  it('passes when the minimum is met, and exits 0', () => {
    const { repo } = sample();
    writeFileSync(join(repo, '.qgate.yml'), 'gates:\n  new_code_coverage:\n    min: 70\n    unmeasuredFiles: ignore\n');
    const run = runQgate(repo, ['check', '--base', 'main', '--coverage', 'coverage/lcov.info']);
    expect(run.status).toBe(0);
    expect(readResult(repo)).toMatchObject({ verdict: 'pass' });
    expect(readResult(repo).configFiles.at(-1)).toMatch(/\.qgate\.yml$/);
  });

  it('fails the headline gate when no coverage report is given (no data is no pass)', () => {
    const { repo } = sample();
    const run = runQgate(repo, ['check', '--base', 'main', '--no-discover']);
    expect(run.status).toBe(1);
    const gate = readResult(repo).gates.find((candidate) => candidate.id === 'new_code_coverage');
    expect(gate).toMatchObject({ status: 'fail', actual: null });
    expect(gate?.reason).toContain('no coverage report');
  });

  it('does not call a header unmeasured when its change is only #define lines and comments', () => {
    const { repo } = sample();
    mkdirSync(join(repo, 'include'));
    writeFileSync(join(repo, 'include', 'limits.h'), '#ifndef LIMITS_H\n#define LIMITS_H\n/* Shelf sizes. */\n#define MAX_ITEMS 100\n#define CLAMP(x) \\\n  ((x) > MAX_ITEMS ? MAX_ITEMS : (x))\n#endif\n');
    writeFileSync(join(repo, 'include', 'twice.h'), '#pragma once\nstatic inline int twice(int x) { return 2 * x; }\n');
    expect(runGit(repo, ['add', 'include'])).toBe(0);
    expect(runGit(repo, ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'headers'])).toBe(0);
    const run = runQgate(repo, ['check', '--base', 'main', '--coverage', 'coverage/lcov.info']);
    expect(run.status).toBe(1);
    const newCode = readResult(repo).coverage?.newCode;
    expect(newCode?.files.find((file) => file.path === 'include/limits.h')).toMatchObject({ status: 'no-new-lines', nonExecutableOnly: true });
    // A header with code in its change still is unmeasured: no report mentions it.
    expect(newCode?.unmeasuredFiles).toEqual(['include/twice.h', 'src/report.js']);
    expect(run.stdout).not.toContain('include/limits.h');
    const report = readFileSync(join(repo, 'qgate-report', 'index.html'), 'utf8');
    expect(report).toContain('only comments, blank lines or preprocessor directives changed');
  });

  it('lists the coverage exclusions and test skips the MR adds, and gates them with maxNewExclusions', () => {
    const { repo } = sample();
    const report = join(repo, 'src', 'report.js');
    writeFileSync(report, `${readFileSync(report, 'utf8')}/* c8 ignore next */\nexport const debug = () => console.log('x');\n`);
    const tests = join(repo, 'test', 'stock.test.js');
    writeFileSync(tests, `${readFileSync(tests, 'utf8')}test.skip('restock later', () => {});\n`);
    expect(runGit(repo, ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qam', 'waivers'])).toBe(0);
    const run = runQgate(repo, ['check', '--base', 'main', '--coverage', 'coverage/lcov.info'], { CI_PROJECT_URL: 'https://gitlab.example.com/acme/inventory', CI_COMMIT_SHA: 'c'.repeat(40) });
    expect(run.status).toBe(1);
    const waivers = readResult(repo).diff.waivers;
    expect(waivers).toEqual({
      coverageExclusions: 1,
      skippedTests: 1,
      listed: [
        { path: 'src/report.js', line: 7, kind: 'coverage-exclusion', marker: 'c8 ignore next' },
        { path: 'test/stock.test.js', line: 6, kind: 'skipped-test', marker: 'test.skip(' },
      ],
    });
    const comment = readFileSync(join(repo, 'qgate-report', 'comment.md'), 'utf8');
    expect(comment).toContain('1 new coverage exclusion, 1 new test skip');
    expect(comment).toContain('[`src/report.js:7`](https://gitlab.example.com/acme/inventory/-/blob/' + 'c'.repeat(40) + '/src/report.js#L7) — coverage exclusion: `c8 ignore next`');
    expect(run.stdout).toContain('src/report.js:7: c8 ignore next');
    expect(readFileSync(join(repo, 'qgate-report', 'index.html'), 'utf8')).toContain('id="waivers"');

    writeFileSync(join(repo, '.qgate.yml'), 'gates:\n  new_code_coverage:\n    min: 0\n    unmeasuredFiles: ignore\n    maxNewExclusions: 0\n');
    const gated = runQgate(repo, ['check', '--base', 'main', '--coverage', 'coverage/lcov.info']);
    expect(gated.status).toBe(1);
    expect(readResult(repo).gates.find((gate) => gate.id === 'new_code_coverage')?.reason).toContain('1 new coverage exclusion, at most 0 allowed (maxNewExclusions)');
  });

  it('gates only the lines the MR adds outright with lines: added, and shows the modified ones apart', () => {
    const { repo } = sample();
    const changed = runQgate(repo, ['check', '--base', 'main', '--coverage', 'coverage/lcov.info']);
    expect(changed.status).toBe(1);
    const split = readResult(repo).coverage?.newCode.split;
    expect(split).toMatchObject({ scope: 'changed' });
    expect((split?.added.total ?? 0) + (split?.modified.total ?? 0)).toBe(readResult(repo).coverage?.newCode.total);
    expect(split?.modified.total).toBeGreaterThan(0);
    writeFileSync(join(repo, '.qgate.yml'), 'gates:\n  new_code_coverage:\n    lines: added\n');
    runQgate(repo, ['check', '--base', 'main', '--coverage', 'coverage/lcov.info']);
    const newCode = readResult(repo).coverage?.newCode;
    expect(newCode?.split?.scope).toBe('added');
    expect([newCode?.covered, newCode?.total]).toEqual([split?.added.covered, split?.added.total]);
    expect(readResult(repo).gates.find((gate) => gate.id === 'new_code_coverage')?.reason).toContain('are not gated (lines: added)');
  });

  it('reads the changed lines from a diff file', () => {
    const { repo } = sample();
    const diff = gitOutput(repo, ['diff', 'main', 'HEAD']);
    writeFileSync(join(repo, 'mr.diff'), diff);
    const run = runQgate(repo, ['check', '--diff-file', 'mr.diff', '--coverage', 'coverage/lcov.info']);
    expect(run.status).toBe(1);
    const result = readResult(repo);
    expect(result.diff.source).toBe('diff-file');
    expect(result.coverage?.newCode).toMatchObject({ covered: 5, total: 7 });
  });
});

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');

describe('qgate check with every kind of evidence', () => {
  it('gates coverage, Cucumber, k6 and mutation evidence in one verdict', () => {
    const { repo } = sample();
    const run = runQgate(repo, [
      'check', '--base', 'main',
      '--coverage', 'coverage/lcov.info',
      // The real cucumber-js 12 run: 7 scenarios (1 failed, 1 ambiguous, 1 undefined, 4 passed), one flaky.
      '--cucumber', join(FIXTURES, 'e2e', 'generated', 'cucumber-js12__retry-ambiguous-undefined.ndjson'),
      // k6's own verdict: "p(95)<50": true — true means FAILED in --summary-export.
      '--k6', join(FIXTURES, 'perf', 'k6-summary-export', 'k6__Sweet-Poision_rate-limiter__k6-summary.json'),
      '--k6-baseline', join(FIXTURES, 'perf', 'k6-summary-export', 'k6__Sweet-Poision_rate-limiter__low-summary.json'),
      // Stryker's report of this very sample app: 20 killed, 5 survived, 5 no coverage.
      '--mutation', join(FIXTURES, 'mutation', 'stryker', 'stryker-js9__mutation.json'),
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const result = readResult(repo);
    const byId = Object.fromEntries(result.gates.map((gate) => [gate.id, gate]));
    expect(byId.e2e).toMatchObject({ status: 'fail', actual: 3, threshold: 0, unit: 'count' });
    expect(result.e2e?.scenarios).toMatchObject({ total: 7, passed: 4, failed: 1, ambiguous: 1, undefined: 1, flaky: 1 });
    expect(byId.performance?.status).toBe('fail');
    expect(result.performance?.thresholds).toMatchObject({ total: 1, failed: 1 });
    expect(result.performance?.comparison.baselineAvailable).toBe(true);
    expect(byId.mutation).toMatchObject({ status: 'fail', actual: 55.55, threshold: 60 });
    expect(result.mutation).toMatchObject({ score: 66.66, detected: 20, valid: 30 });
    expect(result.mutation?.newCode).toMatchObject({ detected: 10, valid: 18 });
    expect(result.inputs.map((input) => input.kind)).toEqual(['coverage', 'e2e', 'performance', 'performance-baseline', 'mutation']);
    expect(run.stdout).toContain('FAIL  e2e');
    expect(run.stdout).toMatch(/FAIL {2}e2e +3 of \d+ scenarios failed.* — allows 0/);
  });

  it('exits 2 for an invalid tag expression or k6 threshold in the config, before reading inputs', () => {
    const { repo } = sample();
    writeFileSync(join(repo, '.qgate.yml'), 'gates:\n  e2e:\n    tags: "not and @wip"\n  performance:\n    extraThresholds:\n      http_req_duration: ["p(95)<<500"]\n');
    const run = runQgate(repo, ['check', '--base', 'main', '--coverage', 'coverage/lcov.info']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('gates.e2e.tags');
    expect(run.stderr).toContain('p(95)<<500');
    expectNoStackTrace(run.stderr);
  });

  it.each([
    ['--cucumber', join('e2e', 'bad', 'broken-line-20.cucumber-messages.ndjson')],
    ['--cucumber', join('e2e', 'bad', 'entity-bomb.junit.xml')],
    ['--mutation', join('mutation', 'bad', 'cucumber-json-array.mutation.json')],
    ['--k6', join('perf', 'bad', 'truncated.k6-summary-export.json')],
  ])('exits 3 for bad %s input %s, naming it', (flag, file) => {
    const { repo } = sample();
    const run = runQgate(repo, ['check', '--base', 'main', '--coverage', 'coverage/lcov.info', flag, join(FIXTURES, file)]);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain(file.split('/').at(-1));
    expectNoStackTrace(run.stderr);
    // No verdict: the error report says the run could not check the MR, and why.
    expect(readResult(repo)).toMatchObject({ verdict: 'fail', gates: [], error: { exitCode: 3 } });
    expect(readdirSync(join(repo, 'qgate-report')).sort()).toEqual(['comment.md', 'result.json']);
  });
});

describe('qgate check on bad input', () => {
  it('exits 3 naming a missing report, and writes no verdict: its error report replaces the earlier run\'s files', () => {
    const { repo } = sample();
    expect(runQgate(repo, ['check', '--base', 'main', '--coverage', 'coverage/lcov.info']).status).toBe(1);
    expect(existsSync(join(repo, 'qgate-report', 'result.json'))).toBe(true);
    const run = runQgate(repo, ['check', '--base', 'main', '--coverage', 'coverage/nope.info']);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('coverage/nope.info');
    expect(run.stderr).toContain('INPUT_NOT_FOUND');
    expectNoStackTrace(run.stderr);
    expect(readdirSync(join(repo, 'qgate-report')).sort()).toEqual(['comment.md', 'result.json']);
    expect(readResult(repo).error).toEqual({
      code: 'INPUT_NOT_FOUND',
      exitCode: 3,
      message: 'does not exist.',
      file: 'coverage/nope.info',
      position: null,
      hint: 'Check the path, and that the job that writes it ran and passed it on as an artifact.',
    });
  });

  it('exits 3 on a truncated report with its position', () => {
    const { repo } = sample();
    writeFileSync(join(repo, 'coverage', 'cut.xml'), '<?xml version="1.0"?>\n<coverage>\n<packages><package name="x"><classes><class filename="a.js"><lines><line number="1" hits="1"/>\n');
    const run = runQgate(repo, ['check', '--base', 'main', '--coverage', 'coverage/cut.xml']);
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/coverage\/cut\.xml(:\d+)?/);
    expect(run.stderr).toContain('INPUT_MALFORMED');
    expectNoStackTrace(run.stderr);
  });

  it('exits 3 for a directory and for binary garbage', () => {
    const { repo } = sample();
    writeFileSync(join(repo, 'coverage', 'garbage.bin'), Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0xff, 0x00]));
    for (const path of ['coverage', 'coverage/garbage.bin']) {
      const run = runQgate(repo, ['check', '--base', 'main', '--coverage', path]);
      expect(run.status).toBe(3);
      expect(run.stderr).toContain(path);
      expectNoStackTrace(run.stderr);
    }
  });

  it('exits 2 for a config typo, naming the key, the line and the closest key', () => {
    const { repo } = sample();
    writeFileSync(join(repo, '.qgate.yml'), 'gates:\n  new_code_coverage:\n    mni: 70\n');
    const run = runQgate(repo, ['check', '--base', 'main', '--coverage', 'coverage/lcov.info']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('.qgate.yml:3');
    expect(run.stderr).toContain('mni');
    expect(run.stderr).toContain('min');
    expectNoStackTrace(run.stderr);
  });

  it('exits 2 for an unknown option', () => {
    const { repo } = sample();
    const run = runQgate(repo, ['check', '--coverag', 'x']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('qgate: error USAGE: unknown option --coverag; did you mean --coverage?');
    // Node's advice about '--' and positional arguments does not apply to qgate.
    expect(run.stderr).not.toContain('positional');
    expectNoStackTrace(run.stderr);
    const command = runQgate(repo, ['chek']);
    expect(command.status).toBe(2);
    expect(command.stderr).toContain('unknown command "chek"; did you mean `qgate check`?');
  });

  it('refuses a .qgate.yml that points coverage at a file outside the checkout', () => {
    const { repo } = sample();
    const outside = join(tmpdir(), `qgate-secret-${process.pid}.info`);
    writeFileSync(outside, 'TN:\nSF:secret\nDA:1,1\nend_of_record\n');
    created.push(outside);
    symlinkSync(outside, join(repo, 'coverage', 'linked.info'));
    writeFileSync(join(repo, '.qgate.yml'), `coverage:\n  reports:\n    - path: coverage/linked.info\n`);
    const run = runQgate(repo, ['check', '--base', 'main']);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('outside the repository');
  });

  it('refuses an output path whose parent folder is a symlink, and never deletes through it', () => {
    const { repo } = sample();
    const elsewhere = join(tmpdir(), `qgate-parent-${process.pid}`);
    mkdirSync(join(elsewhere, 'qgate'), { recursive: true });
    writeFileSync(join(elsewhere, 'qgate', 'result.json'), '{"keep":true}');
    created.push(elsewhere);
    symlinkSync(elsewhere, join(repo, 'reports'));
    const run = runQgate(repo, ['check', '--base', 'main', '--coverage', 'coverage/lcov.info', '--out', 'reports/qgate']);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('symbolic link');
    // A failing run removes its own stale result, but never through the symlink.
    expect(runQgate(repo, ['check', '--base', 'main', '--coverage', 'nope.info', '--out', 'reports/qgate']).status).toBe(3);
    expect(existsSync(join(elsewhere, 'qgate', 'result.json'))).toBe(true);
  });

  it('reads the repository’s .qgate.yml when run from a subfolder', () => {
    const { repo } = sample();
    writeFileSync(join(repo, '.qgate.yml'), 'gates:\n  new_code_coverage:\n    min: 50\n');
    const run = runQgate(join(repo, 'src'), ['check', '--base', 'main', '--coverage', '../coverage/lcov.info']);
    expect(run.status).toBe(0);
    const result = readResult(join(repo, 'src'));
    expect(result.gates.find((gate) => gate.id === 'new_code_coverage')).toMatchObject({ threshold: 50 });
  });

  it('outside a repository, names a missing input before complaining about git', () => {
    const dir = join(tmpdir(), `qgate-norepo-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    created.push(dir);
    const run = runQgate(dir, ['check', '--coverage', 'missing.info']);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('INPUT_NOT_FOUND');
    const noInputs = runQgate(dir, ['check']);
    expect(noInputs.status).toBe(3);
    expect(noInputs.stderr).toContain('GIT_NOT_A_REPO');
    expect(noInputs.stderr).toContain('--diff-file');
  });

  it('refuses to write reports through a symlinked output folder', () => {
    const { repo } = sample();
    const elsewhere = join(tmpdir(), `qgate-elsewhere-${process.pid}`);
    mkdirSync(elsewhere, { recursive: true });
    created.push(elsewhere);
    symlinkSync(elsewhere, join(repo, 'qgate-report'));
    const run = runQgate(repo, ['check', '--base', 'main', '--coverage', 'coverage/lcov.info']);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('symbolic link');
    expect(existsSync(join(elsewhere, 'result.json'))).toBe(false);
  });
});

function runGit(cwd: string, args: string[]): number | null {
  return spawnSync('git', args, { cwd }).status;
}
function gitOutput(cwd: string, args: string[]): string {
  return spawnSync('git', args, { cwd, encoding: 'utf8' }).stdout;
}
