/** The merge request's new code: which lines of which files the MR adds or changes. */

/** A waiver an added line holds: a coverage exclusion comment or a test/scenario skip. */
export type WaiverKind = 'coverage-exclusion' | 'skipped-test';

export interface WaiverMatch {
  kind: WaiverKind;
  /** The marker as written, e.g. `c8 ignore next`, `it.skip(`, `@wip`. */
  marker: string;
}

export type ChangeStatus = 'added' | 'modified' | 'renamed' | 'copied';

export interface ChangedFile {
  /** Repository path at the head commit, POSIX separators, no `a/`/`b/` prefix, unquoted. */
  path: string;
  /** Path at the base for renames and copies; `null` otherwise. */
  oldPath: string | null;
  status: ChangeStatus;
  /** Head-side line numbers the MR added or changed, ascending, without duplicates. */
  addedLines: number[];
  /** Git said "Binary files differ": no lines can be new code. */
  binary: boolean;
}

/** What the diff says about a changed file's added lines beyond their numbers. */
export interface ChangedLineDetails {
  /**
   * Of `addedLines`, those that replace a deleted line of the same change block ("modified");
   * the others are added outright.
   */
  modifiedLines: number[];
  /** Coverage exclusions and test skips on added lines (src/diff/waiver-markers.ts). */
  waivers: Array<{ line: number } & WaiverMatch>;
}

export interface DiffSummary {
  /** Where the changed lines came from. */
  source: 'git' | 'diff-file' | 'gitlab-api';
  /** Resolved commit SHAs when known. */
  baseSha: string | null;
  headSha: string | null;
  /** Files with head-side content changes (deleted files are counted, not listed). */
  files: ChangedFile[];
  deletedFiles: number;
  /**
   * Per changed path, the modified lines and waivers its added lines hold, when it has any; a file
   * carried through a patch series is absent too (its lines count as added, its waivers are not
   * listed). Absent altogether when no diff was parsed (hand-built summaries in tests).
   */
  details?: ReadonlyMap<string, ChangedLineDetails>;
}
