/**
 * The coverage formats qgate reads, in sniffing order. Detection is by content, never by
 * file name: an explicit format wins, then the first parser whose `sniff` accepts the head.
 */
import { QgateError } from '../../errors.js';
import type { CoverageFormat, ParsedCoverageReport } from '../../model/coverage.js';
import { openInput } from '../read-input.js';
import { cloverParser } from './clover.js';
import { coberturaParser } from './cobertura.js';
import { istanbulSummaryParser } from './istanbul-summary.js';
import { istanbulParser } from './istanbul.js';
import { lcovParser } from './lcov.js';
import type { CoverageParseOptions, CoverageParser } from './parser.js';

// Clover before Cobertura: both have a <coverage> root, only Clover's carries `clover=`.
// The istanbul summary before the full istanbul JSON: both are objects of objects.
export const COVERAGE_PARSERS: readonly CoverageParser[] = [
  cloverParser,
  coberturaParser,
  istanbulSummaryParser,
  istanbulParser,
  lcovParser,
];

export const COVERAGE_FORMATS: readonly CoverageFormat[] = COVERAGE_PARSERS.map((parser) => parser.format);

export function findCoverageParser(format: CoverageFormat): CoverageParser {
  const parser = COVERAGE_PARSERS.find((candidate) => candidate.format === format);
  if (!parser) throw new QgateError('USAGE', `unknown coverage format "${format}"; use one of ${COVERAGE_FORMATS.join(', ')}.`);
  return parser;
}

export function sniffCoverageFormat(head: string): CoverageParser | undefined {
  return COVERAGE_PARSERS.find((parser) => parser.sniff(head));
}

/**
 * Opens, detects and parses one coverage report.
 * @param file the path as the user wrote it (for messages)
 * @param absolutePath where to read it
 */
export async function readCoverageReport(
  file: string,
  absolutePath: string,
  format?: CoverageFormat,
  options?: CoverageParseOptions,
): Promise<ParsedCoverageReport> {
  const opened = await openInput(file, absolutePath, format);
  const parser = format ? findCoverageParser(format) : sniffCoverageFormat(opened.head);
  if (!parser) {
    const start = JSON.stringify(opened.head.trimStart().slice(0, 40));
    throw new QgateError(
      'INPUT_UNKNOWN_FORMAT',
      `is not a coverage report qgate recognises (it starts with ${start}); supported: lcov, Cobertura XML, Clover XML, istanbul coverage-final.json and coverage-summary.json.`,
      { file },
    );
  }
  return parser.parse(opened.chunks(), file, options);
}
