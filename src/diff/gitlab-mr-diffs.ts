/**
 * The MR's changed lines from GitLab's merge request diffs API, for a clone too shallow to hold
 * the merge base. GitLab diffs the MR's merge base with its head, renames detected, as qgate's
 * own `git diff` does; each entry carries the hunks without git's header lines.
 * https://docs.gitlab.com/api/merge_requests/#list-merge-request-diffs
 */
import type { ChangedFile } from '../model/diff.js';
import type { GitLabMergeRequestDiff } from '../gitlab/port.js';
import type { GitDiffSummary } from './git-diff.js';

const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/** Head-side line numbers of the `+` lines of GitLab's hunks. */
export function addedLinesOf(diff: string): number[] {
  const lines: number[] = [];
  let next = 0;
  let inHunk = false;
  for (const raw of diff.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const header = HUNK_HEADER.exec(line);
    if (header) {
      next = Number(header[1]);
      inHunk = true;
      continue;
    }
    if (!inHunk) continue;
    const first = line.charAt(0);
    if (first === '+') lines.push(next++);
    else if (first === ' ') next += 1;
    // '-' lines and '\ No newline at end of file' have no head-side line.
  }
  return [...new Set(lines)].sort((a, b) => a - b);
}

/**
 * An entry whose hunks GitLab left out. Recent GitLab flags them (`too_large`, `collapsed`);
 * older versions just send an empty `diff`, so an empty diff counts as left out unless it is
 * explained: a deletion, a pure rename, a mode-only change, or a new file that is empty.
 */
function leftOut(entry: GitLabMergeRequestDiff, isEmptyFile: (path: string) => boolean): boolean {
  if (entry.deletedFile || entry.diff !== '') return false;
  if (entry.tooLarge || entry.collapsed) return true;
  if (entry.renamedFile && !entry.newFile) return false;
  if (!entry.newFile && entry.aMode !== null && entry.aMode !== entry.bMode) return false;
  if (entry.newFile && isEmptyFile(entry.newPath)) return false;
  return true;
}

export interface MergeRequestDiffLines {
  summary: GitDiffSummary;
  /** Changed files whose lines GitLab did not send: their new lines are unknown. */
  leftOut: string[];
}

export function changedLinesFromMergeRequestDiffs(
  entries: readonly GitLabMergeRequestDiff[],
  refs: { baseSha: string | null; headSha: string | null },
  isEmptyFile: (path: string) => boolean = () => false,
): MergeRequestDiffLines {
  const files: ChangedFile[] = [];
  let deletedFiles = 0;
  const missing: string[] = [];
  for (const entry of entries) {
    if (entry.deletedFile) {
      deletedFiles += 1;
      continue;
    }
    const binary = /^Binary files /m.test(entry.diff.slice(0, 1000));
    if (!binary && leftOut(entry, isEmptyFile)) missing.push(entry.newPath);
    files.push({
      path: entry.newPath,
      oldPath: entry.renamedFile ? entry.oldPath : null,
      status: entry.newFile ? 'added' : entry.renamedFile ? 'renamed' : 'modified',
      addedLines: binary ? [] : addedLinesOf(entry.diff),
      binary,
    });
  }
  const warnings = ['the clone is too shallow for the merge base: the changed lines come from the GitLab merge request diffs API'];
  return { summary: { source: 'gitlab-api', baseSha: refs.baseSha, headSha: refs.headSha, files, deletedFiles, warnings }, leftOut: missing };
}
