/** `--diff-file`: the merge request's changed lines from a unified diff on disk instead of git. */
import { isQgateError } from '../errors.js';
import { openInput, type OpenedInput } from '../inputs/read-input.js';
import type { GitDiffSummary } from './git-diff.js';
import { parseUnifiedDiff } from './parse-unified-diff.js';

export async function readChangedLinesFromDiffFile(file: string, absolutePath: string): Promise<GitDiffSummary> {
  let opened: OpenedInput;
  try {
    opened = await openInput(file, absolutePath, 'unified diff');
  } catch (error) {
    // `git diff > mr.diff` with nothing changed writes an empty file: that is an empty diff, not bad input.
    if (isQgateError(error) && error.code === 'INPUT_EMPTY') {
      return { source: 'diff-file', baseSha: null, headSha: null, files: [], deletedFiles: 0, warnings: [`${file} is empty: no changed lines`] };
    }
    throw error;
  }
  const parsed = await parseUnifiedDiff(opened.chunks(), file);
  return { source: 'diff-file', baseSha: null, headSha: null, files: parsed.files, deletedFiles: parsed.deletedFiles, details: parsed.details ?? new Map(), warnings: [] };
}
