/**
 * The MR's changed lines from GitLab's merge request diffs API, for a clone too shallow to hold
 * the merge base. GitLab diffs the MR's merge base with its head, renames detected, as qgate's
 * own `git diff` does; each entry carries the hunks without git's header lines.
 * https://docs.gitlab.com/api/merge_requests/#list-merge-request-diffs
 *
 * Each entry is turned back into the `git diff` section it came from (the header lines rebuilt
 * from the entry's paths, flags and modes, then GitLab's hunks unchanged) and read by the one
 * unified-diff parser, so `\ No newline at end of file`, renames, mode changes, symlinks,
 * binary files and CRLF count exactly as they do from `git diff` or `--diff-file`.
 */
import type { ChangedFile, ChangedLineDetails } from '../model/diff.js';
import type { GitLabMergeRequestDiff } from '../gitlab/port.js';
import type { GitDiffSummary } from './git-diff.js';
import { parseUnifiedDiff } from './parse-unified-diff.js';

/** A name as git writes it with core.quotePath: always C-quoted here, which the parser decodes. */
function quoted(name: string): string {
  let out = '"';
  for (const ch of name) {
    const code = ch.codePointAt(0) as number;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (code < 0x20 || code === 0x7f) out += `\\${code.toString(8).padStart(3, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

const MODE = /^[0-7]{6}$/;

/** The `git diff` header lines of one entry, before its hunks. */
export function gitHeaderOf(entry: GitLabMergeRequestDiff): string[] {
  const oldPath = entry.oldPath === '' ? entry.newPath : entry.oldPath;
  const newPath = entry.newPath === '' ? oldPath : entry.newPath;
  const aMode = entry.aMode !== null && MODE.test(entry.aMode) ? entry.aMode : null;
  const bMode = entry.bMode !== null && MODE.test(entry.bMode) ? entry.bMode : null;
  const lines = [`diff --git ${quoted(`a/${oldPath}`)} ${quoted(`b/${newPath}`)}`];
  if (entry.newFile) {
    lines.push(`new file mode ${bMode ?? '100644'}`);
  } else if (entry.deletedFile) {
    lines.push(`deleted file mode ${aMode ?? '100644'}`);
  } else {
    if (aMode !== null && bMode !== null && aMode !== bMode) lines.push(`old mode ${aMode}`, `new mode ${bMode}`);
    // GitLab flags renames; a differing pair of paths is one whatever the flag says.
    if (entry.renamedFile || oldPath !== newPath) lines.push(`rename from ${quoted(oldPath)}`, `rename to ${quoted(newPath)}`);
  }
  if (entry.diff.startsWith('@@')) {
    lines.push(`--- ${entry.newFile ? '/dev/null' : quoted(`a/${oldPath}`)}`, `+++ ${entry.deletedFile ? '/dev/null' : quoted(`b/${newPath}`)}`);
  }
  return lines;
}

/** The entry as the `git diff` text GitLab cut it from. */
export function gitSectionOf(entry: GitLabMergeRequestDiff): string {
  const header = gitHeaderOf(entry).join('\n');
  // A deleted file has no head-side lines: its hunks (possibly left out) are not needed.
  if (entry.deletedFile || entry.diff === '') return `${header}\n`;
  return `${header}\n${entry.diff}${entry.diff.endsWith('\n') ? '' : '\n'}`;
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

export async function changedLinesFromMergeRequestDiffs(
  entries: readonly GitLabMergeRequestDiff[],
  refs: { baseSha: string | null; headSha: string | null },
  isEmptyFile: (path: string) => boolean = () => false,
): Promise<MergeRequestDiffLines> {
  const files: ChangedFile[] = [];
  const details = new Map<string, ChangedLineDetails>();
  let deletedFiles = 0;
  const missing: string[] = [];
  for (const entry of entries) {
    const header = gitHeaderOf(entry);
    const omitted = leftOut(entry, isEmptyFile);
    if (omitted) missing.push(entry.newPath);
    // Numbered so that line 1 is the first line of the entry's `diff`, as GitLab sent it.
    const parsed = await parseUnifiedDiff([gitSectionOf(entry)], `the GitLab merge request diff of ${entry.newPath || entry.oldPath}`, {
      firstLine: entry.deletedFile || entry.diff === '' ? 1 : 1 - header.length,
    });
    deletedFiles += parsed.deletedFiles;
    files.push(...parsed.files);
    for (const [path, detail] of parsed.details ?? []) details.set(path, detail);
    // A left-out modified file has no hunks, so the parser (rightly) saw no change: list it anyway.
    if (omitted && !parsed.files.some((file) => file.path === entry.newPath)) {
      files.push({ path: entry.newPath, oldPath: entry.renamedFile ? entry.oldPath : null, status: entry.newFile ? 'added' : entry.renamedFile ? 'renamed' : 'modified', addedLines: [], binary: false });
    }
  }
  const warnings = ['the clone is too shallow for the merge base: the changed lines come from the GitLab merge request diffs API'];
  return { summary: { source: 'gitlab-api', baseSha: refs.baseSha, headSha: refs.headSha, files, deletedFiles, details, warnings }, leftOut: missing };
}
