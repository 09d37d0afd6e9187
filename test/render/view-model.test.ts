import { describe, expect, it } from 'vitest';
import type { GateResult, NewCodeFile, QgateResult } from '../../src/model/result.js';
import { buildViewModel, shorten, type ViewContext } from '../../src/render/view-model.js';
import { emptyResult } from './result-fixtures.js';

const HEAD = 'b'.repeat(40);
const CI: ViewContext = { projectUrl: 'https://gitlab.example.com/g/p/', commitSha: HEAD, reportUrl: 'https://gitlab.example.com/g/p/-/jobs/1/artifacts/file/qgate-report/index.html' };
const LOCAL: ViewContext = { projectUrl: null, commitSha: null, reportUrl: null };

const gate = (id: string, unit: GateResult['unit'], actual: number | null, threshold: number | null, status: GateResult['status'] = 'pass'): GateResult => ({
  id, unit, actual, threshold, status, blocking: true, reason: 'why', formula: 'f',
});

function file(path: string, covered: number[], uncovered: number[]): NewCodeFile {
  return { path, oldPath: null, change: 'modified', status: 'measured', changedLines: [...covered, ...uncovered], coveredLines: covered, uncoveredLines: uncovered };
}

function result(overrides: Partial<QgateResult> = {}): QgateResult {
  return emptyResult({
    tool: { name: 'qgate', version: '9.9.9' },
    verdictReason: 'ok',
    diff: { source: 'git', baseSha: 'a'.repeat(40), headSha: HEAD, changedFiles: 1, addedLines: 19, deletedFiles: 0, warnings: [] },
    ...overrides,
  });
}

function coverage(files: NewCodeFile[], unmeasuredFiles: string[] = []): QgateResult['coverage'] {
  const covered = files.reduce((n, f) => n + f.coveredLines.length, 0);
  const total = files.reduce((n, f) => n + f.coveredLines.length + f.uncoveredLines.length, 0);
  return { newCode: { covered, total, percent: total ? (covered / total) * 100 : null, files, unmeasuredFiles }, overall: { covered: 80, total: 100, percent: 80, files: 3 }, unresolvedPaths: [] };
}

