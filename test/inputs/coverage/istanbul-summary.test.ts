import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatError } from '../../../src/errors.js';
import { istanbulSummaryParser } from '../../../src/inputs/coverage/istanbul-summary.js';
import { istanbulParser } from '../../../src/inputs/coverage/istanbul.js';
import { lcovParser } from '../../../src/inputs/coverage/lcov.js';
import { openInput } from '../../../src/inputs/read-input.js';
import type { ParsedCoverageReport } from '../../../src/model/coverage.js';
import { chunksOf, describeBadFixtures, errorOf, type Counts } from './fixture-cases.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/coverage/', import.meta.url));
const GOLDEN = join(FIXTURES, 'istanbul-summary');
const FILE = 'coverage/coverage-summary.json';

interface GoldenExpectation {
  files: Record<string, Counts>;
  totals: Counts;
  producerTotals: Counts;
}

function parseJson(value: unknown): Promise<ParsedCoverageReport> {
  return istanbulSummaryParser.parse(chunksOf(JSON.stringify(value)), FILE);
}

async function parseFixture(path: string): Promise<ParsedCoverageReport> {
  const opened = await openInput(path);
  return istanbulSummaryParser.parse(opened.chunks(), path);
}

function block(total: number, covered: number, pct: number | string = total === 0 ? 100 : (100 * covered) / total) {
  return { total, covered, skipped: 0, pct };
}

function entry(total: number, covered: number) {
  return { lines: block(total, covered), statements: block(total, covered), functions: block(1, 1), branches: block(0, 0) };
}

function goldenCases(folder: string): { name: string; data: string; expected: string }[] {
  const names = readdirSync(folder);
  return names
    .filter((name) => name.endsWith('.expected.json'))
    .map((expected) => {
      const name = expected.slice(0, -'.expected.json'.length);
      const data = names.find(
        (candidate) => !candidate.endsWith('.expected.json') && !candidate.endsWith('.md') && candidate.replace(/\.[^.]+$/, '') === name,
      );
      if (data === undefined) throw new Error(`no data file for ${expected}`);
      return { name, data: join(folder, data), expected: join(folder, expected) };
    });
}

describe('istanbul json-summary golden fixtures (expected figures are the reporter’s own)', () => {
  const cases = goldenCases(GOLDEN);

  it('covers every real coverage-summary.json fixture in the folder', () => {
    expect(cases.length).toBe(3);
  });

  for (const { name, data, expected } of cases) {
    it(`parses ${name}`, async () => {
      const expectation = JSON.parse(readFileSync(expected, 'utf8')) as GoldenExpectation;
      const report = await parseFixture(data);
      expect(report.format).toBe('istanbul-summary');
      expect(report.files.every((file) => file.lines === null)).toBe(true);
      expect(Object.fromEntries(report.files.map((file) => [file.path, file.totals]))).toEqual(expectation.files);
      expect(report.files.map((file) => file.path)).not.toContain('total');
      expect(report.producerTotals).toEqual(expectation.producerTotals);
      expect(report.warnings).toEqual([
        'carries no line numbers: its files count for overall coverage but cannot measure coverage of new lines.',
      ]);
    });
  }

  it('agrees with the lcov of the same generated run (LF:13 LH:10), although its branchesTrue.pct is "Unknown"', async () => {
    const path = join(GOLDEN, 'vitest4-v8__coverage-summary.json');
    expect(readFileSync(path, 'utf8')).toContain('"pct":"Unknown"');
    const report = await parseFixture(path);
    expect(report.files).toEqual([{ path: '/builds/demo/inventory/src/stock.js', lines: null, totals: { covered: 10, total: 13 } }]);
    expect(report.producerTotals).toEqual({ covered: 10, total: 13 });
  });

  it('sniffs each summary as istanbul-summary, and neither istanbul nor lcov claims it', async () => {
    for (const { data } of cases) {
      const opened = await openInput(data);
      expect(istanbulSummaryParser.sniff(opened.head), data).toBe(true);
      expect(istanbulParser.sniff(opened.head), data).toBe(false);
      expect(lcovParser.sniff(opened.head), data).toBe(false);
    }
  });

  it('refuses every coverage-final.json fixture when sniffing', async () => {
    const folder = join(FIXTURES, 'istanbul');
    const finals = readdirSync(folder).filter((name) => name.endsWith('.json') && !name.endsWith('.expected.json'));
    expect(finals.length).toBeGreaterThan(0);
    for (const name of finals) {
      const opened = await openInput(join(folder, name));
      expect(istanbulSummaryParser.sniff(opened.head), name).toBe(false);
    }
  });
});

