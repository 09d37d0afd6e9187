import { describe, expect, it } from 'vitest';
import { mergeCoverage, percentOf, type CoverageInput } from '../../src/measure/merge-coverage.js';
import { lineHitsEntries, lineHitsOf } from '../../src/inputs/coverage/line-hits.js';
import type { LineHits, ReportedFile } from '../../src/model/coverage.js';

const repo = { root: '/repo', files: new Set(['src/a.ts', 'src/b.ts', 'pkg/src/c.ts']) };

function input(file: string, files: ReportedFile[], extra: Partial<CoverageInput> = {}): CoverageInput {
  return { file, reportDir: '', report: { format: 'lcov', sourceRoots: [], files, warnings: [] }, ...extra };
}

function lines(entries: Array<[number, number]>): LineHits {
  return lineHitsOf(entries);
}

function entriesOf(hits: LineHits | null | undefined): Array<[number, number]> {
  return hits ? lineHitsEntries(hits) : [];
}

describe('mergeCoverage', () => {
  it('adds hits across reports (parallel shards) and unions their lines', () => {
    const merged = mergeCoverage(
      [
        input('shard1.info', [{ path: 'src/a.ts', lines: lines([[1, 1], [2, 0], [3, 0]]) }]),
        input('shard2.info', [{ path: '/builds/g/p/src/a.ts', lines: lines([[2, 4], [3, 0], [4, 0]]) }]),
      ],
      repo,
    );
    expect(entriesOf(merged.files.get('src/a.ts')?.lines)).toEqual([[1, 1], [2, 4], [3, 0], [4, 0]]);
    expect(merged.overall).toEqual({ covered: 2, total: 4, percent: 50, files: 1 });
    // Line 1 only shard 1 lists, line 4 only shard 2: said once, on the later report.
    expect(merged.disagreements).toEqual(new Map([['shard2.info', { files: 1, lines: 2, example: 'src/a.ts' }]]));
  });

  it('counts a disagreement the same whatever the order of the shards, and none when they agree', () => {
    const one = input('1.info', [{ path: 'src/a.ts', lines: lines([[1, 1], [2, 0]]) }, { path: 'src/b.ts', lines: lines([[1, 0]]) }]);
    const two = input('2.info', [{ path: 'src/a.ts', lines: lines([[2, 1], [3, 0]]) }, { path: 'src/b.ts', lines: lines([[1, 2]]) }]);
    const forward = mergeCoverage([one, two], repo);
    const backward = mergeCoverage([two, one], repo);
    expect(forward.overall).toEqual(backward.overall);
    expect(forward.disagreements.get('2.info')).toEqual({ files: 1, lines: 2, example: 'src/a.ts' });
    expect(backward.disagreements.get('1.info')).toEqual({ files: 1, lines: 2, example: 'src/a.ts' });
    expect(mergeCoverage([one, one], repo).disagreements.size).toBe(0);
  });

  it('takes the maximum when one report names a file twice (two spellings of one path)', () => {
    const merged = mergeCoverage(
      [input('r.info', [
        { path: 'src/a.ts', lines: lines([[1, 2]]) },
        { path: './src/a.ts', lines: lines([[1, 3], [2, 0]]) },
      ])],
      repo,
    );
    expect(entriesOf(merged.files.get('src/a.ts')?.lines)).toEqual([[1, 3], [2, 0]]);
  });

  it('lists unresolved paths and still counts their lines overall', () => {
    const merged = mergeCoverage([input('r.info', [
      { path: 'src/a.ts', lines: lines([[1, 1]]) },
      { path: '/usr/include/stdio.h', lines: lines([[5, 0]]) },
    ])], repo);
    expect(merged.unresolved).toEqual([{ report: 'r.info', path: '/usr/include/stdio.h', reason: 'not-found', candidates: [] }]);
    expect(merged.overall).toMatchObject({ covered: 1, total: 2, files: 2 });
  });

  it('counts summary-only files (no line data) overall by their totals', () => {
    const merged = mergeCoverage([input('summary.json', [{ path: 'src/b.ts', lines: null, totals: { covered: 3, total: 4 } }])], repo);
    expect(merged.files.get('src/b.ts')).toEqual({ lines: null, totals: { covered: 3, total: 4 } });
    expect(merged.overall).toMatchObject({ covered: 3, total: 4, percent: 75 });
  });

  it('gives null, not 100%, for reports without a coverable line', () => {
    const merged = mergeCoverage([input('empty.xml', [])], repo);
    expect(merged.overall).toEqual({ covered: 0, total: 0, percent: null, files: 0 });
  });
});

describe('percentOf', () => {
  it('floors to two decimals so a shown 80.00 is never really 79.996', () => {
    expect(percentOf(19996, 25000)).toBe(79.98);
    expect(percentOf(2, 3)).toBe(66.66);
    expect(percentOf(0, 0)).toBeNull();
    expect(percentOf(5, 5)).toBe(100);
  });
});
