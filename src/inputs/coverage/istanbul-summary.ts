/**
 * istanbul's json-summary reporter (`coverage-summary.json`, jest/vitest/nyc
 * `--coverageReporters=json-summary`): `{ "total": {...}, "<file path>": {...} }`, each entry with
 * `lines`, `statements`, `functions`, `branches` (and `branchesTrue` in istanbul-lib-coverage 3.2+),
 * each `{ total, covered, skipped, pct }`
 * (https://github.com/istanbuljs/istanbuljs/blob/main/packages/istanbul-reports/lib/json-summary/index.js).
 *
 * It has no line numbers: each file contributes its `lines` totals to overall coverage and
 * nothing to new-code coverage (`lines: null`).
 */
import { QgateError } from '../../errors.js';
import type { ParsedCoverageReport, ReportedFile } from '../../model/coverage.js';
import { describeJsonValue, isJsonObject, quoteKey, readJsonDocument } from '../json-document.js';
import type { CoverageParser } from './parser.js';

/** The reporter's key for the whole-run figures; every other key is a file path. */
const TOTAL_KEY = 'total';

/** A line count past 2^53 is not one any project has, and would be summed and printed inexactly. */
function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** The entry's line totals, or why they cannot be read. `pct` is never read: it is "Unknown" when total is 0. */
function readLineTotals(value: unknown): { covered: number; total: number } | string {
  if (!isJsonObject(value)) return `its value is ${describeJsonValue(value)}, not a summary object`;
  const lines = value.lines;
  if (!isJsonObject(lines)) {
    if (isJsonObject(value.statementMap)) {
      return 'it holds statement maps; this is a coverage-final.json, read it as format istanbul';
    }
    return 'it has no "lines" object';
  }
  if (!isCount(lines.total)) return `its lines.total is ${describeJsonValue(lines.total)}; expected a whole number from 0 to ${Number.MAX_SAFE_INTEGER}`;
  if (!isCount(lines.covered)) return `its lines.covered is ${describeJsonValue(lines.covered)}; expected a whole number from 0 to ${Number.MAX_SAFE_INTEGER}`;
  if (lines.covered > lines.total) return `its lines.covered (${lines.covered}) is larger than lines.total (${lines.total})`;
  return { covered: lines.covered, total: lines.total };
}

async function parseIstanbulSummary(chunks: AsyncIterable<string>, file: string): Promise<ParsedCoverageReport> {
  const root = await readJsonDocument(chunks, file, 'istanbul-summary');
  const malformed = (sentence: string): QgateError =>
    new QgateError('INPUT_MALFORMED', sentence, { file, format: 'istanbul-summary' });
  if (!isJsonObject(root)) {
    throw malformed(`holds ${describeJsonValue(root)}, not an istanbul coverage summary (an object keyed by file path).`);
  }
  const files: ReportedFile[] = [];
  let producerTotals: { covered: number; total: number } | undefined;
  let covered = 0;
  let total = 0;
  for (const [key, value] of Object.entries(root)) {
    const totals = readLineTotals(value);
    if (typeof totals === 'string') {
      throw malformed(`has the entry ${quoteKey(key)}, which is not an istanbul summary entry: ${totals}.`);
    }
    if (key === TOTAL_KEY) {
      producerTotals = totals;
      continue;
    }
    covered += totals.covered;
    total += totals.total;
    if (!Number.isSafeInteger(total)) {
      throw malformed(`has files whose lines add up to more than ${Number.MAX_SAFE_INTEGER} (at the entry ${quoteKey(key)}); no real project has that many lines.`);
    }
    files.push({ path: key, lines: null, totals });
  }
  const warnings: string[] = [];
  if (producerTotals === undefined) {
    warnings.push('has no "total" entry; overall figures are the sum of the files.');
  } else if (producerTotals.covered !== covered || producerTotals.total !== total) {
    warnings.push(
      `its "total" (${producerTotals.covered}/${producerTotals.total} lines) differs from the sum of its files (${covered}/${total}); the files were used.`,
    );
  }
  if (files.length > 0) {
    warnings.push('carries no line numbers: its files count for overall coverage but cannot measure coverage of new lines.');
  }
  return {
    format: 'istanbul-summary',
    sourceRoots: [],
    files,
    ...(producerTotals !== undefined ? { producerTotals } : {}),
    warnings,
  };
}

/**
 * An object with summary blocks (`"lines": {"total": ...}`) and no FileCoverage maps: both this
 * and coverage-final.json are objects of objects, so the content decides.
 */
function sniffIstanbulSummary(head: string): boolean {
  const text = head.trimStart();
  if (!text.startsWith('{') || /"statementMap"\s*:/.test(text)) return false;
  return /"(?:lines|statements)"\s*:\s*\{\s*"total"\s*:/.test(text);
}

export const istanbulSummaryParser: CoverageParser = {
  format: 'istanbul-summary',
  label: 'istanbul coverage-summary.json',
  sniff: sniffIstanbulSummary,
  parse: parseIstanbulSummary,
};
