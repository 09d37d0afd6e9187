/**
 * Zero-config (issue 12): an untouched vitest project — the bundled sample, whose coverage/ holds
 * the lcov.info and cobertura-coverage.xml vitest 4 + coverage-v8 wrote side by side in one run —
 * gets the right new-code figure with no input at all, reads one of the two formats, says which
 * and why, and never reads a report older than the commit being checked.
 */
import { rmSync, utimesSync } from 'node:fs';
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

describe('qgate check with no report inputs', () => {
  it('finds coverage/lcov.info, skips the same run in Cobertura, and gets the exact new-code figure', () => {
    const { repo, baseSha } = sample();
    const run = runQgate(repo, ['check'], { CI_MERGE_REQUEST_DIFF_BASE_SHA: baseSha });
    expectNoStackTrace(run.stderr);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('qgate: read coverage/lcov.info: found at the default path of vitest, jest, c8, nyc (lcov reporter) (no --coverage given)');
    expect(run.stderr).toContain('qgate: skipped coverage/cobertura-coverage.xml: the same run as coverage/lcov.info in another format, not counted twice');
    const result = readResult(repo);
    expect(result.inputs).toHaveLength(1);
    expect(result.inputs[0]).toMatchObject({ kind: 'coverage', path: 'coverage/lcov.info', format: 'lcov', discovered: expect.stringContaining('lcov reporter') });
    expect(result.coverage?.newCode).toMatchObject({ covered: 5, total: 7, percent: 71.42 });
    expect(result.gates.find((gate) => gate.id === 'new_code_coverage')).toMatchObject({ status: 'fail', actual: 71.42 });
  });

  it('run from a subfolder, still finds the reports at the repository root and names them as seen from there', () => {
    const { repo, baseSha } = sample();
    const run = runQgate(join(repo, 'src'), ['check', '--out', '../qgate-report'], { CI_MERGE_REQUEST_DIFF_BASE_SHA: baseSha });
    expectNoStackTrace(run.stderr);
    expect(run.stderr).toContain('qgate: read ../coverage/lcov.info');
    expect(readResult(repo).coverage?.newCode).toMatchObject({ covered: 5, total: 7 });
  });

  it('never reads a report older than the commit being checked, and says which and why', () => {
    const { repo, baseSha } = sample();
    // The sample's commits are dated 2026-01-05: reports from 2025 were left by an earlier run.
    const old = new Date('2025-06-01T00:00:00Z');
    for (const name of ['lcov.info', 'cobertura-coverage.xml']) utimesSync(join(repo, 'coverage', name), old, old);
    const run = runQgate(repo, ['check'], { CI_MERGE_REQUEST_DIFF_BASE_SHA: baseSha });
    expectNoStackTrace(run.stderr);
    expect(run.stderr).toMatch(/qgate: warning: coverage\/lcov\.info was not read: it is older than the commit being checked/);
    expect(run.stderr).toMatch(/qgate: warning: coverage\/cobertura-coverage\.xml was not read: it is older than the commit being checked/);
    const result = readResult(repo);
    expect(result.inputs).toEqual([]);
    expect(result.coverage).toBeNull();
  });

  it('--no-discover reads nothing it was not given', () => {
    const { repo, baseSha } = sample();
    const run = runQgate(repo, ['check', '--no-discover'], { CI_MERGE_REQUEST_DIFF_BASE_SHA: baseSha });
    expectNoStackTrace(run.stderr);
    expect(run.stderr).not.toContain('qgate: read');
    expect(readResult(repo).inputs).toEqual([]);
  });

  it('expands --coverage globs itself (the component passes them unexpanded), and a glob matching nothing is an error naming it', () => {
    const { repo, baseSha } = sample();
    const run = runQgate(repo, ['check', '--coverage', 'coverage/*.info'], { CI_MERGE_REQUEST_DIFF_BASE_SHA: baseSha });
    expectNoStackTrace(run.stderr);
    expect(run.status).toBe(1);
    expect(readResult(repo).inputs.map((input) => input.path)).toEqual(['coverage/lcov.info']);
    expect(readResult(repo).coverage?.newCode).toMatchObject({ covered: 5, total: 7 });

    const none = runQgate(repo, ['check', '--coverage', 'packages/*/coverage/lcov.info'], { CI_MERGE_REQUEST_DIFF_BASE_SHA: baseSha });
    expectNoStackTrace(none.stderr);
    expect(none.status).toBe(3);
    expect(none.stderr).toContain('packages/*/coverage/lcov.info: matches no file (--coverage glob');
  });
});

