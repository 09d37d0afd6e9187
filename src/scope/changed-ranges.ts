/**
 * The merge request's changed lines as ranges, per source file: what `qgate scope` hands to a
 * mutation tester so it mutates only what changed (Stryker has no diff mode of its own:
 * stryker-mutator/stryker-js#1980 was closed as stale).
 *
 * Pure: the diff and the path filters in, the scope out.
 */
import type { DiffSummary } from '../model/diff.js';

/** A run of consecutive changed lines, both ends inclusive, 1-based. */
export interface LineRange {
  start: number;
  end: number;
}

export interface ScopedFile {
  /** Repository path, POSIX separators. */
  path: string;
  ranges: LineRange[];
  /** How many lines the ranges cover. */
  lines: number;
}

/** A changed file left out of the scope, and why (the JSON output lists them; nothing is hidden). */
export interface SkippedFile {
  path: string;
  reason: 'not-source' | 'excluded' | 'binary' | 'no-added-lines' | 'glob-characters';
}

export interface ChangeScope {
  baseSha: string | null;
  headSha: string | null;
  files: ScopedFile[];
  skipped: SkippedFile[];
}

export interface ScopeFilters {
  /** The configuration's `coverage.sources`: a changed file must match to be in scope. */
  isSource: (path: string) => boolean;
  /** The configuration's `coverage.exclude` (tests, generated code, fixtures): never in scope. */
  isExcluded: (path: string) => boolean;
}

/**
 * Paths that Stryker's `minimatch` would read as a glob (`* ? [ ] { }`, a backslash escape, an
 * extglob `!( +( @(`, a leading `!` negation or `#` comment); Stryker refuses a line range on a
 * glob ("Cannot combine a glob expression with a mutation range"), and a comma would split the
 * `--mutate` list. Such a path cannot be scoped by lines, so it is skipped with a reason.
 */
const GLOB_CHARACTERS = /[*?[\]{},\\]|[!+@]\(|^[!#]/;

/** Ascending, duplicate-free line numbers → maximal runs of consecutive lines. */
export function toLineRanges(sortedLines: readonly number[]): LineRange[] {
  const ranges: LineRange[] = [];
  for (const line of sortedLines) {
    const last = ranges.at(-1);
    if (last !== undefined && line === last.end + 1) last.end = line;
    else if (last === undefined || line > last.end) ranges.push({ start: line, end: line });
  }
  return ranges;
}

/** The changed source files of the diff with their changed-line ranges, ordered by path. */
export function scopeChanges(diff: DiffSummary, filters: ScopeFilters): ChangeScope {
  const files: ScopedFile[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of [...diff.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const { path } = file;
    if (file.binary) skipped.push({ path, reason: 'binary' });
    else if (!filters.isSource(path)) skipped.push({ path, reason: 'not-source' });
    else if (filters.isExcluded(path)) skipped.push({ path, reason: 'excluded' });
    else if (file.addedLines.length === 0) skipped.push({ path, reason: 'no-added-lines' });
    else if (GLOB_CHARACTERS.test(path)) skipped.push({ path, reason: 'glob-characters' });
    else {
      const ranges = toLineRanges(file.addedLines);
      files.push({ path, ranges, lines: ranges.reduce((sum, range) => sum + range.end - range.start + 1, 0) });
    }
  }
  return { baseSha: diff.baseSha, headSha: diff.headSha, files, skipped };
}
