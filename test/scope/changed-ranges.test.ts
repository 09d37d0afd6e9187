import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { scopeChanges, toLineRanges } from '../../src/scope/changed-ranges.js';
import { formatScope } from '../../src/scope/format-scope.js';
import type { ChangedFile, DiffSummary } from '../../src/model/diff.js';

function file(path: string, addedLines: number[], extra: Partial<ChangedFile> = {}): ChangedFile {
  return { path, oldPath: null, status: 'modified', addedLines, binary: false, ...extra };
}

function diff(files: ChangedFile[]): DiffSummary {
  return { source: 'git', baseSha: 'b'.repeat(40), headSha: 'h'.repeat(40), files, deletedFiles: 0 };
}

const filters = { isSource: picomatch(['**/*.{ts,js}']), isExcluded: picomatch(['**/*.test.ts', 'test/**']) };

describe('toLineRanges', () => {
  it('joins consecutive lines into inclusive ranges', () => {
    expect(toLineRanges([1, 2, 3, 7, 9, 10])).toEqual([
      { start: 1, end: 3 },
      { start: 7, end: 7 },
      { start: 9, end: 10 },
    ]);
    expect(toLineRanges([])).toEqual([]);
  });
});

describe('scopeChanges', () => {
  const scope = scopeChanges(
    diff([
      file('src/z.ts', [5]),
      file('src/a.ts', [10, 11, 12, 24, 30, 31]),
      file('src/a.test.ts', [1, 2]),
      file('README.md', [3]),
      file('src/logo.js', [], { binary: true }),
      file('src/only-deletions.ts', []),
      file('src/[id].ts', [4]),
      file('packages/@scope/lib.ts', [2]),
    ]),
    filters,
  );

  it('keeps changed source files with their ranges, ordered by path', () => {
    expect(scope.files).toEqual([
      { path: 'packages/@scope/lib.ts', ranges: [{ start: 2, end: 2 }], lines: 1 },
      { path: 'src/a.ts', ranges: [{ start: 10, end: 12 }, { start: 24, end: 24 }, { start: 30, end: 31 }], lines: 6 },
      { path: 'src/z.ts', ranges: [{ start: 5, end: 5 }], lines: 1 },
    ]);
  });

  it('lists every file left out with its reason', () => {
    expect(scope.skipped).toEqual([
      { path: 'README.md', reason: 'not-source' },
      { path: 'src/[id].ts', reason: 'glob-characters' },
      { path: 'src/a.test.ts', reason: 'excluded' },
      { path: 'src/logo.js', reason: 'binary' },
      { path: 'src/only-deletions.ts', reason: 'no-added-lines' },
    ]);
  });

  it('prints Stryker mutate ranges, a file list and JSON', () => {
    expect(formatScope(scope, 'stryker')).toBe('packages/@scope/lib.ts:2-2,src/a.ts:10-12,src/a.ts:24-24,src/a.ts:30-31,src/z.ts:5-5\n');
    expect(formatScope(scope, 'files')).toBe('packages/@scope/lib.ts\nsrc/a.ts\nsrc/z.ts\n');
    const json = JSON.parse(formatScope(scope, 'json')) as Record<string, unknown>;
    expect(json).toMatchObject({ schemaVersion: 1, baseSha: 'b'.repeat(40), headSha: 'h'.repeat(40), files: scope.files, skipped: scope.skipped });
    expect((json.stryker as string[])[1]).toBe('src/a.ts:10-12');
  });

  it('prints nothing for an MR without changed source lines', () => {
    const empty = scopeChanges(diff([file('docs/a.md', [1])]), filters);
    expect(formatScope(empty, 'stryker')).toBe('');
    expect(formatScope(empty, 'files')).toBe('');
  });
});