describe('buildViewModel', () => {
  it('shows line counts, not only percentages, and short SHAs', () => {
    const view = buildViewModel(result({ verdict: 'fail', gates: [gate('new_code_coverage', '%', 63.16, 80, 'fail')], coverage: coverage([file('a.ts', Array.from({ length: 12 }, (_, i) => i + 1), [20, 21, 22, 23, 24, 25, 30])]) }), CI);
    expect(view.gates[0]).toMatchObject({ icon: '❌', status: 'failed', title: 'New-code coverage', result: '63.2 % (12 of 19 new lines) — needs 80 %', change: '—' });
    expect(view.verdict.headline).toBe('63.2 % of new lines covered (12 of 19) — needs 80 %; 7 lines to cover in a.ts');
    expect(view.comparison).toEqual({ base: 'aaaaaaaaaaaa', head: 'bbbbbbbbbbbb', source: 'git', changes: '19 changed lines in 1 file', baseFrom: null, baseline: null, reports: null });
  });

  it('says where the baseline came from, or why there is none', () => {
    const info = { ref: 'main', job: 'qgate', pipelineId: null, jobId: null, commitSha: 'c'.repeat(40), generatedAt: '2026-11-20T10:00:00.000Z', overallCoveragePercent: 80, hasPerformance: false };
    expect(buildViewModel(result({ baseline: { ...info, status: 'found', reason: null } }), CI).comparison.baseline).toBe('Baseline: main at cccccccccccc, measured 2026-11-20.');
    expect(buildViewModel(result({ baseline: { ...info, status: 'not-found', reason: 'no finished pipeline on main kept it' } }), CI).comparison.baseline).toBe(
      'No baseline from main: no finished pipeline on main kept it.',
    );
    expect(buildViewModel(result({ baseline: { ...info, status: 'not-requested', reason: 'not running in GitLab CI' } }), CI).comparison.baseline).toBeNull();
  });

  it('says "not applicable" where nothing was measured', () => {
    const view = buildViewModel(result({ gates: [gate('new_code_coverage', '%', null, 80, 'skip'), gate('e2e', 'count', null, 0, 'fail')], coverage: coverage([]) }), LOCAL);
    expect(view.gates.map((g) => g.status)).toEqual(['skipped', 'failed']);
  });

  it('shows the change of overall coverage versus the baseline when one is given', () => {
    const r = result({ gates: [gate('overall_coverage', '%', 80, 75)], coverage: coverage([]) });
    const found = (overallCoveragePercent: number): QgateResult => ({
      ...r,
      baseline: { status: 'found', ref: 'main', job: 'qgate', pipelineId: null, jobId: null, commitSha: null, generatedAt: null, overallCoveragePercent, hasPerformance: false, reason: null },
    });
    expect(buildViewModel(found(81.5), LOCAL).gates[0]!.change).toBe('−1.5 pts');
    expect(buildViewModel(found(79.95), LOCAL).gates[0]!.change).toBe('+0.1 pts');
    expect(buildViewModel(found(80), LOCAL).gates[0]!.change).toBe('±0 pts');
    expect(buildViewModel(r, LOCAL).gates[0]!.change).toBe('no baseline');
  });

  it('links each range to the file at the commit, encoding path segments but not slashes', () => {
    const view = buildViewModel(result({ coverage: coverage([file('src/a b/ü(1)#.ts', [1], [10, 11, 12, 15])]) }), CI);
    const row = view.uncovered!.files[0]!;
    const blob = `https://gitlab.example.com/g/p/-/blob/${HEAD}/src/a%20b/%C3%BC%281%29%23.ts`;
    expect(row.file).toEqual({ text: 'src/a b/ü(1)#.ts', url: blob });
    expect(row.ranges).toEqual([{ text: '10-12', url: `${blob}#L10-12` }, { text: '15', url: `${blob}#L15` }]);
    expect(row.detail).toBe('4 of 5 new lines uncovered');
  });

  it('falls back to the diff head SHA, and links nothing without a project URL', () => {
    expect(buildViewModel(result({ coverage: coverage([file('a.ts', [], [1])]) }), { ...CI, commitSha: null }).uncovered!.files[0]!.file.url).toContain(`/-/blob/${HEAD}/a.ts`);
    const local = buildViewModel(result({ coverage: coverage([file('a.ts', [], [1])]) }), LOCAL);
    expect(local.uncovered!.files[0]!.ranges[0]!.url).toBeNull();
    expect(local.report.url).toBeNull();
  });

  it('refuses non-http project and report URLs', () => {
    const view = buildViewModel(result({ coverage: coverage([file('a.ts', [], [1])]) }), { projectUrl: 'javascript:alert(1)', commitSha: HEAD, reportUrl: 'javascript:alert(1)' });
    expect(view.uncovered!.files[0]!.file.url).toBeNull();
    expect(view.report.url).toBeNull();
  });

  it('orders files worst first and truncates with "and N more" pointing at the report', () => {
    const files = Array.from({ length: 7 }, (_, i) => file(`f${i}.ts`, [], Array.from({ length: i + 1 }, (_, k) => 2 * k + 1)));
    const view = buildViewModel(result({ coverage: coverage(files) }), { ...CI, limits: { maxUncoveredFiles: 3, maxRangesPerFile: 2 } });
    expect(view.uncovered!.files.map((f) => f.file.text)).toEqual(['f6.ts', 'f5.ts', 'f4.ts']);
    expect(view.uncovered!.files[0]!.moreRanges).toBe('and 5 more ranges');
    expect(view.uncovered!.more).toEqual({ text: 'and 4 more files', url: CI.reportUrl });
    expect(view.uncovered!.summary).toBe('Uncovered new lines: 28 lines in 7 files');
    expect(view.truncated).toBe(true);
  });

  it('has no section for evidence that was not given or has nothing to show', () => {
    const view = buildViewModel(result({ coverage: coverage([file('a.ts', [1, 2], [])]) }), CI);
    expect([view.uncovered, view.scenarios, view.performance, view.mutants, view.unresolved]).toEqual([null, null, null, null, null]);
    expect(view.truncated).toBe(false);
  });

  it('lists unmeasured files as unresolved, never as covered', () => {
    const view = buildViewModel(result({ coverage: coverage([], ['src/new.ts']) }), CI);
    expect(view.unresolved!.items).toEqual([{ path: 'src/new.ts', detail: 'changed source file in no coverage report (not counted as covered)' }]);
  });

  it('bounds user strings without splitting a surrogate pair', () => {
    const long = '😀'.repeat(400);
    const cut = shorten(long, 10);
    expect(Array.from(cut)).toHaveLength(10);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut).not.toMatch(/[\uD800-\uDBFF]…$/);
  });

  it('keeps view model data plain (no prototypes but Object and Array)', () => {
    const view = buildViewModel(result({ coverage: coverage([file('a.ts', [], [1])]) }), CI);
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });
});

