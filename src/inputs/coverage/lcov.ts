/**
 * lcov tracefiles (`lcov.info`), as written by geninfo (lcov 1.x, 2.x), istanbul/jest/vitest,
 * node's test runner, coverage.py, gcovr, cargo-llvm-cov, coverlet, Dart/Flutter, Deno, Foundry,
 * solidity-coverage and others. Format reference: the geninfo(1) man page, "TRACEFILE FORMAT"
 * (https://github.com/linux-test-project/lcov/blob/master/man/geninfo.1).
 *
 * Only `DA` carries what qgate measures; every other record is recognised and skipped, so the
 * order producers write them in does not matter. The file is streamed and split into lines here,
 * with char-code checks on the hot `DA` path: a 2-million-line tracefile is common in monorepos.
 */
import { QgateError } from '../../errors.js';
import type { ParsedCoverageReport, ReportedFile } from '../../model/coverage.js';
import { forEachLine } from '../read-input.js';
import type { CoverageParseOptions, CoverageParser } from './parser.js';
import { countCovered, createLineHitsBuilder, isImpossibleHitCount, MAX_LINE_NUMBER, mergeLineHitsMax, type LineHitsBuilder } from './line-hits.js';
import { plural } from '../../text/plural.js';
import { detach } from '../../text/detach.js';

/**
 * Record types a real producer writes. All but `TN` belong inside `SF:` … `end_of_record`.
 * FNL/FNA: lcov 2.2 function records; MCDC/MCF/MCH: lcov 2.2+ MC/DC records; VER: source
 * version (gcovr, lcov 2).
 */
const KNOWN_RECORDS = new Set([
  'TN', 'SF', 'VER', 'FN', 'FNDA', 'FNF', 'FNH', 'FNL', 'FNA',
  'BRDA', 'BRF', 'BRH', 'MCDC', 'MCF', 'MCH', 'DA', 'LF', 'LH',
]);
const END_OF_RECORD = 'end_of_record';

const CHAR_0 = 48;
const CHAR_9 = 57;
const CHAR_COMMA = 44;
const CHAR_MINUS = 45;
const CHAR_COLON = 58;
const CHAR_SPACE = 32;
const CHAR_TAB = 9;
const CHAR_CR = 13;
const CHAR_D = 68;
const CHAR_A = 65;

interface OpenRecord {
  path: string;
  /** Line of the `SF:` record, for messages. */
  line: number;
  lines: LineHitsBuilder;
  lf: number | null;
  lh: number | null;
}

/** Parses an unsigned decimal integer in text[start, end); NaN when it is not one. */
function parseUnsigned(text: string, start: number, end: number): number {
  if (start >= end) return Number.NaN;
  let value = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < CHAR_0 || code > CHAR_9) return Number.NaN;
    value = value * 10 + (code - CHAR_0);
  }
  return value;
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code !== CHAR_SPACE && code !== CHAR_TAB) return false;
  }
  return true;
}

/** "1 record", "3 records". */

/** Quotes a piece of a line for a message, shortened; paths are never shortened. */
function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

