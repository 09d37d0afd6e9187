/**
 * Coverage as the parsers hand it over: per reported file, hits per line.
 * Paths are still as the producer wrote them; `src/inputs/coverage/resolve-paths.ts`
 * turns them into repository paths.
 */

export type CoverageFormat = 'lcov' | 'cobertura' | 'istanbul' | 'istanbul-summary' | 'clover';

/**
 * Hits per coverable line of one file: `lines` ascending without repeats (1-based line
 * numbers), `hits[i]` the hit count of `lines[i]`. A line absent is not coverable.
 * Typed arrays, not a Map: a monorepo report has millions of lines (see line-hits.ts).
 */
export interface LineHits {
  lines: Uint32Array;
  hits: Float64Array;
}

export interface ReportedFile {
  /** The path exactly as the report wrote it (after un-escaping the format's own quoting). */
  path: string;
  /**
   * Hits per coverable line. `null` for formats that carry only totals
   * (istanbul's coverage-summary.json): such a file counts for overall
   * coverage but cannot measure new lines.
   */
  lines: LineHits | null;
  /** Totals for formats without line data; ignored when `lines` is set (totals are recomputed from lines). */
  totals?: { covered: number; total: number };
}

export interface ParsedCoverageReport {
  format: CoverageFormat;
  /**
   * Directories the producer says paths are relative to (Cobertura `<sources>`),
   * in document order, exactly as written. Empty for other formats.
   */
  sourceRoots: string[];
  /**
   * One entry per distinct reported path. A path or line reported twice inside one report
   * is merged by the parser with the maximum of its hits (producers repeat records: Foundry
   * writes a DA per statement, node's runner an SF twice); hits add up only across reports.
   */
  files: ReportedFile[];
  /** The producer's own totals where the format has them (Cobertura root attributes, lcov LF/LH sums). Hints only. */
  producerTotals?: { covered: number; total: number };
  /** Non-fatal observations (e.g. "3 duplicate DA lines merged"). */
  warnings: string[];
}
