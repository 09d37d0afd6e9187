/**
 * Indirect coverage changes: each run records every resolved file's [covered, total], and the
 * next compares its own with the baseline's for the files the MR did not edit. The head side is
 * built by the real merge of two shards, so the recorded counts are the merged ones.
 */
import { describe, expect, it } from 'vitest';
import { lineHitsOf } from '../../src/inputs/coverage/line-hits.js';
import { compareIndirectCoverage, countPerFile, recordPerFile } from '../../src/measure/indirect-coverage.js';
import { mergeCoverage, type CoverageInput } from '../../src/measure/merge-coverage.js';
import type { ReportedFile } from '../../src/model/coverage.js';
import { MAX_LISTED_INDIRECT, type FileLineCounts } from '../../src/model/result.js';

const repo = { root: '/repo', files: new Set(['src/a.ts', 'src/b.ts', 'src/__proto__', 'lib/summary.js']) };

function input(file: string, files: ReportedFile[]): CoverageInput {
  return { file, reportDir: '', report: { format: 'lcov', sourceRoots: [], files, warnings: [] } };
}

function counts(entries: Record<string, FileLineCounts>): Map<string, FileLineCounts> {
  return new Map(Object.entries(entries));
}

describe('countPerFile and recordPerFile', () => {
  it('counts each resolved file of the merged shards, totals-only files included, unresolved paths left out', () => {
    const merged = mergeCoverage(
      [
        input('shard1.info', [
          { path: 'src/b.ts', lines: lineHitsOf([[1, 1], [2, 0], [3, 0]]) },
          { path: 'elsewhere/x.ts', lines: lineHitsOf([[1, 1]]) },
        ]),
        input('shard2.info', [
          { path: 'src/b.ts', lines: lineHitsOf([[2, 3], [4, 0]]) },
          { path: 'src/a.ts', lines: lineHitsOf([[1, 0]]) },
          { path: 'lib/summary.js', lines: null, totals: { covered: 7, total: 9 } },
        ]),
      ],
      repo,
    );
    const perFile = countPerFile(merged.files);
    expect(Object.fromEntries(perFile)).toEqual({ 'src/b.ts': [2, 4], 'src/a.ts': [0, 1], 'lib/summary.js': [7, 9] });
    const record = recordPerFile(perFile);
    // Sorted by path, so one commit always writes the same bytes.
    expect(Object.keys(record.perFile ?? {})).toEqual(['lib/summary.js', 'src/a.ts', 'src/b.ts']);
    expect(record.perFileOmitted).toBeUndefined();
  });

  it('keeps a file named __proto__ as an own entry that survives result.json', () => {
    const record = recordPerFile(counts({ 'src/a.ts': [1, 2] }).set('src/__proto__', [3, 4]).set('__proto__', [5, 6]));
    const written = JSON.parse(JSON.stringify(record)) as { perFile: Record<string, FileLineCounts> };
    expect(Object.entries(written.perFile)).toEqual([['__proto__', [5, 6]], ['src/__proto__', [3, 4]], ['src/a.ts', [1, 2]]]);
  });

  it('omits the record past its bound and says how many files there were', () => {
    const many = new Map<string, FileLineCounts>(Array.from({ length: 11 }, (_, index) => [`src/f${index}.ts`, [1, 2]]));
    expect(recordPerFile(many, 10)).toEqual({ perFileOmitted: { files: 11, limit: 10 } });
    expect(Object.keys(recordPerFile(many, 11).perFile ?? {})).toHaveLength(11);
  });

  it('stays a few megabytes for a 20 000-file monorepo', () => {
    const files = new Map<string, FileLineCounts>(
      Array.from({ length: 20_000 }, (_, index) => [`packages/package-${index % 300}/src/components/feature-${index % 47}/Component${index}.tsx`, [index % 500, 500 + (index % 300)]]),
    );
    const bytes = Buffer.byteLength(JSON.stringify({ coverage: recordPerFile(files) }, null, 2));
    expect(bytes).toBeLessThan(2.5e6);
  });
});

describe('compareIndirectCoverage', () => {
  const baseline = counts({
    'src/edited.ts': [1, 10],
    'src/old-name.ts': [5, 10],
    'src/same.ts': [4, 8],
    'src/dropped.ts': [10, 12],
    'src/dropped-a-little.ts': [90, 100],
    'src/rose.ts': [30, 40],
    'src/grew.ts': [5, 10],
    'src/gone.ts': [3, 3],
    'src/no-lines.ts': [0, 0],
  });
  const head = counts({
    'src/edited.ts': [0, 10],
    'src/new-name.ts': [0, 10],
    'src/same.ts': [4, 8],
    'src/dropped.ts': [0, 12],
    'src/dropped-a-little.ts': [89, 100],
    'src/rose.ts': [35, 40],
    'src/grew.ts': [10, 20],
    'src/new.ts': [0, 5],
    'src/no-lines.ts': [0, 4],
  });
  const edited = new Set(['src/edited.ts', 'src/new-name.ts', 'src/old-name.ts']);

  it('lists only the files the MR did not edit whose counts moved, the biggest drop first', () => {
    const indirect = compareIndirectCoverage(head, baseline, edited);
    // Compared: same, dropped, dropped-a-little, rose, grew, no-lines (edited, renamed, new and gone are not).
    expect(indirect.compared).toBe(6);
    expect(indirect.files).toBe(5);
    expect(indirect.listed.map((file) => file.path)).toEqual([
      'src/dropped.ts',
      'src/dropped-a-little.ts',
      // The same share with more lines, and a file that had no coverable line: no change in share, more lines covered.
      'src/no-lines.ts',
      'src/grew.ts',
      'src/rose.ts',
    ]);
    expect(indirect.listed[0]).toEqual({
      path: 'src/dropped.ts',
      before: { covered: 10, total: 12, percent: 83.33 },
      after: { covered: 0, total: 12, percent: 0 },
    });
    expect(indirect.listed[2]).toEqual({ path: 'src/no-lines.ts', before: { covered: 0, total: 0, percent: null }, after: { covered: 0, total: 4, percent: 0 } });
  });

  it('counts every changed file and lists at most the bound', () => {
    const many = (covered: number) => new Map<string, FileLineCounts>(Array.from({ length: 30 }, (_, index) => [`src/f${String(index).padStart(2, '0')}.ts`, [index % 2 === 0 ? covered : 5, 10]]));
    const indirect = compareIndirectCoverage(many(0), many(9), new Set());
    expect(indirect).toMatchObject({ compared: 30, files: 15 });
    expect(indirect.listed).toHaveLength(15);
    const all = compareIndirectCoverage(many(0), new Map([...many(9)].map(([path]) => [path, [9, 10] as FileLineCounts])), new Set());
    expect(all.files).toBe(30);
    expect(all.listed).toHaveLength(MAX_LISTED_INDIRECT);
    // Drops of 9 lines (the even files) before drops of 4, each in path order.
    expect(all.listed.slice(0, 3).map((file) => file.path)).toEqual(['src/f00.ts', 'src/f02.ts', 'src/f04.ts']);
  });

  it('finds nothing when nothing moved, and nothing to compare against an empty baseline', () => {
    expect(compareIndirectCoverage(baseline, baseline, new Set())).toEqual({ compared: 9, files: 0, listed: [] });
    expect(compareIndirectCoverage(head, new Map(), new Set())).toEqual({ compared: 0, files: 0, listed: [] });
  });
});
