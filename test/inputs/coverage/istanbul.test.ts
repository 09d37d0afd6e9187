import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatError, isQgateError, type QgateError } from '../../../src/errors.js';
import { istanbulParser } from '../../../src/inputs/coverage/istanbul.js';
import { findJsonSyntaxError } from '../../../src/inputs/json-document.js';
import { istanbulSummaryParser } from '../../../src/inputs/coverage/istanbul-summary.js';
import { lcovParser } from '../../../src/inputs/coverage/lcov.js';
import { openInput } from '../../../src/inputs/read-input.js';
import type { ParsedCoverageReport } from '../../../src/model/coverage.js';
import { hitsAt, lineHitsEntries, lineHitsOf } from '../../../src/inputs/coverage/line-hits.js';
import { chunksOf, countsOf, describeBadFixtures, type Counts } from './fixture-cases.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/coverage/', import.meta.url));
const GOLDEN = join(FIXTURES, 'istanbul');
const LCOV = join(FIXTURES, 'lcov');
const FILE = 'coverage/coverage-final.json';

interface GoldenExpectation {
  files: Record<string, Counts>;
  totals: Counts;
}

function parseText(text: string, size?: number): Promise<ParsedCoverageReport> {
  return istanbulParser.parse(chunksOf(text, size), FILE);
}

function parseJson(value: unknown): Promise<ParsedCoverageReport> {
  return parseText(JSON.stringify(value));
}

async function parseFixture(path: string, parser = istanbulParser): Promise<ParsedCoverageReport> {
  const opened = await openInput(path);
  return parser.parse(opened.chunks(), path);
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
}

