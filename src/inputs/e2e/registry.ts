/**
 * The Cucumber result formats qgate reads, in sniffing order. Detection is by content, never by
 * file name: an explicit format wins, then the first parser whose `sniff` accepts the head.
 */
import { QgateError } from '../../errors.js';
import type { E2eFormat, E2eReport } from '../../model/e2e.js';
import { openInput } from '../read-input.js';
import { cucumberJsonParser } from './cucumber-json.js';
import { cucumberMessagesParser } from './cucumber-messages.js';
import { junitXmlParser } from './junit-xml.js';
import type { E2eParser } from './parser.js';

// Disjoint by their first character: `{` (one envelope per line), `[` (an array of features), `<`.
export const E2E_PARSERS: readonly E2eParser[] = [cucumberMessagesParser, cucumberJsonParser, junitXmlParser];

export const E2E_FORMATS: readonly E2eFormat[] = E2E_PARSERS.map((parser) => parser.format);

export function findE2eParser(format: E2eFormat): E2eParser {
  const parser = E2E_PARSERS.find((candidate) => candidate.format === format);
  if (!parser) throw new QgateError('USAGE', `unknown Cucumber report format "${format}"; use one of ${E2E_FORMATS.join(', ')}.`);
  return parser;
}

export function sniffE2eFormat(head: string): E2eParser | undefined {
  return E2E_PARSERS.find((parser) => parser.sniff(head));
}

/**
 * Opens, detects and parses one Cucumber report.
 * @param file the path as the user wrote it (for messages)
 * @param absolutePath where to read it
 */
export async function readE2eReport(file: string, absolutePath: string, format?: E2eFormat): Promise<E2eReport> {
  const opened = await openInput(file, absolutePath, format);
  const parser = format ? findE2eParser(format) : sniffE2eFormat(opened.head);
  if (!parser) {
    const start = JSON.stringify(opened.head.trimStart().slice(0, 40));
    throw new QgateError(
      'INPUT_UNKNOWN_FORMAT',
      `is not a Cucumber report qgate recognises (it starts with ${start}); supported: Cucumber JSON (--format json), Cucumber Messages NDJSON (--format message) and JUnit XML (--format junit).`,
      { file },
    );
  }
  return parser.parse(opened.chunks(), file);
}
