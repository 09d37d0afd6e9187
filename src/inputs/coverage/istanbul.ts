/**
 * istanbul's `coverage-final.json` (json reporter) and nyc's raw `.nyc_output/out.json`: an object
 * keyed by file path whose values are FileCoverage objects
 * (https://github.com/istanbuljs/istanbuljs/blob/main/docs/raw-output.md). Written by
 * babel-plugin-istanbul (jest, nyc, cypress), v8-to-istanbul (vitest 3), ast-v8-to-istanbul
 * (vitest 4) and solidity-coverage.
 *
 * JSON has to be read whole; the text is gathered from the chunks and parsed once. Line hits come
 * from istanbul-lib-coverage's `getLineCoverage()` — the statement-start-line rule istanbul's own
 * lcov and Cobertura reporters use — so qgate counts exactly what those reports would say.
 */
import libCoverage from 'istanbul-lib-coverage';
import type { FileCoverageData } from 'istanbul-lib-coverage';
import { QgateError } from '../../errors.js';
import type { LineHits, ParsedCoverageReport, ReportedFile } from '../../model/coverage.js';
import { cappedHitsWarning, capHitCounts, createLineHitsBuilder, isImpossibleHitCount, MAX_LINE_NUMBER, mergeLineHitsMax } from './line-hits.js';
import type { CoverageParser } from './parser.js';

import { describeJsonValue, isJsonObject, quoteKey, readJsonDocument, type JsonObject } from '../json-document.js';
import { plural } from '../../text/plural.js';

/** Why a value is not a FileCoverage object qgate can read, or null when it is. */
function describeFileCoverageProblem(value: unknown): string | null {
  if (!isJsonObject(value)) return `its value is ${describeJsonValue(value)}, not a file coverage object`;
  if (!isJsonObject(value.statementMap) || !isJsonObject(value.s)) {
    if (isJsonObject(value.lines) && 'pct' in value.lines) {
      return 'it holds summary figures (lines.pct); this is a coverage-summary.json, read it as format istanbul-summary';
    }
    return 'it has no "statementMap" and "s" objects';
  }
  for (const key of ['fnMap', 'branchMap', 'f', 'b'] as const) {
    if (key in value && !isJsonObject(value[key])) return `its "${key}" is ${describeJsonValue(value[key])}, not an object`;
  }
  if ('path' in value && (typeof value.path !== 'string' || value.path.trim() === '')) {
    return `its "path" is ${describeJsonValue(value.path)}, not a file path`;
  }
  const statementMap = value.statementMap;
  for (const [id, count] of Object.entries(value.s)) {
    if (typeof count !== 'number' || isImpossibleHitCount(count) || count < 0) {
      return `statement "${id}" has the hit count ${describeJsonValue(count)}; expected a number of 0 or more (at most 2^64)`;
    }
    const location = statementMap[id];
    // A hit without a location is skipped by istanbul itself (getLineCoverage).
    if (location === undefined) continue;
    const start = isJsonObject(location) ? location.start : undefined;
    const line = isJsonObject(start) ? start.line : undefined;
    if (typeof line !== 'number' || !Number.isInteger(line) || line < 0) {
      return `statement "${id}" has no whole-number start line in "statementMap"`;
    }
    if (line > MAX_LINE_NUMBER) {
      return `statement "${id}" has the start line ${describeJsonValue(line)} in "statementMap"; expected a whole number from 0 to ${MAX_LINE_NUMBER}`;
    }
  }
  if ('l' in value) {
    if (!isJsonObject(value.l)) return `its "l" is ${describeJsonValue(value.l)}, not an object`;
    for (const [line, count] of Object.entries(value.l)) {
      if (!/^\d+$/.test(line)) return `its "l" has the line key ${quoteKey(line)}; expected a line number`;
      if (typeof count !== 'number' || isImpossibleHitCount(count) || count < 0) {
        return `line ${line} in "l" has the hit count ${describeJsonValue(count)}; expected a number of 0 or more`;
      }
    }
  }
  return null;
}

function toLineHits(byLine: Record<string, number>): { lines: LineHits; lineZero: number; badLine: string | null } {
  const builder = createLineHitsBuilder();
  let lineZero = 0;
  for (const [key, hits] of Object.entries(byLine)) {
    const line = Number(key);
    if (line === 0) {
      lineZero++;
      continue;
    }
    if (!Number.isInteger(line) || line < 0 || line > MAX_LINE_NUMBER) return { lines: builder.build(), lineZero, badLine: key };
    builder.add(line, hits);
  }
  return { lines: builder.build(), lineZero, badLine: null };
}

