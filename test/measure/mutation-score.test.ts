import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readMutationReport } from '../../src/inputs/mutation/registry.js';
import { countMutants, lastLineOf, measureMutation, mutationScoreOf, touchesLines } from '../../src/measure/mutation-score.js';
import type { ChangedFile, DiffSummary } from '../../src/model/diff.js';
import type { Mutant, MutantStatus, MutationReport } from '../../src/model/mutation.js';

const STRYKER = fileURLToPath(new URL('../../fixtures/mutation/stryker/', import.meta.url));

function diffOf(files: Array<Partial<ChangedFile> & { path: string }>): DiffSummary {
  return {
    source: 'git',
    baseSha: 'a'.repeat(40),
    headSha: 'b'.repeat(40),
    deletedFiles: 0,
    files: files.map((file) => ({ oldPath: null, status: 'modified', addedLines: [], binary: false, ...file })),
  };
}

const NO_DIFF = diffOf([]);

function mutant(status: MutantStatus, start: [number, number], end: [number, number], extra: Partial<Mutant> = {}): Mutant {
  return {
    id: String(extra.id ?? `${start[0]}-${start[1]}-${status}`),
    file: 'src/a.js',
    mutatorName: 'EqualityOperator',
    replacement: 'a < b',
    description: null,
    status,
    location: { start: { line: start[0], column: start[1] }, end: { line: end[0], column: end[1] } },
    ...extra,
  };
}

function reportOf(files: Record<string, Mutant[]>, projectRoot: string | null = null): MutationReport {
  return {
    schemaVersion: '1.0',
    files: Object.entries(files).map(([path, mutants]) => ({ path, mutants: mutants.map((entry) => ({ ...entry, file: path })) })),
    projectRoot,
    warnings: [],
  };
}

describe('countMutants (mutation-testing-metrics’ definitions)', () => {
  it('counts detected = killed + timeout, valid = detected + survived + no coverage, and excludes the rest', () => {
    const statuses: MutantStatus[] = ['Killed', 'Killed', 'Timeout', 'Survived', 'NoCoverage', 'CompileError', 'RuntimeError', 'Ignored', 'Pending'];
    const counts = countMutants(statuses.map((status, index) => mutant(status, [index + 1, 1], [index + 1, 2])));
    expect(counts).toEqual({
      total: 9,
      killed: 2,
      timeout: 1,
      survived: 1,
      noCoverage: 1,
      errors: 2,
      ignored: 1,
      pending: 1,
      detected: 3,
      undetected: 2,
      valid: 5,
      score: 60,
    });
  });

  it('says null (never NaN, 0 or 100) when no mutant is valid', () => {
    expect(countMutants([]).score).toBeNull();
    expect(countMutants([mutant('Ignored', [1, 1], [1, 2]), mutant('CompileError', [2, 1], [2, 2]), mutant('Pending', [3, 1], [3, 2])]).score).toBeNull();
  });

  it('floors the score to 2 decimals', () => {
    expect(mutationScoreOf(2, 3)).toBe(66.66);
    expect(mutationScoreOf(1, 3)).toBe(33.33);
    expect(mutationScoreOf(0, 5)).toBe(0);
    expect(mutationScoreOf(5, 5)).toBe(100);
    expect(mutationScoreOf(0, 0)).toBeNull();
  });
});

describe('which lines a mutant touches', () => {
  it('runs from the start line to the end line', () => {
    expect(lastLineOf({ start: { line: 1, column: 42 }, end: { line: 11, column: 2 } })).toBe(11);
    expect(lastLineOf({ start: { line: 4, column: 3 }, end: { line: 4, column: 9 } })).toBe(4);
  });

  it('treats an end at column 1 as exclusive (the schema’s end is exclusive)', () => {
    expect(lastLineOf({ start: { line: 3, column: 5 }, end: { line: 5, column: 1 } })).toBe(4);
    expect(lastLineOf({ start: { line: 4, column: 1 }, end: { line: 4, column: 1 } })).toBe(4);
  });

  it('never ends before it starts', () => {
    expect(lastLineOf({ start: { line: 9, column: 5 }, end: { line: 2, column: 1 } })).toBe(9);
  });

  it('finds a changed line inside a range by binary search', () => {
    expect(touchesLines([3, 4, 5, 14, 17], 6, 13)).toBe(false);
    expect(touchesLines([3, 4, 5, 14, 17], 6, 14)).toBe(true);
    expect(touchesLines([3, 4, 5, 14, 17], 1, 3)).toBe(true);
    expect(touchesLines([3, 4, 5, 14, 17], 18, 40)).toBe(false);
    expect(touchesLines([], 1, 100)).toBe(false);
  });
});

