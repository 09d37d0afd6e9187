/**
 * Merging every coverage report into one map keyed by repository path.
 * Inside one report a repeated line keeps its maximum hits (the parsers already did so
 * per reported path; two reported paths resolving to one file are merged the same way);
 * across reports hits add up, as istanbul's CoverageMap.merge does for parallel shards.
 */
import { countCovered, mergeLineHitsMax, mergeLineHitsSum } from '../inputs/coverage/line-hits.js';
import type { LineHits, ParsedCoverageReport } from '../model/coverage.js';
import type { CoverageTotals, UnresolvedPath } from '../model/result.js';
import { createPathResolver, normalizeReportedPath, type RepoIndex } from '../inputs/coverage/resolve-paths.js';

export interface CoverageInput {
  /** The report path as the user named it, for messages and `result.json`. */
  file: string;
  report: ParsedCoverageReport;
  /** Repo-relative folder of the report, or null when it lies outside the repository. */
  reportDir: string | null;
  /** Configured root for the report's relative paths. */
  root?: string;
}

export interface FileCoverage {
  /** Line hits; null when only totals are known (istanbul summary). */
  lines: LineHits | null;
  totals: { covered: number; total: number } | null;
}

export interface MergedCoverage {
  /** Resolved files by repository path. */
  files: Map<string, FileCoverage>;
  unresolved: UnresolvedPath[];
  overall: CoverageTotals & { files: number };
  /**
   * Per report (as named), the files it shares with an earlier report where the two disagree on
   * which lines are coverable (different instrumentation, or a build of other sources). Such a
   * line counts as coverable, and covered when any report ran it: the union, the same for every
   * order of the reports.
   */
  disagreements: Map<string, { files: number; lines: number; example: string }>;
}

/** covered/total as a percent floored to 2 decimals, so a displayed 80.00 never hides 79.996. */
export function percentOf(covered: number, total: number): number | null {
  if (total === 0) return null;
  return Math.floor((covered * 10000) / total) / 100;
}

/** Merges `file` into `into[key]`; returns how many lines only one side had as coverable (0 when they agree or one side is new). */
function addFile(into: Map<string, FileCoverage>, key: string, file: FileCoverage): number {
  const existing = into.get(key);
  if (!existing) {
    into.set(key, file);
    return 0;
  }
  if (file.lines) {
    if (!existing.lines) {
      existing.lines = file.lines;
      return 0;
    }
    const before = existing.lines.lines.length;
    existing.lines = mergeLineHitsSum(existing.lines, file.lines);
    const union = existing.lines.lines.length;
    return union - before + (union - file.lines.lines.length);
  } else if (!existing.lines && file.totals) {
    // Two summaries of one file cannot be merged line by line; the larger total is the honest bound.
    if (!existing.totals || file.totals.total > existing.totals.total) existing.totals = file.totals;
  }
  return 0;
}

export function mergeCoverage(inputs: readonly CoverageInput[], repo: RepoIndex): MergedCoverage {
  const resolve = createPathResolver(repo);
  const files = new Map<string, FileCoverage>();
  // Unresolved files still count for overall coverage: the producer measured them.
  const unresolvedFiles = new Map<string, FileCoverage>();
  const unresolved: UnresolvedPath[] = [];
  const disagreements: MergedCoverage['disagreements'] = new Map();

  for (const input of inputs) {
    const perReport = new Map<string, FileCoverage>();
    const perReportUnresolved = new Map<string, FileCoverage>();
    for (const reported of input.report.files) {
      const resolution = resolve(reported.path, {
        reportDir: input.reportDir,
        sourceRoots: input.report.sourceRoots,
        ...(input.root !== undefined ? { root: input.root } : {}),
      });
      const entry: FileCoverage = { lines: reported.lines, totals: reported.totals ?? null };
      let target: Map<string, FileCoverage>;
      let key: string;
      if (resolution.resolved) {
        target = perReport;
        key = resolution.path;
      } else {
        target = perReportUnresolved;
        key = normalizeReportedPath(reported.path);
        unresolved.push({ report: input.file, path: reported.path, reason: resolution.reason, candidates: resolution.candidates });
      }
      const existing = target.get(key);
      if (!existing) {
        target.set(key, entry);
      } else if (entry.lines) {
        existing.lines = existing.lines ? mergeLineHitsMax(existing.lines, entry.lines) : entry.lines;
      }
    }
    for (const [key, file] of perReport) {
      const lines = addFile(files, key, file);
      if (lines === 0) continue;
      const seen = disagreements.get(input.file) ?? { files: 0, lines: 0, example: key };
      disagreements.set(input.file, { files: seen.files + 1, lines: seen.lines + lines, example: seen.example });
    }
    for (const [key, file] of perReportUnresolved) addFile(unresolvedFiles, key, file);
  }

  let covered = 0;
  let total = 0;
  let count = 0;
  for (const file of [...files.values(), ...unresolvedFiles.values()]) {
    count += 1;
    if (file.lines) {
      total += file.lines.lines.length;
      covered += countCovered(file.lines);
    } else if (file.totals) {
      total += file.totals.total;
      covered += file.totals.covered;
    }
  }
  return { files, unresolved, overall: { covered, total, percent: percentOf(covered, total), files: count }, disagreements };
}
