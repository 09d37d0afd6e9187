/** The one interface every coverage format implements; `registry.ts` lists them. */
import type { CoverageFormat, ParsedCoverageReport } from '../../model/coverage.js';

export interface CoverageParseOptions {
  /**
   * For a report too large to hold line by line: true for the reported paths whose lines must be
   * kept (they may be the MR's changed files); the others keep only their line totals, which
   * count for overall coverage. Absent: every file keeps its lines. Formats without a large-report
   * mode ignore it.
   */
  keepLines?: (reportedPath: string) => boolean;
}

export interface CoverageParser {
  format: CoverageFormat;
  /** A human name for messages ("Cobertura XML"). */
  label: string;
  /**
   * True when the first bytes of a file (BOM removed) look like this format.
   * Sniffing is by content only, never by file name.
   */
  sniff(head: string): boolean;
  /**
   * Reads the whole report from text chunks. Pure: no file system, no env, no logging.
   * Throws QgateError (INPUT_MALFORMED, INPUT_DTD_FORBIDDEN, ...) naming `file` and the position.
   */
  parse(chunks: AsyncIterable<string>, file: string, options?: CoverageParseOptions): Promise<ParsedCoverageReport>;
}
