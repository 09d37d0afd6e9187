/**
 * The files of a run that could not check the MR: result.json with its `error`, and a
 * comment.md saying so (`report-templates/markdown/error.hbs`). No gate ran, so none of the
 * other reports (JUnit, Code Quality, coverage) is written: GitLab then shows none rather than
 * the previous run's.
 */
import type { QgateResult, RunError } from '../model/result.js';
import { compileMarkdownTemplate } from './comment.js';

/** What error.hbs prints: raw strings, escaped by the template's helpers. */
export interface ErrorCommentView {
  code: string;
  /** `file`, `file:line` or `file:line:column`; null when the error is about no file. */
  where: string | null;
  /** The message's first line. */
  head: string;
  /** Its further lines (every problem of a configuration), one list item each. */
  details: string[];
  kind: string;
  exitCode: string;
  hint: string;
  version: string;
}

function location(error: RunError): string | null {
  if (error.file === null) return null;
  if (error.position === null) return error.file;
  return error.position.column === null ? `${error.file}:${error.position.line}` : `${error.file}:${error.position.line}:${error.position.column}`;
}

export function buildErrorCommentView(error: RunError, version: string): ErrorCommentView {
  const [head = '', ...rest] = error.message.split('\n');
  return {
    code: error.code,
    where: location(error),
    head,
    details: rest.map((line) => line.trim()).filter((line) => line !== ''),
    kind: error.exitCode === 2 ? 'a usage or configuration error' : 'an input or environment error',
    exitCode: String(error.exitCode),
    hint: error.hint,
    version,
  };
}

let renderer: ((view: ErrorCommentView) => string) | null = null;

/** comment.md of a failed run: what stopped qgate, where, and what to do. */
export function renderErrorComment(error: RunError, version: string): string {
  renderer ??= compileMarkdownTemplate<ErrorCommentView>('error');
  return renderer(buildErrorCommentView(error, version));
}

/** The error report's files, in writing order (result.json first). */
export function renderErrorReportFiles(result: QgateResult & { error: RunError }): Array<[string, string]> {
  return [
    ['result.json', `${JSON.stringify(result, null, 2)}\n`],
    ['comment.md', renderErrorComment(result.error, result.tool.version)],
  ];
}
