/**
 * The k6 output formats qgate reads, in sniffing order. Detection is by content, never by file
 * name (every k6 output is a `.json`): an explicit format wins, then the first parser whose
 * `sniff` accepts the head of the file.
 */
import { QgateError } from '../../errors.js';
import type { K6Format, K6Run } from '../../model/performance.js';
import { openInput } from '../read-input.js';
import { k6HandleSummaryParser } from './k6-handle-summary.js';
import { k6MachineReadableParser } from './k6-machine-readable.js';
import { k6NdjsonParser } from './k6-ndjson.js';
import { k6SummaryExportParser } from './k6-summary-export.js';
import type { K6ParseOptions, K6Parser } from './parser.js';

// NDJSON first: its first line is a complete object, which the document sniffers would also
// like. The machine-readable summary before handleSummary: both have typed metrics with
// "values", only the former has metadata.k6Version. handleSummary before --summary-export:
// the latter is recognised by what it lacks.
export const K6_PARSERS: readonly K6Parser[] = [k6NdjsonParser, k6MachineReadableParser, k6HandleSummaryParser, k6SummaryExportParser];

export const K6_FORMATS: readonly K6Format[] = K6_PARSERS.map((parser) => parser.format);

export function findK6Parser(format: K6Format): K6Parser {
  const parser = K6_PARSERS.find((candidate) => candidate.format === format);
  if (!parser) throw new QgateError('USAGE', `unknown k6 format "${format}"; use one of ${K6_FORMATS.join(', ')}.`);
  return parser;
}

export function sniffK6Format(head: string): K6Parser | undefined {
  return K6_PARSERS.find((parser) => parser.sniff(head));
}

/**
 * Opens, detects and parses one k6 output (a run or a baseline).
 * @param file the path as the user wrote it (for messages)
 * @param absolutePath where to read it
 * @param format forces the format instead of sniffing
 * @param options broken-line policy for streams, and what the config will ask of the run
 */
export async function readK6Run(file: string, absolutePath: string, format?: K6Format, options: K6ParseOptions = {}): Promise<K6Run> {
  let opened;
  try {
    opened = await openInput(file, absolutePath, format);
  } catch (error) {
    // The shared hint names coverage formats; for k6 the usual cause is `--out json=results.gz`.
    if (error instanceof QgateError && error.code === 'INPUT_BINARY') {
      throw new QgateError('INPUT_BINARY', error.message, {
        file,
        format,
        hint: 'Pass the k6 JSON itself: `--out json=results.gz` writes gzip, so decompress it first (gunzip) or write `--out json=results.json`.',
      });
    }
    throw error;
  }
  const parser = format ? findK6Parser(format) : sniffK6Format(opened.head);
  if (!parser) {
    const start = JSON.stringify(opened.head.trimStart().slice(0, 40));
    throw new QgateError(
      'INPUT_UNKNOWN_FORMAT',
      `is not a k6 result qgate recognises (it starts with ${start}); supported: k6 --summary-export JSON, handleSummary JSON, the machine-readable summary (k6 ≥ 1.5) and --out json NDJSON.`,
      { file },
    );
  }
  return parser.parse(opened.chunks(), file, options);
}