describe('measureMutation: new code', () => {
  const repo = { root: '/builds/demo/inventory', files: new Set(['src/a.js', 'src/b.js', 'README.md']) };

  it('counts the mutants whose location touches a changed line, and lists the undetected ones in order', () => {
    const report = reportOf({
      'src/a.js': [
        mutant('Killed', [1, 1], [10, 2], { id: 'block' }), // spans the change at line 5
        mutant('Survived', [5, 10], [5, 20], { id: 's5' }),
        mutant('NoCoverage', [5, 3], [5, 8], { id: 'n5' }),
        mutant('Survived', [6, 1], [6, 9], { id: 's6-untouched' }),
        mutant('Survived', [3, 1], [5, 1], { id: 'ends-before-5' }), // end exclusive: lines 3-4 only
        mutant('Ignored', [5, 1], [5, 2], { id: 'ignored' }),
        mutant('Timeout', [12, 1], [12, 4], { id: 't12' }),
      ],
      'src/b.js': [mutant('Survived', [5, 1], [5, 9], { id: 'other-file' })],
    });
    const result = measureMutation(report, diffOf([{ path: 'src/a.js', addedLines: [5, 12] }]), { repo, reportDir: 'reports/mutation' });
    expect(result.newCode).toMatchObject({ total: 5, killed: 1, timeout: 1, survived: 1, noCoverage: 1, ignored: 1, detected: 2, valid: 4, score: 50 });
    expect(result.newCode.surviving.map((entry) => entry.id)).toEqual(['n5', 's5']);
    expect(result.newCode.surviving[0]).toMatchObject({ file: 'src/a.js', mutatorName: 'EqualityOperator', replacement: 'a < b', location: { start: { line: 5, column: 3 } } });
    expect(result.newCode.survivingTotal).toBe(2);
    expect(result).toMatchObject({ total: 8, valid: 7, detected: 2, undetected: 5 });
  });

  it('says null, not 100, when no mutant touches a changed line', () => {
    const report = reportOf({ 'src/a.js': [mutant('Killed', [1, 1], [1, 5])] });
    const result = measureMutation(report, diffOf([{ path: 'src/a.js', addedLines: [7] }, { path: 'README.md', addedLines: [1] }]), { repo, reportDir: '' });
    expect(result.newCode).toMatchObject({ total: 0, valid: 0, score: null, surviving: [], survivingTotal: 0 });
    expect(result.score).toBe(100);
  });

  it('bounds the surviving list and counts the rest', () => {
    const mutants = Array.from({ length: 30 }, (_, index) => mutant('Survived', [index + 1, 1], [index + 1, 4], { id: String(index) }));
    const report = reportOf({ 'src/a.js': mutants });
    const lines = Array.from({ length: 30 }, (_, index) => index + 1);
    const result = measureMutation(report, diffOf([{ path: 'src/a.js', addedLines: lines }]), { repo, reportDir: '', maxSurviving: 5 });
    expect(result.newCode.surviving.map((entry) => entry.id)).toEqual(['0', '1', '2', '3', '4']);
    expect(result.newCode.survivingTotal).toBe(30);
    expect(result.newCode.undetected).toBe(30);
  });

  it('skips binary changed files and changed files without mutants', () => {
    const report = reportOf({ 'src/a.js': [mutant('Survived', [1, 1], [1, 5])] });
    const result = measureMutation(report, diffOf([{ path: 'src/a.js', addedLines: [1], binary: true }, { path: 'src/b.js', addedLines: [1] }]), { repo, reportDir: '' });
    expect(result.newCode.total).toBe(0);
  });

  it('matches the quick-start sample’s merge request like the independent script (mutation-testing-metrics on the same lines)', async () => {
    const expected = JSON.parse(readFileSync(join(STRYKER, 'stryker-js9__mutation.expected.json'), 'utf8')) as {
      newCode: { changedLines: Record<string, number[]>; metrics: Record<string, number>; undetectedIds: string[] };
    };
    const report = await readMutationReport(join(STRYKER, 'stryker-js9__mutation.json'));
    const sampleRepo = { root: '/builds/demo/inventory', files: new Set(['src/stock.js', 'src/report.js', 'test/stock.test.js', 'README.md', 'package.json']) };
    const diff = diffOf(Object.entries(expected.newCode.changedLines).map(([path, addedLines]) => ({ path, addedLines })));
    const result = measureMutation(report, diff, { repo: sampleRepo, reportDir: 'reports/mutation' });
    const { metrics } = expected.newCode;
    expect(result.newCode).toMatchObject({
      killed: metrics.killed,
      timeout: metrics.timeout,
      survived: metrics.survived,
      noCoverage: metrics.noCoverage,
      detected: metrics.totalDetected,
      valid: metrics.totalValid,
      total: metrics.totalMutants,
      score: 55.55,
    });
    expect(result.newCode.surviving.map((entry) => entry.id).sort((a, b) => Number(a) - Number(b))).toEqual(expected.newCode.undetectedIds);
    // Ordered by line, then column: `if (qty <= 0)` → `if (false)` at 3:7 before the block at 3:17.
    expect(result.newCode.surviving[0]).toEqual({
      id: '3',
      file: 'src/stock.js',
      mutatorName: 'ConditionalExpression',
      replacement: 'false',
      description: null,
      status: 'Survived',
      location: { start: { line: 3, column: 7 }, end: { line: 3, column: 15 } },
    });
    expect(result.newCode.surviving.map((entry) => `${entry.location.start.line}:${entry.location.start.column} ${entry.id}`)).toEqual([
      '3:7 3',
      '3:7 4',
      '3:17 6',
      '4:26 7',
      '13:42 19',
      '14:16 20',
      '14:17 21',
      '20:24 27',
    ]);
  });
});

