import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatError, type QgateError } from '../../../src/errors.js';
import { lcovParser } from '../../../src/inputs/coverage/lcov.js';
import { openInput } from '../../../src/inputs/read-input.js';
import type { ParsedCoverageReport } from '../../../src/model/coverage.js';
import { hitsAt, lineHitsOf } from '../../../src/inputs/coverage/line-hits.js';
import { chunksOf, countsOf, describeBadFixtures, errorOf, type Counts } from './fixture-cases.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/coverage/', import.meta.url));
const GOLDEN = join(FIXTURES, 'lcov');

interface GoldenExpectation {
  files: Record<string, Counts & { producer?: unknown; note?: string }>;
  totals: Counts;
  producerTotals: Counts | null;
}

function parseText(text: string, size?: number): Promise<ParsedCoverageReport> {
  return lcovParser.parse(chunksOf(text, size), 'coverage/lcov.info');
}

async function parseFixture(path: string): Promise<ParsedCoverageReport> {
  const opened = await openInput(path);
  return lcovParser.parse(opened.chunks(), path);
}

function parseError(text: string): Promise<QgateError> {
  return errorOf(parseText(text));
}

/** Cases named by the data file, each with a sibling `<case>.expected.json`. */
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

describe('lcov golden fixtures (expected figures are the producers’ own LF/LH)', () => {
  const cases = goldenCases(GOLDEN);

  it('covers every real lcov fixture in the folder', () => {
    expect(cases.length).toBe(24);
  });

  for (const { name, data, expected } of cases) {
    it(`parses ${name}`, async () => {
      const expectation = JSON.parse(readFileSync(expected, 'utf8')) as GoldenExpectation;
      const report = await parseFixture(data);
      const wanted = Object.fromEntries(
        Object.entries(expectation.files).map(([path, entry]) => [path, { covered: entry.covered, total: entry.total }]),
      );
      expect(report.format).toBe('lcov');
      expect(report.sourceRoots).toEqual([]);
      expect(countsOf(report)).toEqual(wanted);
      const counts = Object.values(countsOf(report));
      expect({
        covered: counts.reduce((sum, entry) => sum + entry.covered, 0),
        total: counts.reduce((sum, entry) => sum + entry.total, 0),
      }).toEqual(expectation.totals);
      expect(report.producerTotals ?? null).toEqual(expectation.producerTotals);
      // Where the producer's LF/LH lie, the parser says so.
      const lying = Object.values(expectation.files).some((entry) => entry.producer && !/two records/.test(entry.note ?? ''));
      if (lying && expectation.producerTotals !== null) {
        expect(report.warnings.join('\n')).toMatch(/LF\/LH disagree with the DA lines/);
      }
    });
  }

  it('sniffs every real lcov fixture as lcov', async () => {
    for (const { data } of cases) {
      const opened = await openInput(data);
      expect(lcovParser.sniff(opened.head), data).toBe(true);
    }
  });

  it('gives the same result whatever the chunk size', async () => {
    const text = readFileSync(join(GOLDEN, 'deno-coverage__LeviSchuck_tiny-cbor__cov.lcov'), 'utf8');
    const whole = countsOf(await parseText(text));
    for (const size of [1, 7, 64, 4096]) expect(countsOf(await parseText(text, size))).toEqual(whole);
  });

  it('keeps the highest count for Foundry’s repeated DA lines and reports the merge', async () => {
    const report = await parseFixture(join(GOLDEN, 'forge-coverage__0xBigBoss_p256-verifier__lcov.info'));
    expect(report.warnings.join('\n')).toMatch(/^265 duplicate DA lines/m);
  });

  it('merges the SF that node’s test runner writes twice, line by line with the highest count', async () => {
    const report = await parseFixture(join(GOLDEN, 'node-test-runner__JakobJingleheimer_nodejs-loaders__coverage.lcov'));
    const paths = report.files.map((file) => file.path);
    expect(paths.filter((path) => path === 'packages/mismatched-format/contains-cjs.mjs')).toHaveLength(1);
    expect(report.warnings.join('\n')).toMatch(/1 record repeated an SF path already reported \(first "packages\/mismatched-format\/contains-cjs.mjs"\)/);
  });

  it('keeps the unsigned -1 hit count of the Bun-style fixture as covered, capped', async () => {
    const report = await parseFixture(join(GOLDEN, 'bun-or-esbuild__coverallsapp_coverage-reporter__test.lcov'));
    const run = report.files.find((file) => file.path === 'spec/fixtures/lcov/lib/run.js');
    expect((run?.lines ? hitsAt(run.lines, 13) : undefined)).toBe(Number.MAX_SAFE_INTEGER);
    expect(report.files[0]?.path).toBe('dist/<define:DATA>');
    expect(report.warnings.join('\n')).toMatch(/1 DA hit count above/);
  });

  it('keeps Windows paths with spaces exactly as written', async () => {
    const report = await parseFixture(join(GOLDEN, 'solidity-coverage__0xSunday_hardhat-fundme__lcov.info'));
    expect(report.files.map((file) => file.path)).toEqual([
      'C:\\Users\\sivasunil\\Desktop\\blockchain dev\\Patrick course\\hardhat-fundme-2\\contracts\\FundMe.sol',
      'C:\\Users\\sivasunil\\Desktop\\blockchain dev\\Patrick course\\hardhat-fundme-2\\contracts\\PriceConverter.sol',
      'C:\\Users\\sivasunil\\Desktop\\blockchain dev\\Patrick course\\hardhat-fundme-2\\contracts\\test\\MockV3Aggregator.sol',
    ]);
  });

  it('keeps a file with no DA lines (coverage.py’s empty __init__.py) with an empty line map', async () => {
    const report = await parseFixture(join(GOLDEN, 'coveragepy6.5__lcov.info'));
    const init = report.files.find((file) => file.path === 'inv/__init__.py');
    expect(init?.lines?.lines.length).toBe(0);
  });
});