/** The reading state of one tracefile; `take` is called once per line. */
function createLcovReader(file: string, options: CoverageParseOptions = {}) {
  const files = new Map<string, ReportedFile>();
  const keepLines = options.keepLines;
  let totalsOnly = 0;
  const scratch = createLineHitsBuilder();
  let record: OpenRecord | null = null;
  let producerCovered = 0;
  let producerTotal = 0;
  let sawProducerTotals = false;
  let duplicateLines = 0;
  let mergedRecords = 0;
  let firstMergedPath = '';
  let disagreeingSummaries = 0;
  let records = 0;
  let unknownLines = 0;
  let firstUnknown = '';
  let firstUnknownLine = 0;
  let clampedHits = 0;
  let lineZero = 0;
  let strayEnds = 0;
  let ignoredSummaries = 0;
  let knownRecords = 0;

  function malformed(sentence: string, line: number): QgateError {
    return new QgateError('INPUT_MALFORMED', sentence, { file, format: 'lcov', position: { line } });
  }

  function needRecord(tag: string, line: number): OpenRecord {
    if (record === null) {
      throw malformed(
        `has a ${tag} record outside any SF: … end_of_record block; every ${tag} must follow the SF: of the file it describes.`,
        line,
      );
    }
    return record;
  }

  function takeDataLine(text: string, start: number, end: number, line: number, lastLine: boolean): void {
    const open = needRecord('DA', line);
    // DA:<line>,<hits>[,<checksum>] — the checksum (gcovr, geninfo --checksum, coverage.py 6)
    // is an MD5 of the source line and is ignored.
    let comma = start;
    while (comma < end && text.charCodeAt(comma) !== CHAR_COMMA) comma++;
    let hitsEnd = comma + 1;
    while (hitsEnd < end && text.charCodeAt(hitsEnd) !== CHAR_COMMA) hitsEnd++;
    let trimmedEnd = hitsEnd;
    while (trimmedEnd > comma + 1 && (text.charCodeAt(trimmedEnd - 1) === CHAR_SPACE || text.charCodeAt(trimmedEnd - 1) === CHAR_TAB)) {
      trimmedEnd--;
    }
    const lineNumber = parseUnsigned(text, start, comma);
    const hits = comma < end ? parseUnsigned(text, comma + 1, trimmedEnd) : Number.NaN;
    if (!Number.isSafeInteger(lineNumber) || lineNumber > MAX_LINE_NUMBER || Number.isNaN(hits)) {
      const raw = text.slice(start - 3, end);
      const negative = text.charCodeAt(comma + 1) === CHAR_MINUS && !Number.isNaN(parseUnsigned(text, comma + 2, trimmedEnd));
      if (Number.isSafeInteger(lineNumber) && lineNumber <= MAX_LINE_NUMBER && negative) {
        throw malformed(`has a negative hit count in ${quote(raw)}; DA hit counts are never negative.`, line);
      }
      const truncated = lastLine ? ' It is the last line and has no line break: the file looks truncated.' : '';
      throw malformed(`has a malformed DA record ${quote(raw)}; expected DA:<line>,<hits> with whole numbers.${truncated}`, line);
    }
    if (isImpossibleHitCount(hits)) {
      throw malformed(`has the hit count ${quote(text.slice(comma + 1, trimmedEnd))} in a DA record; hit counts above 2^64 are not counts any producer writes.`, line);
    }
    let capped = hits;
    if (capped > Number.MAX_SAFE_INTEGER) {
      // Seen in the wild: DA:13,18446744073709551615 (2^64-1, an unsigned -1 written by a
      // Bun/esbuild-style producer, coverallsapp/coverage-reporter spec/fixtures/lcov/test.lcov).
      // The producer itself counts that line as covered (LH), so keep it covered.
      capped = Number.MAX_SAFE_INTEGER;
      clampedHits++;
    }
    if (lineNumber === 0) {
      lineZero++;
      return;
    }
    // Foundry writes one DA per statement on a line (DA:17,0 three times); coverlet writes
    // DA:6,0 then DA:6,1 for one line. The builder counts the line once, with its highest count.
    open.lines.add(lineNumber, capped);
  }

  function closeRecord(open: OpenRecord): void {
    records++;
    // A large report keeps only totals for a file the MR did not change: counted in the builder, no arrays made.
    const onlyTotals = keepLines !== undefined && !keepLines(open.path);
    const lines = onlyTotals ? null : open.lines.build();
    const { covered, total } = lines === null ? open.lines.totals() : { covered: countCovered(lines), total: lines.lines.length };
    duplicateLines += open.lines.added - total;
    open.lines.reset();
    // LF/LH are the producer's claim; they lie (cargo-llvm-cov counts lines without a DA,
    // coverlet counts duplicate DA lines), so they only feed producerTotals and a warning.
    if ((open.lf !== null && open.lf !== total) || (open.lh !== null && open.lh !== covered)) {
      disagreeingSummaries++;
    }
    if (open.lf !== null) producerTotal += open.lf;
    if (open.lh !== null) producerCovered += open.lh;
    const existing = files.get(open.path);
    if (lines === null) {
      // One record's lines at a time in memory. A repeated record keeps the larger total.
      const totals = { covered, total };
      if (existing === undefined) {
        totalsOnly++;
        files.set(open.path, { path: open.path, lines: null, totals });
      } else if (existing.lines === null && (existing.totals?.total ?? 0) < totals.total) {
        existing.totals = totals;
      }
      return;
    }
    if (existing === undefined || existing.lines === null) {
      files.set(open.path, { path: open.path, lines });
      return;
    }
    // node's test runner writes the same SF in two records; lcov's own merge (lcov -a) would add
    // them, but inside ONE report both records describe the same run, so take the maximum.
    mergedRecords++;
    if (firstMergedPath === '') firstMergedPath = open.path;
    existing.lines = mergeLineHitsMax(existing.lines, lines);
  }

  function takeSummary(tag: 'LF' | 'LH', text: string, start: number, end: number, line: number): void {
    const open = needRecord(tag, line);
    let valueEnd = end;
    while (valueEnd > start && (text.charCodeAt(valueEnd - 1) === CHAR_SPACE || text.charCodeAt(valueEnd - 1) === CHAR_TAB)) valueEnd--;
    const value = parseUnsigned(text, start, valueEnd);
    if (!Number.isSafeInteger(value)) {
      ignoredSummaries++;
      return;
    }
    sawProducerTotals = true;
    if (tag === 'LF') open.lf = value;
    else open.lh = value;
  }

  /** Reads one line, text[start, end) without its line break. */
  function take(text: string, start: number, end: number, line: number, lastLine: boolean): void {
    if (end > start && text.charCodeAt(end - 1) === CHAR_CR) end--;
    // Hot path: DA is 90% of a tracefile.
    if (
      text.charCodeAt(start) === CHAR_D &&
      text.charCodeAt(start + 1) === CHAR_A &&
      text.charCodeAt(start + 2) === CHAR_COLON
    ) {
      takeDataLine(text, start + 3, end, line, lastLine);
      return;
    }
    while (start < end && (text.charCodeAt(start) === CHAR_SPACE || text.charCodeAt(start) === CHAR_TAB)) start++;
    if (start === end) return;
    const colon = text.indexOf(':', start);
    const hasColon = colon !== -1 && colon < end;
    // `end_of_record ` with trailing blanks still ends the record; values (SF paths) stay untouched.
    const tag = hasColon ? text.slice(start, colon) : text.slice(start, end).trimEnd();
    const valueStart = hasColon ? colon + 1 : end;
    switch (tag) {
      case 'DA':
        takeDataLine(text, valueStart, end, line, lastLine);
        return;
      case 'SF': {
        if (record !== null) {
          throw malformed(
            `starts the record for SF ${JSON.stringify(text.slice(valueStart, end))} before the record for ${JSON.stringify(record.path)} (line ${record.line}) was closed with end_of_record; the file looks truncated or concatenated.`,
            line,
          );
        }
        // Kept exactly as written (Windows separators, spaces, drive letters, `dist/<define:DATA>`):
        // resolve-paths.ts turns it into a repository path.
        // Detached: a slice would keep the whole chunk it was cut from alive for the run.
        const path = detach(text.slice(valueStart, end));
        if (isBlank(path, 0, path.length)) throw malformed('has an SF record without a path.', line);
        // One record is open at a time, so one builder serves them all.
        record = { path, line, lines: scratch, lf: null, lh: null };
        return;
      }
      case END_OF_RECORD:
        if (record === null) {
          strayEnds++;
          return;
        }
        closeRecord(record);
        record = null;
        return;
      case 'LF':
      case 'LH':
        takeSummary(tag, text, valueStart, end, line);
        return;
      case 'TN':
        knownRecords++;
        return;
      default:
        if (KNOWN_RECORDS.has(tag) && hasColon) {
          needRecord(tag, line);
          knownRecords++;
          return;
        }
        // Producers add records of their own; geninfo itself skips what it does not know.
        unknownLines++;
        if (unknownLines === 1) {
          firstUnknown = tag;
          firstUnknownLine = line;
        }
    }
  }

  function finish(lastLineNumber: number, endsWithLineBreak: boolean): ParsedCoverageReport {
    if (record !== null) {
      const cut = endsWithLineBreak ? '' : ' in the middle of a line';
      throw malformed(
        `ends${cut} inside the record for SF ${JSON.stringify(record.path)} (opened at line ${record.line}) without its end_of_record; the file looks truncated.`,
        Math.max(lastLineNumber, 1),
      );
    }
    if (knownRecords === 0 && records === 0 && unknownLines > 0) {
      // Not a tracefile at all (a JSON or XML report read as lcov): no data must not look like an empty report.
      throw malformed(
        `has no lcov records (its first line starts with ${quote(firstUnknown)}); it is not an lcov tracefile.`,
        firstUnknownLine,
      );
    }
    const warnings: string[] = [];
    if (duplicateLines > 0) {
      warnings.push(`${plural(duplicateLines, 'duplicate DA line')} for an already reported line merged (highest hit count kept).`);
    }
    if (mergedRecords > 0) {
      warnings.push(
        `${plural(mergedRecords, 'record')} repeated an SF path already reported (first ${JSON.stringify(firstMergedPath)}); merged with the highest hit count per line.`,
      );
    }
    if (disagreeingSummaries > 0) {
      warnings.push(`LF/LH disagree with the DA lines in ${disagreeingSummaries} of ${plural(records, 'record')}; line totals were recomputed from DA.`);
    }
    if (ignoredSummaries > 0) warnings.push(`${plural(ignoredSummaries, 'LF/LH record')} without a whole number ignored.`);
    if (clampedHits > 0) warnings.push(`${plural(clampedHits, 'DA hit count')} above ${Number.MAX_SAFE_INTEGER} capped to that value.`);
    if (lineZero > 0) warnings.push(`${plural(lineZero, 'DA record')} for line 0 ignored (lines start at 1).`);
    if (strayEnds > 0) warnings.push(`${plural(strayEnds, 'end_of_record line')} without an open SF record ignored.`);
    if (unknownLines > 0) {
      warnings.push(`${plural(unknownLines, 'line')} with an unknown lcov record type ignored (first ${quote(firstUnknown)} at line ${firstUnknownLine}).`);
    }
    if (totalsOnly > 0) {
      warnings.push(`large report: ${plural(totalsOnly, 'file')} the merge request did not change kept as line totals only (they count for overall coverage; their lines are not in cobertura.xml).`);
    }
    return {
      format: 'lcov',
      sourceRoots: [],
      files: [...files.values()],
      ...(sawProducerTotals ? { producerTotals: { covered: producerCovered, total: producerTotal } } : {}),
      warnings,
    };
  }

  return { take, finish };
}

