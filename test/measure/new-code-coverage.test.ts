import { describe, expect, it } from 'vitest';
import { lineHitsOf } from '../../src/inputs/coverage/line-hits.js';
import type { MergedCoverage } from '../../src/measure/merge-coverage.js';
import { measureNewCode } from '../../src/measure/new-code-coverage.js';
import type { ChangedFile, DiffSummary } from '../../src/model/diff.js';

function diffOf(files: Array<Partial<ChangedFile> & { path: string }>): DiffSummary {
  return {
    source: 'git',
    baseSha: 'a'.repeat(40),
    headSha: 'b'.repeat(40),
    deletedFiles: 0,
    files: files.map((file) => ({ oldPath: null, status: 'modified', addedLines: [], binary: false, ...file })),
  };
}

const coverage: MergedCoverage = {
  disagreements: new Map(),
  files: new Map([
    ['src/a.ts', { lines: lineHitsOf([[1, 1], [2, 0], [3, 5], [10, 0]]), totals: null }],
    ['src/summary-only.ts', { lines: null, totals: { covered: 1, total: 2 } }],
    ['src/gen/api.ts', { lines: lineHitsOf([[1, 0]]), totals: null }],
  ]),
  unresolved: [],
  overall: { covered: 2, total: 5, percent: 40, files: 3 },
};
const options = {
  isSource: (path: string) => path.endsWith('.ts'),
  isExcluded: (path: string) => path.startsWith('src/gen/'),
  symlinks: new Set(['src/link.ts']),
};

describe('measureNewCode', () => {
  it('counts only changed lines the report marks coverable', () => {
    const result = measureNewCode(diffOf([{ path: 'src/a.ts', addedLines: [1, 2, 4, 5, 10] }]), coverage, options);
    expect(result).toMatchObject({ covered: 1, total: 3, percent: 33.33, unmeasuredFiles: [] });
    expect(result.files[0]).toMatchObject({ status: 'measured', changedLines: [1, 2, 4, 5, 10], coveredLines: [1], uncoveredLines: [2, 10] });
  });

  it('lists a changed source file that no report mentions as unmeasured, never as covered', () => {
    const result = measureNewCode(diffOf([{ path: 'src/new.ts', status: 'added', addedLines: [1, 2, 3] }]), coverage, options);
    expect(result).toMatchObject({ covered: 0, total: 0, percent: null, unmeasuredFiles: ['src/new.ts'] });
    expect(result.files[0]?.status).toBe('unmeasured');
  });

  it('treats a file known only from a summary report as unmeasured (no line numbers)', () => {
    const result = measureNewCode(diffOf([{ path: 'src/summary-only.ts', addedLines: [1] }]), coverage, options);
    expect(result.unmeasuredFiles).toEqual(['src/summary-only.ts']);
  });

  it('leaves non-source, excluded, binary and symlinked files out of the measure', () => {
    const result = measureNewCode(
      diffOf([
        { path: 'README.md', addedLines: [1, 2] },
        { path: 'src/gen/api.ts', addedLines: [1] },
        { path: 'img/logo.png', binary: true },
        { path: 'src/link.ts', addedLines: [1] },
      ]),
      coverage,
      options,
    );
    expect(result.files.map((file) => file.status)).toEqual(['not-source', 'not-source', 'binary', 'binary']);
    expect(result).toMatchObject({ total: 0, unmeasuredFiles: [] });
  });

  it('does not flag a source file whose only change is deletions or a rename', () => {
    const result = measureNewCode(diffOf([{ path: 'src/other.ts', addedLines: [] }, { path: 'src/a.ts', addedLines: [], status: 'renamed', oldPath: 'src/old.ts' }]), coverage, options);
    expect(result.unmeasuredFiles).toEqual([]);
    expect(result.files.map((file) => file.status)).toEqual(['no-new-lines', 'no-new-lines']);
  });
});
