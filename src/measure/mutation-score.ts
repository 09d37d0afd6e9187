/**
 * Mutation scores, overall, per file and on the merge request's new code.
 *
 * The arithmetic is exactly `mutation-testing-metrics`' (`toMetrics` in
 * https://github.com/stryker-mutator/mutation-testing-elements/blob/master/packages/metrics/src/calculateMetrics.ts),
 * the library behind Stryker's HTML report and dashboard, so qgate's score is the one the
 * team already sees there:
 *   detected = killed + timeout, undetected = survived + noCoverage,
 *   valid = detected + undetected, score = detected ÷ valid × 100.
 * Compile and runtime errors, ignored and pending mutants are outside `valid`. Where metrics
 * answers NaN (no valid mutant) qgate says null: never 0, never 100.
 *
 * New code follows the gate's definition: a mutant is on new code when its location — start
 * line through end line — touches a line the merge request adds or changes. A block mutant
 * spanning a whole function therefore counts when any line of that function changed; that is
 * deliberate, since removing the block tests the changed lines too.
 */
import { createPathResolver, type RepoIndex } from '../inputs/coverage/resolve-paths.js';
import type { DiffSummary } from '../model/diff.js';
import type { Mutant, MutationCounts, MutationFileResult, MutationReport, MutationResult } from '../model/mutation.js';
import { percentOf } from './merge-coverage.js';

/** How many surviving new-code mutants `measureMutation` lists by default; the rest are counted. */
export const DEFAULT_MAX_SURVIVING = 100;

export interface MutationMeasureOptions {
  /** The repository, to resolve the report's file keys to repository paths. */
  repo: RepoIndex;
  /** Repo-relative folder of the report ('' for the root); null when it lies outside the repository. */
  reportDir: string | null;
  /** Configured folder (repo-relative) the report's relative keys start from; wins over every other resolution. */
  root?: string;
  /** How many surviving new-code mutants to list; default {@link DEFAULT_MAX_SURVIVING}. */
  maxSurviving?: number;
}

/** detected ÷ valid as a percent floored to 2 decimals (as every qgate percent); null when valid is 0. */
export function mutationScoreOf(detected: number, valid: number): number | null {
  return percentOf(detected, valid);
}

/** Counts mutants by status and derives metrics' totals and the score. */
export function countMutants(mutants: Iterable<Mutant>): MutationCounts {
  let total = 0;
  let killed = 0;
  let timeout = 0;
  let survived = 0;
  let noCoverage = 0;
  let errors = 0;
  let ignored = 0;
  let pending = 0;
  for (const mutant of mutants) {
    total++;
    switch (mutant.status) {
      case 'Killed':
        killed++;
        break;
      case 'Timeout':
        timeout++;
        break;
      case 'Survived':
        survived++;
        break;
      case 'NoCoverage':
        noCoverage++;
        break;
      case 'CompileError':
      case 'RuntimeError':
        errors++;
        break;
      case 'Ignored':
        ignored++;
        break;
      case 'Pending':
        pending++;
        break;
    }
  }
  const detected = killed + timeout;
  const undetected = survived + noCoverage;
  const valid = detected + undetected;
  return { total, killed, timeout, survived, noCoverage, errors, ignored, pending, detected, undetected, valid, score: mutationScoreOf(detected, valid) };
}

/** Survived and NoCoverage: metrics' "undetected", the mutants still alive after the run. */
export function isUndetected(mutant: Mutant): boolean {
  return mutant.status === 'Survived' || mutant.status === 'NoCoverage';
}

/**
 * The last line a mutant's location covers. The schema's end is exclusive, so an end at
 * column 1 of a later line covers nothing on that line (the mutant ends with the line before).
 */
export function lastLineOf(location: Mutant['location']): number {
  const { start, end } = location;
  if (end.line <= start.line) return start.line;
  return end.column <= 1 ? end.line - 1 : end.line;
}

/** True when some line of `sortedLines` (ascending) lies in [first, last]. Binary search: O(log n). */
export function touchesLines(sortedLines: readonly number[], first: number, last: number): boolean {
  let low = 0;
  let high = sortedLines.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sortedLines[middle] as number) < first) low = middle + 1;
    else high = middle;
  }
  return low < sortedLines.length && (sortedLines[low] as number) <= last;
}

function compareMutants(a: Mutant, b: Mutant): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return (
    a.location.start.line - b.location.start.line ||
    a.location.start.column - b.location.start.column ||
    a.id.localeCompare(b.id, 'en', { numeric: true })
  );
}

/**
 * Resolves the report's file keys, counts every mutant overall and per file, and picks out the
 * mutants on the merge request's new code. Pure: the repository index and the diff are data.
 *
 * Keys are resolved with the coverage resolver (`createPathResolver`), with the report's
 * `projectRoot` as the one source root: keys relative to it (most producers), absolute keys of
 * another machine (`/home/…`, `C:\Users\…`) and backslash keys (Stryker.NET) all land on
 * repository paths. A key that resolves to nothing stays as reported, counts overall, is
 * listed in `unresolvedFiles`, and can never be new code.
 */
export function measureMutation(report: MutationReport, diff: DiffSummary, options: MutationMeasureOptions): MutationResult {
  const resolve = createPathResolver(options.repo);
  const context = {
    reportDir: options.reportDir,
    sourceRoots: report.projectRoot === null ? [] : [report.projectRoot],
    ...(options.root !== undefined ? { root: options.root } : {}),
  };

  // Keys that resolve to one repository file (Stryker.NET mixes relative and absolute keys) are counted together.
  const byPath = new Map<string, Mutant[]>();
  const resolvedPaths = new Set<string>();
  const unresolvedFiles: string[] = [];
  for (const file of report.files) {
    const resolution = resolve(file.path, context);
    const path = resolution.resolved ? resolution.path : file.path;
    if (resolution.resolved) resolvedPaths.add(path);
    else if (!unresolvedFiles.includes(file.path)) unresolvedFiles.push(file.path);
    let mutants = byPath.get(path);
    if (mutants === undefined) {
      mutants = [];
      byPath.set(path, mutants);
    }
    for (const mutant of file.mutants) mutants.push(mutant.file === path ? mutant : { ...mutant, file: path });
  }

  const files: MutationFileResult[] = [...byPath]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, mutants]) => ({ path, ...countMutants(mutants) }));

  const onNewCode: Mutant[] = [];
  for (const changed of diff.files) {
    if (changed.binary || changed.addedLines.length === 0 || !resolvedPaths.has(changed.path)) continue;
    for (const mutant of byPath.get(changed.path) ?? []) {
      if (touchesLines(changed.addedLines, mutant.location.start.line, lastLineOf(mutant.location))) onNewCode.push(mutant);
    }
  }
  const surviving = onNewCode.filter(isUndetected).sort(compareMutants);
  const limit = Math.max(0, options.maxSurviving ?? DEFAULT_MAX_SURVIVING);

  return {
    ...countMutants([...byPath.values()].flat()),
    files,
    newCode: { ...countMutants(onNewCode), surviving: surviving.slice(0, limit), survivingTotal: surviving.length },
    unresolvedFiles,
  };
}
