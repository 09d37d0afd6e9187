/** The merge request's new code: which lines of which files the MR adds or changes. */

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

export interface DiffSummary {
  /** Where the changed lines came from. */
  source: 'git' | 'diff-file' | 'gitlab-api';
  /** Resolved commit SHAs when known. */
  baseSha: string | null;
  headSha: string | null;
  /** Files with head-side content changes (deleted files are counted, not listed). */
  files: ChangedFile[];
  deletedFiles: number;
}