async function parseError(text: string): Promise<QgateError> {
  const error = await errorOf(parseText(text));
  if (!isQgateError(error)) throw new Error(`expected a QgateError, got ${String(error)}`);
  return error;
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

/** A minimal valid FileCoverage with statements starting on the given lines. */
function fileCoverage(path: string | undefined, statements: [line: number, hits: number][]): Record<string, unknown> {
  const statementMap: Record<string, unknown> = {};
  const s: Record<string, number> = {};
  statements.forEach(([line, hits], index) => {
    statementMap[String(index)] = { start: { line, column: 0 }, end: { line, column: null } };
    s[String(index)] = hits;
  });
  return { ...(path === undefined ? {} : { path }), statementMap, fnMap: {}, branchMap: {}, s, f: {}, b: {} };
}

describe('istanbul golden fixtures (expected figures from the same run’s lcov/Cobertura, or istanbul’s rule)', () => {
  const cases = goldenCases(GOLDEN);

  it('covers every real coverage-final.json fixture in the folder', () => {
    expect(cases.length).toBe(8);
  });

  for (const { name, data, expected } of cases) {
    it(`parses ${name}`, async () => {
      const expectation = JSON.parse(readFileSync(expected, 'utf8')) as GoldenExpectation;
      const report = await parseFixture(data);
      expect(report.format).toBe('istanbul');
      expect(report.producerTotals).toBeUndefined();
      const wanted = Object.fromEntries(
        Object.entries(expectation.files).map(([path, entry]) => [path, { covered: entry.covered, total: entry.total }]),
      );
      expect(countsOf(report)).toEqual(wanted);
      const counts = Object.values(countsOf(report));
      expect({
        covered: counts.reduce((sum, entry) => sum + entry.covered, 0),
        total: counts.reduce((sum, entry) => sum + entry.total, 0),
      }).toEqual(expectation.totals);
    });
  }

  it('sniffs every coverage-final.json fixture as istanbul, and the summary parser refuses each', async () => {
    for (const { data } of cases) {
      const opened = await openInput(data);
      expect(istanbulParser.sniff(opened.head), data).toBe(true);
      expect(istanbulSummaryParser.sniff(opened.head), data).toBe(false);
      expect(lcovParser.sniff(opened.head), data).toBe(false);
    }
  });
});

describe('istanbul and lcov of the same run agree line by line', () => {
  const pairs: [json: string, lcov: string][] = [
    ['vitest4-v8__coverage-final.json', 'vitest4-v8__lcov.info'],
    ['jest-tsjest__0xPolycode_klaster-sdk__coverage-final.json', 'jest-tsjest__0xPolycode_klaster-sdk__lcov.info'],
    ['jest__0xmohitsen_Unit_Testing_Jest_Demo__coverage-final.json', 'jest__0xmohitsen_Unit_Testing_Jest_Demo__lcov.info'],
    ['solidity-coverage__0xSunday_hardhat-fundme__coverage-final.json', 'solidity-coverage__0xSunday_hardhat-fundme__lcov.info'],
  ];
  const normalise = (path: string): string => path.replace(/\\/g, '/');
  for (const [json, lcov] of pairs) {
    it(json, async () => {
      const fromJson = await parseFixture(join(GOLDEN, json));
      const fromLcov = await parseFixture(join(LCOV, lcov), lcovParser);
      expect(fromJson.files).toHaveLength(fromLcov.files.length);
      for (const lcovFile of fromLcov.files) {
        const suffix = `/${normalise(lcovFile.path)}`;
        const matches = fromJson.files.filter((file) => normalise(`/${file.path}`).endsWith(suffix));
        expect(matches, lcovFile.path).toHaveLength(1);
        expect(matches[0]?.lines).toEqual(lcovFile.lines);
      }
    });
  }

  it('matches the producer figures of the generated run (LF:13 LH:10 for src/stock.js)', async () => {
    const report = await parseFixture(join(GOLDEN, 'vitest4-v8__coverage-final.json'));
    expect(countsOf(report)).toEqual({ '/builds/demo/inventory/src/stock.js': { covered: 10, total: 13 } });
  });
});

describe('istanbul producer quirks', () => {
  it('reports solidity-coverage files under `path` (absolute, with spaces), not the relative key', async () => {
    const report = await parseFixture(join(GOLDEN, 'solidity-coverage__0xSunday_hardhat-fundme__coverage-final.json'));
    const paths = report.files.map((file) => file.path);
    expect(paths).toContain('C:\\Users\\sivasunil\\Desktop\\blockchain dev\\Patrick course\\hardhat-fundme-2\\contracts\\FundMe.sol');
    expect(paths).not.toContain('contracts\\FundMe.sol');
  });

  it('uses solidity-coverage’s own `l` line map: line 36 (a modifier’s `_;`) starts no statement', async () => {
    const report = await parseFixture(join(GOLDEN, 'solidity-coverage__0xSunday_hardhat-fundme__coverage-final.json'));
    const fundMe = report.files.find((file) => file.path.endsWith('FundMe.sol'));
    expect((fundMe?.lines ? hitsAt(fundMe.lines, 36) : undefined)).toBe(2);
    expect(fundMe?.lines?.lines.length).toBe(13);
    expect(report.warnings.join('\n')).toMatch(/3 entries carry their own line hits/);
  });

  it('keeps files whose maps are empty, with an empty line map (vitest 4 rjson-parser)', async () => {
    const path = join(GOLDEN, 'vitest4-v8__0xMaxLab_rjson-parser__coverage-final.json');
    const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, { statementMap: object }>;
    const empty = Object.entries(raw).filter(([, entry]) => Object.keys(entry.statementMap).length === 0).map(([key]) => key);
    expect(empty.length).toBeGreaterThan(0);
    const report = await parseFixture(path);
    for (const key of empty) expect(report.files.find((file) => file.path === key)?.lines?.lines.length, key).toBe(0);
  });

  it('reads non-contiguous statement ids (vitest 3) and null end columns (vitest 4)', async () => {
    const report = await parseJson({
      '/a.ts': {
        path: '/a.ts',
        statementMap: {
          '0': { start: { line: 1, column: 0 }, end: { line: 1, column: null } },
          '3': { start: { line: 4, column: 2 }, end: { line: 6, column: null } },
          '7': { start: { line: 4, column: 9 }, end: { line: 4, column: 20 } },
        },
        fnMap: {},
        branchMap: {},
        s: { '0': 1, '3': 0, '7': 5 },
        f: {},
        b: {},
        all: false,
      },
    });
    expect(report.files).toEqual([{ path: '/a.ts', lines: lineHitsOf([[1, 1], [4, 5]]) }]);
  });

  it('falls back to the key when `path` is missing, and fills missing fn/branch maps', async () => {
    const entry = fileCoverage(undefined, [[2, 1]]);
    delete entry.fnMap;
    delete entry.b;
    const report = await parseJson({ 'src/a.js': entry });
    expect(report.files).toEqual([{ path: 'src/a.js', lines: lineHitsOf([[2, 1]]) }]);
  });

  it('merges two keys that name the same `path` with the maximum hits', async () => {
    const report = await parseJson({
      'contracts\\A.sol': fileCoverage('C:\\p\\A.sol', [[1, 0], [2, 3]]),
      'C:\\p\\A.sol': fileCoverage('C:\\p\\A.sol', [[1, 2], [2, 1], [5, 0]]),
    });
    expect(report.files).toEqual([{ path: 'C:\\p\\A.sol', lines: lineHitsOf([[1, 2], [2, 3], [5, 0]]) }]);
    expect(report.warnings).toEqual(['1 entry named a file already reported under another key; merged with the highest hit count per line.']);
  });

  it('skips statement hits without a location, as istanbul does, and line 0', async () => {
    const entry = fileCoverage('/a.js', [[0, 1], [3, 2]]);
    (entry.s as Record<string, number>)['9'] = 4;
    const report = await parseJson({ '/a.js': entry });
    expect(report.files[0]?.lines ? lineHitsEntries(report.files[0].lines) : null).toEqual([[3, 2]]);
    expect(report.warnings).toEqual(['1 line hit for line 0 ignored (lines start at 1).']);
  });

  it('reads an empty object as a valid empty report', async () => {
    expect(await parseText('{}')).toEqual({ format: 'istanbul', sourceRoots: [], files: [], warnings: [] });
  });

  it('reads a document split into one-character chunks', async () => {
    const text = readFileSync(join(GOLDEN, 'vitest4-v8__coverage-final.json'), 'utf8');
    expect(countsOf(await parseText(text, 1))).toEqual(countsOf(await parseText(text)));
  });
});

describe('istanbul documents of the wrong shape', () => {
  const valid = (): Record<string, unknown> => fileCoverage('/a.js', [[1, 1]]);
  const cases: [string, unknown, RegExp][] = [
    ['a JSON array', [valid()], /^holds an array, not an istanbul coverage map/],
    ['a JSON string', 'coverage', /^holds "coverage", not an istanbul coverage map/],
    ['null', null, /^holds null/],
    ['an entry that is a number', { '/a.js': 3 }, /entry "\/a\.js", which is not istanbul file coverage: its value is 3/],
    ['an entry without statementMap', { '/a.js': { path: '/a.js', s: {} } }, /entry "\/a\.js".*no "statementMap" and "s" objects/],
    ['a summary entry', { total: { lines: { total: 1, covered: 1, skipped: 0, pct: 100 } } }, /entry "total".*read it as format istanbul-summary/],
    ['a string hit count', { '/a.js': { ...valid(), s: { '0': '1' } } }, /statement "0" has the hit count "1"/],
    ['a negative hit count', { '/a.js': { ...valid(), s: { '0': -1 } } }, /statement "0" has the hit count -1/],
    ['a statement without a start line', { '/a.js': { ...valid(), statementMap: { '0': { start: {} } } } }, /statement "0" has no whole-number start line/],
    ['a statement location that is null', { '/a.js': { ...valid(), statementMap: { '0': null } } }, /statement "0" has no whole-number start line/],
    ['an fnMap that is an array', { '/a.js': { ...valid(), fnMap: [] } }, /its "fnMap" is an array/],
    ['a path that is a number', { '/a.js': { ...valid(), path: 7 } }, /its "path" is 7, not a file path/],
    ['an `l` with a bad line key', { '/a.js': { ...valid(), l: { x: 1 } } }, /its "l" has the line key "x"/],
    ['an `l` with a bad count', { '/a.js': { ...valid(), l: { '3': null } } }, /line 3 in "l" has the hit count null/],
  ];
  for (const [title, document, message] of cases) {
    it(`rejects ${title} with INPUT_MALFORMED naming the problem`, async () => {
      const error = await parseError(JSON.stringify(document));
      expect(error.code).toBe('INPUT_MALFORMED');
      expect(error.file).toBe(FILE);
      expect(error.format).toBe('istanbul');
      expect(error.message).toMatch(message);
    });
  }

  it('names the FIRST offending key', async () => {
    const error = await parseError(JSON.stringify({ '/ok.js': valid(), '/bad-1.js': { s: 1 }, '/bad-2.js': 2 }));
    expect(error.message).toContain('"/bad-1.js"');
    expect(error.message).not.toContain('bad-2');
  });

  it('never lets a raw TypeError out, whatever one field is replaced with', async () => {
    const base = JSON.parse(readFileSync(join(GOLDEN, 'vitest4-v8__coverage-final.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    const [key, entry] = Object.entries(base)[0] ?? [];
    if (key === undefined || entry === undefined) throw new Error('fixture is empty');
    const replacements: unknown[] = [null, 0, -1, 'x', [], {}, true, { start: null }, { start: { line: 'x' } }];
    for (const field of Object.keys(entry)) {
      for (const replacement of replacements) {
        const document = { [key]: { ...entry, [field]: replacement } };
        const error = await errorOf(parseJson(document));
        if (error !== undefined) expect(isQgateError(error), `${field} = ${JSON.stringify(replacement)}: ${String(error)}`).toBe(true);
      }
    }
    const statementMap = entry.statementMap as Record<string, unknown>;
    for (const replacement of replacements) {
      const document = { [key]: { ...entry, statementMap: { ...statementMap, '0': replacement } } };
      const error = await errorOf(parseJson(document));
      if (error !== undefined) expect(isQgateError(error), `statementMap.0 = ${JSON.stringify(replacement)}`).toBe(true);
    }
  });
});

describe('malformed JSON', () => {
  it('gives line and column from V8’s "at position N" for a truncated document', async () => {
    const error = await parseError('{\n  "/a.js": {\n    "path": "/a.js",\n    "statementMap": {');
    expect(error.code).toBe('INPUT_MALFORMED');
    expect(error.position).toEqual({ line: 4, column: 22 });
    expect(error.message).toMatch(/^is not valid JSON \(.*\)\. The document ends too early: the file looks truncated\.$/);
    expect(formatError(error)).toContain(`${FILE}:4:22 (istanbul): `);
  });

  it('finds the position itself when V8 names only the token (NaN written by Python’s json)', async () => {
    const error = await parseError('{\n  "/a.js": {\n    "s": {"0": NaN}\n  }\n}\n');
    expect(error.position).toEqual({ line: 3, column: 16 });
    expect(error.message).toBe("is not valid JSON (Unexpected token 'N').");
  });

  it('reports text after the document', async () => {
    const error = await parseError('{}\n{}\n');
    expect(error.position).toEqual({ line: 2, column: 1 });
    expect(error.message).not.toMatch(/truncated/);
  });

  it('agrees with V8 wherever V8 gives a position', () => {
    const samples = ['{"a":1', '{"a":1}x', '{"a":"abc', '{"a" 1}', '{"a":1,}', '[1,2', '{"a":{"b":[1,{"c":2}]}', '{"a":"\u0001"}'];
    for (const sample of samples) {
      let stated: number | undefined;
      try {
        JSON.parse(sample);
      } catch (error) {
        const match = /at position (\d+)/.exec((error as Error).message);
        if (match?.[1] !== undefined) stated = Number(match[1]);
      }
      if (stated !== undefined) expect(findJsonSyntaxError(sample), sample).toBe(stated);
    }
  });

  it('locates errors V8 gives no position for, and accepts valid JSON', () => {
    expect(findJsonSyntaxError('{"a": tru}')).toBe(6);
    expect(findJsonSyntaxError('[1,]')).toBe(3);
    expect(findJsonSyntaxError('hello')).toBe(0);
    expect(findJsonSyntaxError('{"a": [1, -2.5e3, "x\\"y", true, false, null, {}]}')).toBe(-1);
    expect(findJsonSyntaxError(`${'['.repeat(100_000)}`)).toBe(100_000);
  });
});

describeBadFixtures('istanbul', 'istanbul', istanbulParser, 6);

describe('istanbul sniffing', () => {
  it('accepts an object whose first entry has FileCoverage maps', () => {
    expect(istanbulParser.sniff('{"/a.js": {"path":"/a.js","statementMap":{}')).toBe(true);
    expect(istanbulParser.sniff('\n{\n"contracts\\\\A.sol":{"l":{},"path":"x","s":{},"b":{},"f":{},"fnMap":{')).toBe(true);
  });

  it('rejects summaries, arrays, lcov and XML', () => {
    expect(istanbulParser.sniff('{"total": {"lines":{"total":1,"covered":1,"skipped":0,"pct":100}}')).toBe(false);
    expect(istanbulParser.sniff('[{"statementMap": {}}]')).toBe(false);
    expect(istanbulParser.sniff('TN:\nSF:a.js\n')).toBe(false);
    expect(istanbulParser.sniff('<?xml version="1.0"?><coverage/>')).toBe(false);
  });
});