describe('lcov records', () => {
  it('reads records in any order, FN with three fields, FNL/FNA, VER and DA checksums', async () => {
    const report = await parseText(
      [
        'SF:src/a.c',
        'VER:abc123',
        'LH:1',
        'DA:3,0,hSWBLuEgdwprGGQ7TGprbQ',
        'FN:1,4,main',
        'FNL:0,1,4',
        'FNA:0,1,main',
        'BRDA:3,0,0,-',
        'DA:1,5,BMJ2B49w61p8FK1RHy0L9Q',
        'LF:2',
        'FNDA:1,main',
        'MCDC:3,2,t,1,0,a',
        'end_of_record',
        '',
      ].join('\n'),
    );
    expect(report.files).toEqual([{ path: 'src/a.c', lines: lineHitsOf([[3, 0], [1, 5]]) }]);
    expect(report.producerTotals).toEqual({ covered: 1, total: 2 });
    expect(report.warnings).toEqual([]);
  });

  it('merges duplicate DA lines and repeated SF records with the maximum, never the sum', async () => {
    const report = await parseText(
      ['TN:unit', 'SF:a.js', 'DA:1,3', 'DA:1,2', 'DA:2,0', 'end_of_record', 'TN:e2e', 'SF:a.js', 'DA:1,1', 'DA:2,4', 'DA:3,0', 'end_of_record', ''].join('\n'),
    );
    expect(report.files).toEqual([{ path: 'a.js', lines: lineHitsOf([[1, 3], [2, 4], [3, 0]]) }]);
    expect(report.warnings).toHaveLength(2);
    expect(report.warnings[0]).toMatch(/^1 duplicate DA line /);
    expect(report.warnings[1]).toMatch(/^1 record repeated an SF path/);
  });

  it('recomputes totals from DA but sums LF/LH into producerTotals, and warns when they disagree', async () => {
    const report = await parseText(['SF:a.rs', 'DA:6,0', 'LF:2', 'LH:0', 'end_of_record', 'SF:b.rs', 'DA:1,1', 'LF:1', 'LH:1', 'end_of_record'].join('\n'));
    expect(report.files.map((file) => file.lines?.lines.length)).toEqual([1, 1]);
    expect(report.producerTotals).toEqual({ covered: 1, total: 3 });
    expect(report.warnings).toEqual(['LF/LH disagree with the DA lines in 1 of 2 records; line totals were recomputed from DA.']);
  });

  it('keeps SF paths exactly as written', async () => {
    const paths = ['C:\\Users\\me\\My Project\\src\\a b.ts', 'lib\\core\\x.dart', '/builds/g/p/src/ü.ts', 'dist/<define:DATA>', ' leading space.js'];
    const report = await parseText(paths.map((path) => `SF:${path}\nDA:1,1\nend_of_record\n`).join(''));
    expect(report.files.map((file) => file.path)).toEqual(paths);
  });

  it('reads CRLF files, whatever chunk boundary splits \\r from \\n', async () => {
    const text = 'TN:\r\nSF:C:\\src\\a.cs\r\nDA:1,1\r\nDA:2,0\r\nend_of_record\r\n';
    for (const size of [1, 2, 3, 5, text.length]) {
      const report = await parseText(text, size);
      expect(report.files).toEqual([{ path: 'C:\\src\\a.cs', lines: lineHitsOf([[1, 1], [2, 0]]) }]);
    }
  });

  it('accepts end_of_record with trailing blanks, and indented records', async () => {
    const report = await parseText('SF:a.js\n  DA:1,1\nend_of_record \t\n');
    expect(report.files).toEqual([{ path: 'a.js', lines: lineHitsOf([[1, 1]]) }]);
  });

  it('accepts a last end_of_record without a line break (cargo-llvm-cov)', async () => {
    const report = await parseText('SF:a.rs\nDA:1,1\nend_of_record');
    expect(report.files).toHaveLength(1);
  });

  it('reads a file with only TN: as a valid empty report', async () => {
    const report = await parseText('TN:\n');
    expect(report).toEqual({ format: 'lcov', sourceRoots: [], files: [], warnings: [] });
  });

  it('ignores unknown record types with a count, and blank lines silently', async () => {
    const report = await parseText('SF:a.js\n\nXYZ:1\nDA:1,1\nFOO:bar\nend_of_record\n');
    expect(report.files).toHaveLength(1);
    expect(report.warnings).toEqual(['2 lines with an unknown lcov record type ignored (first "XYZ" at line 3).']);
  });

  it('ignores DA lines for line 0 with a warning', async () => {
    const report = await parseText('SF:a.js\nDA:0,1\nDA:1,1\nend_of_record\n');
    expect(report.files[0]?.lines).toEqual(lineHitsOf([[1, 1]]));
    expect(report.warnings).toEqual(['1 DA record for line 0 ignored (lines start at 1).']);
  });
});

