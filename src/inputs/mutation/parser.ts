import type { MutationReport } from '../../model/mutation.js';

/** The one interface every mutation report format implements. */
export interface MutationParser {
  /** The format id, shown in messages. */
  format: string;
  /** A human name for messages. */
  label: string;
  /** True when the first bytes of a file (BOM removed) look like this format; by content, never by file name. */
  sniff(head: string): boolean;
  /**
   * Reads the whole report from text chunks. Pure: no file system, no env, no logging.
   * Throws QgateError (INPUT_MALFORMED, INPUT_UNKNOWN_FORMAT) naming `file` and, where known, the position.
   */
  parse(chunks: AsyncIterable<string>, file: string): Promise<MutationReport>;
}