describe('istanbul json-summary entries', () => {
  it('reads pct "Unknown" and per-file zero totals', async () => {
    const report = await parseJson({
      total: { lines: block(0, 0, 'Unknown'), statements: block(0, 0, 'Unknown') },
      '/src/empty.ts': entry(0, 0),
    });
    expect(report.files).toEqual([{ path: '/src/empty.ts', lines: null, totals: { covered: 0, total: 0 } }]);
    expect(report.producerTotals).toEqual({ covered: 0, total: 0 });
  });

  it('uses the files when "total" disagrees with them, and says so', async () => {
    const report = await parseJson({ total: entry(10, 9), '/a.ts': entry(4, 3), '/b.ts': entry(4, 4) });
    expect(report.producerTotals).toEqual({ covered: 9, total: 10 });
    expect(report.warnings[0]).toBe('its "total" (9/10 lines) differs from the sum of its files (7/8); the files were used.');
  });

  it('accepts a summary without "total", with a warning and no producer totals', async () => {
    const report = await parseJson({ '/a.ts': entry(4, 3) });
    expect(report.producerTotals).toBeUndefined();
    expect(report.warnings[0]).toBe('has no "total" entry; overall figures are the sum of the files.');
  });

  const malformed: [string, unknown, RegExp][] = [
    ['an array', [entry(1, 1)], /^holds an array, not an istanbul coverage summary/],
    ['an entry without lines', { total: entry(1, 1), '/a.ts': { statements: block(1, 1) } }, /entry "\/a\.ts".*no "lines" object/],
    ['covered larger than total', { '/a.ts': entry(1, 2) }, /lines\.covered \(2\) is larger than lines\.total \(1\)/],
    ['a negative total', { '/a.ts': { lines: block(-1, 0) } }, /lines\.total is -1/],
    ['a fractional count', { '/a.ts': { lines: block(2, 1.5) } }, /lines\.covered is 1\.5/],
    ['a broken "total"', { total: { lines: 'all' } }, /entry "total".*no "lines" object/],
    [
      'a coverage-final.json',
      { '/a.js': { path: '/a.js', statementMap: {}, s: {}, fnMap: {}, branchMap: {}, f: {}, b: {} } },
      /this is a coverage-final\.json, read it as format istanbul/,
    ],
  ];
  for (const [title, document, message] of malformed) {
    it(`rejects ${title} with INPUT_MALFORMED`, async () => {
      const error = await errorOf(parseJson(document));
      expect(error.code).toBe('INPUT_MALFORMED');
      expect(error.file).toBe(FILE);
      expect(error.format).toBe('istanbul-summary');
      expect(error.message).toMatch(message);
    });
  }

  it('rejects malformed JSON with its position', async () => {
    const error = await errorOf(istanbulSummaryParser.parse(chunksOf('{"total": {"lines": {"total": 1,\n"covered"'), FILE));
    expect(error.code).toBe('INPUT_MALFORMED');
    expect(error.position).toEqual({ line: 2, column: 10 });
    expect(formatError(error)).toContain(`${FILE}:2:10 (istanbul-summary): `);
  });
});

describeBadFixtures('json-summary', 'istanbul-summary', istanbulSummaryParser, 1);

describe('istanbul json-summary sniffing', () => {
  it('accepts summary blocks and refuses everything else', () => {
    expect(istanbulSummaryParser.sniff('{"total": {"lines":{"total":121,"covered":118,"skipped":0,"pct":97.52}')).toBe(true);
    expect(istanbulSummaryParser.sniff('{\n  "/a.ts": {\n    "statements": { "total": 3')).toBe(true);
    expect(istanbulSummaryParser.sniff('{"/a.js": {"path":"/a.js","statementMap":{}}}')).toBe(false);
    expect(istanbulSummaryParser.sniff('[{"lines": {"total": 1}}]')).toBe(false);
    expect(istanbulSummaryParser.sniff('TN:\nSF:a.js\n')).toBe(false);
    expect(istanbulSummaryParser.sniff('{"files": {}, "schemaVersion": "1"}')).toBe(false);
  });
});
