/**
 * The mutation report formats qgate reads, behind one interface. Today that is one format,
 * mutation-testing-report-schema JSON, which every mainstream mutation tool writes (or has a
 * plugin for); a new format (PIT's mutations.xml, say) is one more row in MUTATION_PARSERS.
 */
import { QgateError } from '../../errors.js';
import type { MutationReport } from '../../model/mutation.js';
import { openInput } from '../read-input.js';
import type { MutationParser } from './parser.js';
import { MUTATION_REPORT_HINT, strykerReportParser } from './stryker-report.js';

export type { MutationParser };

export const MUTATION_PARSERS: readonly MutationParser[] = [strykerReportParser];

/** What a head that is not JSON looks like, for the message: the usual wrong files, named. */
function describeNonJson(head: string): string {
  const text = head.trimStart();
  if (/^<(?:\?xml[^>]*>\s*)?<mutations[\s>]/.test(text) || (/^<\?xml/.test(text) && /<mutations[\s>]/.test(text))) {
    return "PIT's mutations.xml; qgate reads mutation-testing-report-schema JSON, which PIT writes with pitest-mutation-testing-elements-plugin (outputFormats JSON)";
  }
  if (/^<(?:!doctype html|html)[\s>]/i.test(text)) {
    return 'an HTML page (the HTML report?); pass the JSON report instead: StrykerJS writes it with the `json` reporter to reports/mutation/mutation.json';
  }
  return `text starting with ${JSON.stringify(text.slice(0, 40))}; expected a JSON object`;
}

/**
 * Opens and parses one mutation report.
 * @param file the path as the user wrote it (for messages)
 * @param absolutePath where to read it
 */
export async function readMutationReport(file: string, absolutePath: string = file): Promise<MutationReport> {
  const opened = await openInput(file, absolutePath, strykerReportParser.format);
  // With one format, any JSON goes to its parser, which says precisely what a wrong document is
  // (a coverage map, a Cucumber array) and where a truncated one ends; sniffing would only be
  // needed to choose between formats. `schemaVersion` may come last (StrykerJS 9), so a head
  // without it proves nothing.
  const parser = MUTATION_PARSERS.find((candidate) => candidate.sniff(opened.head)) ?? strykerReportParser;
  const start = opened.head.trimStart()[0];
  if (start !== '{' && start !== '[') {
    throw new QgateError('INPUT_UNKNOWN_FORMAT', `is not a mutation testing report: it holds ${describeNonJson(opened.head)}.`, {
      file,
      format: parser.format,
      hint: MUTATION_REPORT_HINT,
    });
  }
  return parser.parse(opened.chunks(), file);
}