describe('coverage changed in files the MR did not edit', () => {
  const totals = (covered: number, total: number) => ({ covered, total, percent: total === 0 ? null : Math.floor((covered * 10000) / total) / 100 });
  const moved = (path: string, before: [number, number], after: [number, number]) => ({ path, before: totals(...before), after: totals(...after) });
  const baseline = { status: 'found' as const, ref: 'main', job: 'qgate', pipelineId: null, jobId: null, commitSha: 'c'.repeat(40), generatedAt: null, overallCoveragePercent: 80, hasPerformance: false, reason: null };
  const withIndirect = (indirect: NonNullable<QgateResult['coverage']>['indirect'], overrides: Partial<QgateResult> = {}) =>
    result({ coverage: { ...coverage([])!, ...(indirect ? { indirect } : {}) }, baseline, ...overrides });

  it('lists each file before → after with the change in points, as information against the named baseline', () => {
    const view = buildViewModel(
      withIndirect({ compared: 9, files: 3, listed: [moved('src/a b.ts', [10, 12], [0, 12]), moved('src/new-lines.ts', [0, 0], [0, 4]), moved('src/up.ts', [30, 40], [35, 40])] }),
      CI,
    );
    expect(view.indirect).toEqual({
      summary: 'Coverage changed in 3 files you did not edit',
      note: "Information only: no gate counts it. Each file's coverage against main at cccccccccccc, biggest drop first. The baseline is not this merge request's base (aaaaaaaaaaaa): changes merged into main since show here too.",
      items: [
        { file: { text: 'src/a b.ts', url: `https://gitlab.example.com/g/p/-/blob/${HEAD}/src/a%20b.ts` }, before: '83.3 % (10/12 lines)', after: '0 % (0/12 lines)', change: '−83.3 pts' },
        { file: { text: 'src/new-lines.ts', url: `https://gitlab.example.com/g/p/-/blob/${HEAD}/src/new-lines.ts` }, before: 'no coverable line', after: '0 % (0/4 lines)', change: 'newly coverable' },
        { file: { text: 'src/up.ts', url: `https://gitlab.example.com/g/p/-/blob/${HEAD}/src/up.ts` }, before: '75 % (30/40 lines)', after: '87.5 % (35/40 lines)', change: '+12.5 pts' },
      ],
      more: null,
      unlisted: null,
    });
    expect(view.truncated).toBe(false);
  });

  it('says nothing of the base when the baseline was measured on it', () => {
    const view = buildViewModel(withIndirect({ compared: 1, files: 1, listed: [moved('a.ts', [1, 2], [0, 2])] }, { diff: { ...result().diff, baseSha: 'c'.repeat(40) } }), LOCAL);
    expect(view.indirect!.note).toBe("Information only: no gate counts it. Each file's coverage against main at cccccccccccc, biggest drop first.");
    expect(view.indirect!.items[0]!.file).toEqual({ text: 'a.ts', url: null });
  });

  it('counts the files result.json does not list, and cuts its own list with a notice', () => {
    const listed = Array.from({ length: 20 }, (_, index) => moved(`src/f${index}.ts`, [5, 10], [4, 10]));
    const r = withIndirect({ compared: 100, files: 32, listed });
    expect(buildViewModel(r, CI).indirect).toMatchObject({ more: null, unlisted: '12 more changed files counted, not listed: result.json keeps the 20 biggest changes.' });
    const cut = buildViewModel(r, { ...CI, limits: { maxUncoveredFiles: 5 } });
    expect(cut.indirect!.items).toHaveLength(5);
    expect(cut.indirect!.more).toEqual({ text: 'and 15 more files', url: CI.reportUrl });
    expect(cut.truncated).toBe(true);
  });

  it('has no section without a comparison or when nothing moved', () => {
    expect(buildViewModel(result({ coverage: coverage([]), baseline }), CI).indirect).toBeNull();
    expect(buildViewModel(withIndirect({ compared: 40, files: 0, listed: [] }), CI).indirect).toBeNull();
  });
});