describe('measureMutation: report paths → repository paths (createPathResolver)', () => {
  it('resolves keys relative to an absolute projectRoot on the same runner path', async () => {
    const report = await readMutationReport(join(STRYKER, 'stryker-js9__mutation.json'));
    const result = measureMutation(report, NO_DIFF, { repo: { root: '/builds/demo/inventory', files: new Set(['src/stock.js']) }, reportDir: 'reports/mutation' });
    expect(result.files.map((file) => file.path)).toEqual(['src/stock.js']);
    expect(result.unresolvedFiles).toEqual([]);
  });

  it('resolves Stryker.NET’s backslash keys and absolute Windows keys, under a Windows projectRoot', async () => {
    const report = await readMutationReport(join(STRYKER, 'stryker-net__stryker-mutator_mutation-testing-elements__csharp-example-mutation-report.json'));
    const files = ['DummyCalc.cs', 'DummyMath.cs', 'Endlessloop.cs', 'NewCsharpFeatures.cs', 'StringMagic.cs', 'UnsafeCode.cs'].map((name) => `ExampleProject/${name}`);
    const result = measureMutation(report, NO_DIFF, { repo: { root: '/builds/dotnet/app', files: new Set([...files, 'ExampleProject.Tests/DummyCalcTests.cs']) }, reportDir: '' });
    expect(result.unresolvedFiles).toEqual([]);
    expect(result.files.map((file) => file.path)).toEqual(files);
    expect(result.files[0]).toMatchObject({ path: 'ExampleProject/DummyCalc.cs', survived: 6, pending: 1 });
  });

  it('resolves the PIT plugin’s package paths (org/pitest/...) by suffix under src/main/java', async () => {
    const report = await readMutationReport(join(STRYKER, 'pitest-elements-plugin__stryker-mutator_mutation-testing-elements__pitest-example-report.json'));
    const files = report.files.map((file) => `src/main/java/${file.path}`);
    const result = measureMutation(report, NO_DIFF, { repo: { root: '/r', files: new Set(files) }, reportDir: 'target/pit-reports' });
    expect(result.unresolvedFiles).toEqual([]);
    expect(result.files.map((file) => file.path).sort()).toEqual(files.sort());
  });

  it('resolves stryker4s keys that repeat a relative projectRoot', async () => {
    const report = await readMutationReport(join(STRYKER, 'stryker4s__stryker-mutator_mutation-testing-elements__scala-example-mutation-report.json'));
    expect(report.projectRoot).toBe('src/main/scala/stryker4s');
    const files = report.files.map((file) => file.path);
    const result = measureMutation(report, NO_DIFF, { repo: { root: '/r', files: new Set(files) }, reportDir: 'target/stryker4s-report' });
    expect(result.unresolvedFiles).toEqual([]);
  });

  it('resolves relative keys of a report written inside a sub-package (monorepo)', () => {
    const report = reportOf({ 'src/errors.ts': [mutant('Killed', [1, 1], [1, 4])] }, null);
    const repo = { root: '/r', files: new Set(['packages/util/src/errors.ts', 'packages/core/src/errors.ts']) };
    const result = measureMutation(report, NO_DIFF, { repo, reportDir: 'packages/util/reports/mutation' });
    expect(result.files.map((file) => file.path)).toEqual(['packages/util/src/errors.ts']);
  });

  it('resolves absolute keys of another machine (StrykerJS 5 /home/...) by suffix and matches them to changed lines', async () => {
    const report = await readMutationReport(join(STRYKER, 'stryker-js__stryker-mutator_mutation-testing-elements__test-files-example-mutation-report.json'));
    const files = report.files.map((file) => file.path.replace('/home/nicojs/github/stryker/', ''));
    const result = measureMutation(report, diffOf([{ path: 'packages/util/src/errors.ts', addedLines: Array.from({ length: 200 }, (_, index) => index + 1) }]), {
      repo: { root: '/builds/stryker', files: new Set(files) },
      reportDir: '',
    });
    expect(result.unresolvedFiles).toEqual([]);
    const errors = result.files.find((file) => file.path === 'packages/util/src/errors.ts');
    expect(errors?.total).toBeGreaterThan(0);
    expect(result.newCode.total).toBe(errors?.total);
  });

  it('honours a configured root over everything else', () => {
    const report = reportOf({ 'src/a.js': [mutant('Killed', [1, 1], [1, 4])] });
    const repo = { root: '/r', files: new Set(['src/a.js', 'web/src/a.js']) };
    expect(measureMutation(report, NO_DIFF, { repo, reportDir: '', root: 'web' }).files[0]?.path).toBe('web/src/a.js');
  });

  it('keeps an unresolvable key as reported: counted overall, listed, never new code', () => {
    const report = reportOf({ 'lib/gone.js': [mutant('Survived', [1, 1], [1, 4])], 'src/a.js': [mutant('Killed', [1, 1], [1, 4])] });
    const result = measureMutation(report, diffOf([{ path: 'lib/gone.js', addedLines: [1] }]), { repo: { root: '/r', files: new Set(['src/a.js']) }, reportDir: '' });
    expect(result.unresolvedFiles).toEqual(['lib/gone.js']);
    expect(result).toMatchObject({ total: 2, valid: 2, score: 50 });
    expect(result.files.map((file) => file.path)).toEqual(['lib/gone.js', 'src/a.js']);
    expect(result.newCode.total).toBe(0);
  });

  it('counts two keys that resolve to one repository file together', () => {
    const report = reportOf({ 'src\\a.js': [mutant('Killed', [1, 1], [1, 4])], '/ci/work/src/a.js': [mutant('Survived', [2, 1], [2, 4])] });
    const result = measureMutation(report, diffOf([{ path: 'src/a.js', addedLines: [2] }]), { repo: { root: '/r', files: new Set(['src/a.js']) }, reportDir: '' });
    expect(result.files).toHaveLength(1);
    expect(result.files[0]).toMatchObject({ path: 'src/a.js', total: 2, killed: 1, survived: 1, score: 50 });
    expect(result.newCode.surviving.map((entry) => entry.file)).toEqual(['src/a.js']);
  });
});