describe('malformed lcov', () => {
  const cases: [string, string, number, RegExp][] = [
    ['a DA whose hits are not a number', 'SF:a.js\nDA:1,1\nDA:2,x\nend_of_record\n', 3, /malformed DA record "DA:2,x"/],
    ['a DA without hits', 'SF:a.js\nDA:2\nend_of_record\n', 2, /malformed DA record "DA:2"/],
    ['a DA with fractional hits', 'SF:a.js\nDA:2,1.5\nend_of_record\n', 2, /malformed DA record/],
    ['a DA with a non-numeric line', 'SF:a.js\nDA:two,1\nend_of_record\n', 2, /malformed DA record/],
    ['negative hits', 'SF:a.js\nDA:2,-3\nend_of_record\n', 2, /negative hit count in "DA:2,-3"/],
    ['a DA before any SF', 'TN:\nDA:1,1\n', 2, /DA record outside any SF/],
    ['an LF after end_of_record', 'SF:a.js\nDA:1,1\nend_of_record\nLF:1\n', 4, /LF record outside any SF/],
    ['an SF without a path', 'SF:\nDA:1,1\nend_of_record\n', 1, /SF record without a path/],
    ['an SF inside an open record', 'SF:a.js\nDA:1,1\nSF:b.js\nDA:1,1\nend_of_record\n', 3, /record for SF "b.js" before the record for "a.js" \(line 1\)/],
    ['a record never closed', 'SF:a.js\nDA:1,1\n', 2, /^ends inside the record for SF "a.js" \(opened at line 1\)/],
    ['a file cut in the middle of a line', 'SF:a.js\nDA:1,1\nend_of_re', 3, /^ends in the middle of a line inside the record/],
    ['a file cut in the middle of a DA', 'SF:a.js\nDA:1,1\nDA:12,', 3, /malformed DA record "DA:12,".*no line break: the file looks truncated/],
    ['a file with no lcov record at all', '<?xml version="1.0"?>\n<coverage/>\n', 1, /has no lcov records .* not an lcov tracefile/],
  ];
  for (const [title, text, line, message] of cases) {
    it(`rejects ${title} with INPUT_MALFORMED at line ${line}`, async () => {
      const error = await parseError(text);
      expect(error.code).toBe('INPUT_MALFORMED');
      expect(error.file).toBe('coverage/lcov.info');
      expect(error.format).toBe('lcov');
      expect(error.position).toEqual({ line });
      expect(error.message).toMatch(message);
      expect(formatError(error)).toContain(`coverage/lcov.info:${line} (lcov): `);
    });
  }
});

describeBadFixtures('lcov', 'lcov', lcovParser, 10);

describe('lcov sniffing', () => {
  it('accepts the starts real producers write', () => {
    expect(lcovParser.sniff('TN:\nSF:src/a.js\nFN:1,a\n')).toBe(true);
    expect(lcovParser.sniff('SF:/abs/a.dart\nDA:1,1\n')).toBe(true);
    expect(lcovParser.sniff('\n\nTN:GCOVR_report\nSF:a.c\nVER:1\n')).toBe(true);
    expect(lcovParser.sniff('TN:\n')).toBe(true);
    expect(lcovParser.sniff('SF:a.js\r\nDA:1,1\r\nend_of_record\r\n')).toBe(true);
  });

  it('rejects other reports and prose', () => {
    expect(lcovParser.sniff('<?xml version="1.0"?>\n<coverage>\n')).toBe(false);
    expect(lcovParser.sniff('{"/a.js": {"path": "/a.js"}}')).toBe(false);
    expect(lcovParser.sniff('[\n  {\n')).toBe(false);
    expect(lcovParser.sniff('Statements   : 76.92% ( 10/13 )\n')).toBe(false);
    expect(lcovParser.sniff('TN\nSF\n')).toBe(false);
    expect(lcovParser.sniff('SF:a.js\nthis is not lcov\n')).toBe(false);
    expect(lcovParser.sniff('   \n')).toBe(false);
  });
});
