/**
 * The files of a run that could not check the MR: result.json with its `error`, and a
 * comment.md saying so. No gate ran, so none of the other reports (JUnit, Code Quality,
 * coverage) is written: GitLab then shows none rather than the previous run's.
 */
import type { QgateResult, RunError } from '../model/result.js';
import { STICKY_MARKER } from './comment.js';
import { codeSpan, escapeMarkdownText } from './markdown-escape.js';

function location(error: RunError): string {
  if (error.file === null) return '';
  if (error.position === null) return error.file;
  return error.position.column === null ? `${error.file}:${error.position.line}` : `${error.file}:${error.position.line}:${error.position.column}`;
}

/** comment.md of a failed run: what stopped qgate, where, and what to do. */
export function renderErrorComment(error: RunError, version: string): string {
  const where = location(error);
  // A message of several lines (every problem of a configuration) is a head line and a list.
  const [head = '', ...details] = error.message.split('\n');
  const text = escapeMarkdownText(head);
  const problem = where === '' ? text : `${codeSpan(where)}: ${text}`;
  const list = details.map((line) => line.trim()).filter((line) => line !== '').map((line) => `- ${escapeMarkdownText(line)}`);
  const kind = error.exitCode === 2 ? 'a usage or configuration error' : 'an input or environment error';
  return [
    STICKY_MARKER,
    '### ⚠️ qgate could not check this merge request',
    '',
    `qgate stopped with ${kind} (exit code ${error.exitCode}) before any gate ran, so this pipeline has no verdict on the changes.`,
    '',
    `**${codeSpan(error.code)}** ${problem}`,
    ...(list.length > 0 ? ['', ...list] : []),
    '',
    `**What to do:** ${escapeMarkdownText(error.hint)}`,
    '',
    `<sub>qgate ${escapeMarkdownText(version)}</sub>`,
    '',
  ].join('\n');
}

/** The error report's files, in writing order (result.json first). */
export function renderErrorReportFiles(result: QgateResult & { error: RunError }): Array<[string, string]> {
  return [
    ['result.json', `${JSON.stringify(result, null, 2)}\n`],
    ['comment.md', renderErrorComment(result.error, result.tool.version)],
  ];
}
