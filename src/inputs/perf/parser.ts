/** The one interface every k6 output format implements; `registry.ts` lists them. */
import type { K6Format, K6Run } from '../../model/performance.js';

/** A statistic qgate will look at later (a tracked comparison), so a stream parser computes it. */
export interface WantedStat {
  metric: string;
  stat: string;
}

export interface K6ParseOptions {
  /**
   * What a broken line in an `--out json` stream does: `fail` (default) stops with
   * INPUT_MALFORMED naming the line; `skip` drops the line and counts it in the run's warnings.
   * The summary formats are single JSON documents and ignore this.
   */
  onBrokenLine?: 'fail' | 'skip';
  /**
   * Thresholds from qgate's config, by metric name (sub-metric selectors allowed). A stream
   * has no precomputed statistics, so its parser needs them up front to aggregate the
   * sub-metrics and percentiles they name.
   */
  extraThresholds?: Record<string, string[]>;
  /** Statistics compared against a baseline; same reason as `extraThresholds`. */
  wantedStats?: WantedStat[];
}

export interface K6Parser {
  format: K6Format;
  /** A human name for messages ("k6 --summary-export JSON"). */
  label: string;
  /** True when the first bytes of a file (BOM removed) look like this format. By content only, never by file name. */
  sniff(head: string): boolean;
  /**
   * Reads the whole output from text chunks. Pure: no file system, no env, no logging.
   * Throws QgateError (INPUT_MALFORMED) naming `file` and, where known, the line.
   */
  parse(chunks: AsyncIterable<string>, file: string, options?: K6ParseOptions): Promise<K6Run>;
}