async function parseLcov(chunks: AsyncIterable<string>, file: string, options?: CoverageParseOptions): Promise<ParsedCoverageReport> {
  const reader = createLcovReader(file, options);
  // An empty line reaches take(), which skips it.
  const { lines, endsWithLineBreak } = await forEachLine(chunks, reader.take);
  return reader.finish(lines, endsWithLineBreak);
}

/** True when the first non-empty lines are lcov records (`TN:`, `SF:`, `DA:`, ...). */
function sniffLcov(head: string): boolean {
  const lines = head.split('\n', 8);
  // The last piece may be cut by the head limit; judge it only when it is the only one.
  const complete = lines.length > 1 && !head.endsWith('\n') ? lines.slice(0, -1) : lines;
  let seen = 0;
  for (const raw of complete) {
    const line = raw.trim();
    if (line.length === 0) continue;
    const colon = line.indexOf(':');
    const tag = colon === -1 ? line : line.slice(0, colon);
    if (seen === 0 && !(KNOWN_RECORDS.has(tag) && colon !== -1)) return false;
    if (seen > 0 && tag !== END_OF_RECORD && !(colon !== -1 && /^[A-Z]{2,5}$/.test(tag))) return false;
    seen++;
  }
  return seen > 0;
}

export const lcovParser: CoverageParser = {
  format: 'lcov',
  label: 'lcov tracefile',
  sniff: sniffLcov,
  parse: parseLcov,
};