async function parseIstanbul(chunks: AsyncIterable<string>, file: string): Promise<ParsedCoverageReport> {
  const root = await readJsonDocument(chunks, file, 'istanbul');
  const malformed = (sentence: string): QgateError => new QgateError('INPUT_MALFORMED', sentence, { file, format: 'istanbul' });
  if (!isJsonObject(root)) {
    throw malformed(`holds ${describeJsonValue(root)}, not an istanbul coverage map (an object keyed by file path).`);
  }
  // Validated before istanbul-lib-coverage sees it: the library assumes well-formed data and would
  // otherwise fail with a bare TypeError deep inside getLineCoverage().
  const source: Record<string, FileCoverageData> = Object.create(null) as Record<string, FileCoverageData>;
  const reportedPaths = new Map<string, string>();
  const lineMaps = new Map<string, JsonObject>();
  for (const [key, value] of Object.entries(root)) {
    const problem = describeFileCoverageProblem(value);
    if (problem !== null || !isJsonObject(value)) {
      throw malformed(`has the entry ${quoteKey(key)}, which is not istanbul file coverage: ${problem ?? 'not an object'}.`);
    }
    // The key and `path` usually agree. solidity-coverage 0.7 keys by the project-relative path
    // (`contracts\FundMe.sol`) but sets `path` to the absolute one; istanbul's own reporters print
    // `path` (lcov SF:, Cobertura filename), and so does the lcov.info of the same run. Use `path`,
    // and fall back to the key for a producer that leaves it out.
    const path = typeof value.path === 'string' ? value.path : key;
    reportedPaths.set(key, path);
    if (isJsonObject(value.l)) lineMaps.set(key, value.l);
    source[key] = {
      path,
      statementMap: value.statementMap,
      fnMap: value.fnMap ?? {},
      branchMap: value.branchMap ?? {},
      s: value.s,
      f: value.f ?? {},
      b: value.b ?? {},
    } as FileCoverageData;
  }

  const files = new Map<string, ReportedFile & { lines: LineHits }>();
  let mergedKeys = 0;
  let lineZero = 0;
  let fromLineMaps = 0;
  let key = '';
  try {
    const map = libCoverage.createCoverageMap(source);
    for (const [entryKey, path] of reportedPaths) {
      key = entryKey;
      // solidity-coverage writes its own per-line hits in `l` (its instrumenter marks runnable
      // lines, e.g. a modifier's `_;`, that are no statement) and its reporter, sc-istanbul 0.4,
      // writes lcov DA from `l`. Prefer it so this file and that lcov.info agree.
      const explicit = lineMaps.get(key);
      if (explicit !== undefined) fromLineMaps++;
      const byLine = (explicit as Record<string, number> | undefined) ?? map.fileCoverageFor(key).getLineCoverage();
      const converted = toLineHits(byLine);
      if (converted.badLine !== null) {
        throw malformed(`has the entry ${quoteKey(key)} with line ${quoteKey(converted.badLine)}, which is not a line number from 1 to ${MAX_LINE_NUMBER}.`);
      }
      lineZero += converted.lineZero;
      const existing = files.get(path);
      if (existing === undefined) {
        files.set(path, { path, lines: converted.lines });
        continue;
      }
      mergedKeys++;
      existing.lines = mergeLineHitsMax(existing.lines, converted.lines);
    }
  } catch (error) {
    if (error instanceof QgateError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw malformed(`has the entry ${quoteKey(key)}, which istanbul-lib-coverage cannot read (${reason}).`);
  }

  let capped = 0;
  for (const reported of files.values()) capped += capHitCounts(reported.lines);
  const warnings: string[] = [];
  if (capped > 0) warnings.push(cappedHitsWarning(capped, 'hit count'));
  if (mergedKeys > 0) {
    warnings.push(`${plural(mergedKeys, 'entry', 'entries')} named a file already reported under another key; merged with the highest hit count per line.`);
  }
  if (fromLineMaps > 0) {
    warnings.push(`${plural(fromLineMaps, 'entry', 'entries')} carry their own line hits ("l", solidity-coverage); those were used instead of statement start lines.`);
  }
  if (lineZero > 0) warnings.push(`${plural(lineZero, 'line hit', 'line hits')} for line 0 ignored (lines start at 1).`);
  return { format: 'istanbul', sourceRoots: [], files: [...files.values()], warnings };
}

/** An object whose first entry carries FileCoverage maps. */
function sniffIstanbul(head: string): boolean {
  const text = head.trimStart();
  return text.startsWith('{') && /"(?:statementMap|fnMap|branchMap)"\s*:/.test(text);
}

export const istanbulParser: CoverageParser = {
  format: 'istanbul',
  label: 'istanbul coverage-final.json',
  sniff: sniffIstanbul,
  parse: parseIstanbul,
};
