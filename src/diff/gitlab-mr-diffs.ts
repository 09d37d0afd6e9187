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

export function changedLinesFromMergeRequestDiffs(
  entries: readonly GitLabMergeRequestDiff[],
  refs: { baseSha: string | null; headSha: string | null },
): GitDiffSummary {
  const files: ChangedFile[] = [];
  const warnings: string[] = [];
  let deletedFiles = 0;
  const left: string[] = [];
  for (const entry of entries) {
    if (entry.deletedFile) {
      deletedFiles += 1;
      continue;
    }
    const binary = /^Binary files /m.test(entry.diff.slice(0, 1000));
    if (!binary && entry.diff === '' && (entry.tooLarge || entry.collapsed)) left.push(entry.newPath);
    files.push({
      path: entry.newPath,
      oldPath: entry.renamedFile ? entry.oldPath : null,
      status: entry.newFile ? 'added' : entry.renamedFile ? 'renamed' : 'modified',
      addedLines: binary ? [] : addedLinesOf(entry.diff),
      binary,
    });
  }
  if (left.length > 0) {
    const shown = left.slice(0, 5).join(', ');
    warnings.push(`GitLab left out the diff of ${left.length} file${left.length === 1 ? '' : 's'} over its diff limits (${shown}${left.length > 5 ? ', …' : ''}): their lines are not counted as new code; set GIT_DEPTH: 0 so qgate can diff itself`);
  }
  warnings.unshift('the clone is too shallow for the merge base: the changed lines come from the GitLab merge request diffs API');
  return { source: 'gitlab-api', baseSha: refs.baseSha, headSha: refs.headSha, files, deletedFiles, warnings };
}
