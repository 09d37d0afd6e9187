/**
 * Coverage of the merge request's new code: the changed lines that a report marks
 * coverable, and of those the ones executed. Which lines count follows diff-cover:
 * a changed line is coverable when the report lists it (blank lines, comments and
 * declarations are not listed, so they neither help nor hurt).
 * A changed source file no report mentions is "unmeasured" — never 100%.
 */
import type { DiffSummary } from '../model/diff.js';
import type { NewCodeCoverage, NewCodeFile } from '../model/result.js';
import { percentOf, type MergedCoverage } from './merge-coverage.js';
import { onlyNonExecutable } from './non-executable.js';

export interface NewCodeOptions {
  /** True for repository paths that are source code and should appear in a coverage report. */
  isSource: (path: string) => boolean;
  /** True for paths that never count as new code (`coverage.exclude`), even when a report measures them. */
  isExcluded: (path: string) => boolean;
  /** Tracked symlinks: never read, never measured. */
  symlinks: ReadonlySet<string>;
  /** Generated files (`linguist-generated`, `coverage.generated`): listed as generated, never counted. */
  isGenerated?: (path: string) => boolean;
  /**
   * The changed file's text in the checkout (null when it may not be read): a source file no
   * report mentions whose changed lines are all comments, blank or preprocessor directives has
   * nothing to measure and is not unmeasured (src/measure/non-executable.ts).
   */
  readSource?: (path: string) => string | null;
  /** `lines: added` gates only the lines the MR adds outright; modified legacy lines are then shown, not counted. Default `changed`. */
  lines?: 'changed' | 'added';
}

export function measureNewCode(diff: DiffSummary, coverage: MergedCoverage, options: NewCodeOptions): NewCodeCoverage {
  const files: NewCodeFile[] = [];
  const unmeasuredFiles: string[] = [];
  let covered = 0;
  let total = 0;
  const details = diff.details;
  const scope = options.lines ?? 'changed';
  const split = { added: { covered: 0, total: 0 }, modified: { covered: 0, total: 0 } };

  for (const changed of diff.files) {
    const file: NewCodeFile = {
      path: changed.path,
      oldPath: changed.oldPath,
      change: changed.status,
      status: 'not-source',
      changedLines: changed.addedLines,
      coveredLines: [],
      uncoveredLines: [],
    };
    files.push(file);
    if (changed.binary || options.symlinks.has(changed.path)) {
      file.status = 'binary';
      continue;
    }
    if (options.isGenerated?.(changed.path)) {
      file.status = 'generated';
      continue;
    }
    if (options.isExcluded(changed.path)) continue;
    if (changed.addedLines.length === 0) {
      file.status = 'no-new-lines';
      continue;
    }
    const measured = coverage.files.get(changed.path);
    if (measured?.lines) {
      file.status = 'measured';
      // Both lists are sorted: one merge-like walk, linear in the changed and coverable lines.
      const { lines, hits } = measured.lines;
      const modified = details?.get(changed.path)?.modifiedLines ?? [];
      let at = 0;
      let nextModified = 0;
      for (const line of changed.addedLines) {
        while (at < lines.length && (lines[at] as number) < line) at += 1;
        if (at === lines.length) break;
        if (lines[at] !== line) continue;
        // Both ascending: the same walk tells a modified line from an added one.
        while (nextModified < modified.length && (modified[nextModified] as number) < line) nextModified += 1;
        const isModified = modified[nextModified] === line;
        const hit = (hits[at] as number) > 0;
        const part = isModified ? split.modified : split.added;
        part.total += 1;
        if (hit) part.covered += 1;
        if (isModified && scope === 'added') continue;
        if (hit) file.coveredLines.push(line);
        else file.uncoveredLines.push(line);
      }
      covered += file.coveredLines.length;
      total += file.coveredLines.length + file.uncoveredLines.length;
      continue;
    }
    // A file only a summary report mentions has no line data: it cannot measure new lines.
    if (options.isSource(changed.path)) {
      const text = options.readSource?.(changed.path) ?? null;
      if (text !== null && onlyNonExecutable(changed.path, text, changed.addedLines)) {
        file.status = 'no-new-lines';
        file.nonExecutableOnly = true;
        continue;
      }
      file.status = 'unmeasured';
      unmeasuredFiles.push(changed.path);
    }
  }
  const totals = (part: { covered: number; total: number }) => ({ ...part, percent: percentOf(part.covered, part.total) });
  return {
    covered,
    total,
    percent: percentOf(covered, total),
    files,
    unmeasuredFiles,
    ...(details !== undefined ? { split: { scope, added: totals(split.added), modified: totals(split.modified) } } : {}),
  };
}
