/**
 * Indirect coverage changes: files the merge request did not edit whose own coverage differs
 * from the baseline's (a test the MR changed stopped running them, or an edited module stopped
 * calling them). Peers fold these into a project-level status that fails with no file to point
 * at; here they are listed as information and no gate reads them (issue 18, item 4).
 *
 * Each run records every resolved file's `[covered, total]` (`coverage.perFile`); the next run
 * compares its own with the baseline's. Pure: maps in, plain data out.
 */
import { countCovered } from '../inputs/coverage/line-hits.js';
import {
  MAX_LISTED_INDIRECT,
  MAX_PER_FILE_RECORDED,
  type CoverageResult,
  type CoverageTotals,
  type FileLineCounts,
  type IndirectCoverage,
  type IndirectFile,
} from '../model/result.js';
import { percentOf, type FileCoverage } from './merge-coverage.js';

/** Each resolved file's covered and coverable lines; a file with neither line data nor totals is left out. */
export function countPerFile(files: ReadonlyMap<string, FileCoverage>): Map<string, FileLineCounts> {
  const counts = new Map<string, FileLineCounts>();
  for (const [path, file] of files) {
    if (file.lines) counts.set(path, [countCovered(file.lines), file.lines.lines.length]);
    else if (file.totals) counts.set(path, [file.totals.covered, file.totals.total]);
  }
  return counts;
}

/**
 * The `perFile` record for result.json, sorted by path so two runs of one commit write the same
 * bytes; over `limit` files it is omitted and says so (about 110 bytes a file pretty-printed:
 * 20 000 files of 64-character paths write 2.2 MB, the 50 000 limit about 5.5 MB).
 */
export function recordPerFile(counts: ReadonlyMap<string, FileLineCounts>, limit = MAX_PER_FILE_RECORDED): Pick<CoverageResult, 'perFile' | 'perFileOmitted'> {
  if (counts.size > limit) return { perFileOmitted: { files: counts.size, limit } };
  // Object.fromEntries, not assignment: a path named `__proto__` stays an own property.
  const sorted = [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { perFile: Object.fromEntries(sorted) };
}

function totalsOf([covered, total]: FileLineCounts): CoverageTotals {
  return { covered, total, percent: percentOf(covered, total) };
}

/** The change in covered share, in percentage points; 0 when either side has no coverable line. */
function shareChange(file: IndirectFile): number {
  if (file.before.total === 0 || file.after.total === 0) return 0;
  return (file.after.covered / file.after.total - file.before.covered / file.before.total) * 100;
}

/** Biggest drop first, then smaller drops, then rises; equal shares by covered lines lost; then by path. */
function byChange(a: IndirectFile, b: IndirectFile): number {
  return (
    shareChange(a) - shareChange(b) ||
    a.after.covered - a.before.covered - (b.after.covered - b.before.covered) ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
  );
}

/**
 * The files measured in both runs that `edited` does not hold (the MR's changed paths, renamed
 * files' old paths included) and whose covered or total lines differ. A file measured in one run
 * only is not compared: the MR may have deleted it, which the diff counts but does not name.
 */
export function compareIndirectCoverage(
  head: ReadonlyMap<string, FileLineCounts>,
  baseline: ReadonlyMap<string, FileLineCounts>,
  edited: ReadonlySet<string>,
  limit = MAX_LISTED_INDIRECT,
): IndirectCoverage {
  let compared = 0;
  const changed: IndirectFile[] = [];
  for (const [path, after] of head) {
    const before = baseline.get(path);
    if (before === undefined || edited.has(path)) continue;
    compared += 1;
    if (before[0] === after[0] && before[1] === after[1]) continue;
    changed.push({ path, before: totalsOf(before), after: totalsOf(after) });
  }
  changed.sort(byChange);
  return { compared, files: changed.length, listed: changed.slice(0, limit) };
}
