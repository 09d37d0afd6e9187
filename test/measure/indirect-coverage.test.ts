/**
 * Indirect coverage changes: each run records every resolved file's [covered, total], and the
 * next compares its own with the baseline's for the files the MR did not edit. The head side is
 * built by the real merge of two shards, so the recorded counts are the merged ones.
 */
import { describe, expect, it } from 'vitest';
import { lineHitsOf } from '../../src/inputs/coverage/line-hits.js';
import { countPerFile, recordPerFile } from '../../src/measure/indirect-coverage.js';
import { mergeCoverage, type CoverageInput } from '../../src/measure/merge-coverage.js';
import type { ReportedFile } from '../../src/model/coverage.js';
import type { FileLineCounts } from '../../src/model/result.js';

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
