// Issue 17 item 5: line numbers and hit counts no producer writes (1e23, 1e308) are input errors
// in every coverage parser, naming the file (and, for line-based formats, the line).
import { describe, expect, it } from 'vitest';
import { formatError, isQgateError } from '../../../src/errors.js';
import { cloverParser } from '../../../src/inputs/coverage/clover.js';
import { coberturaParser } from '../../../src/inputs/coverage/cobertura.js';
import { istanbulParser } from '../../../src/inputs/coverage/istanbul.js';
import { istanbulSummaryParser } from '../../../src/inputs/coverage/istanbul-summary.js';
import { lcovParser } from '../../../src/inputs/coverage/lcov.js';
import type { CoverageParser } from '../../../src/inputs/coverage/parser.js';

async function* once(text: string): AsyncIterable<string> {
  yield text;
}

async function failure(parser: CoverageParser, text: string, file: string): Promise<string> {
  try {
    await parser.parse(once(text), file);
  } catch (error) {
    if (!isQgateError(error)) throw error;
    expect(error.code).toBe('INPUT_MALFORMED');
    return formatError(error);
  }
  throw new Error('parsed without an error');
}

const cobertura = (number: string, hits: string): string =>
  `<?xml version="1.0"?><coverage><packages><package><classes><class filename="a.ts"><lines><line number="${number}" hits="${hits}"/></lines></class></classes></package></packages></coverage>`;
const clover = (num: string, count: string): string =>
  `<?xml version="1.0"?><coverage clover="4"><project><file path="a.ts"><line num="${num}" count="${count}" type="stmt"/></file></project></coverage>`;
const istanbul = (line: number, count: number): string =>
  JSON.stringify({ 'a.ts': { path: 'a.ts', statementMap: { 0: { start: { line, column: 0 }, end: { line, column: 1 } } }, fnMap: {}, branchMap: {}, s: { 0: count }, f: {}, b: {} } }).replace('1e+23', '1e23');

describe('numbers outside what a producer writes are refused, consistently', () => {
  for (const huge of ['1e23', '1e308', '100000000000000000000000']) {
    it(`lcov: line number or hit count ${huge} names the file and line`, async () => {
      const asLine = await failure(lcovParser, `SF:a.ts\nDA:1,1\nDA:${huge},1\nend_of_record\n`, 'lcov.info');
      expect(asLine).toContain('lcov.info');
      expect(asLine).toMatch(/line 3\b|:3\b/);
      const asHits = await failure(lcovParser, `SF:a.ts\nDA:${'2'},${huge}\nend_of_record\n`, 'lcov.info');
      expect(asHits).toContain('lcov.info');
      expect(asHits).toMatch(/line 2\b|:2\b/);
    });
    it(`Cobertura and Clover: number/hits ${huge}`, async () => {
      expect(await failure(coberturaParser, cobertura(huge, '1'), 'cov.xml')).toContain('number=');
      expect(await failure(coberturaParser, cobertura('1', huge), 'cov.xml')).toContain('hits=');
      expect(await failure(cloverParser, clover(huge, '1'), 'clover.xml')).toContain('num=');
      expect(await failure(cloverParser, clover('1', huge), 'clover.xml')).toContain('count=');
    });
  }
  it('istanbul: a statement line of 1e23 or a count of 1e308', async () => {
    expect(await failure(istanbulParser, istanbul(1e23, 1), 'coverage-final.json')).toContain('start line');
    expect(await failure(istanbulParser, istanbul(1, 1e308), 'coverage-final.json')).toContain('hit count');
  });
  it('a 2^64 − 1 hit count (an unsigned −1, seen in the wild) is still a count, not refused', async () => {
    const report = await lcovParser.parse(once('SF:a.ts\nDA:1,18446744073709551615\nend_of_record\n'), 'lcov.info');
    expect(report.files[0]?.lines?.hits[0]).toBe(Number.MAX_SAFE_INTEGER);
    const xml = await coberturaParser.parse(once(cobertura('1', '18446744073709551615')), 'cov.xml');
    expect(xml.files[0]?.lines?.hits[0]).toBeGreaterThan(0);
  });

  // The issue's own examples, past JS safe integers but below 2^64's reach of "impossible".
  it('lcov: DA:99999999999999999999,1 names the file and the line', async () => {
    const message = await failure(lcovParser, 'TN:\nSF:a.ts\nDA:99999999999999999999,1\nend_of_record\n', 'coverage/lcov.info');
    expect(message).toContain('coverage/lcov.info:3 (lcov)');
    expect(message).toContain('DA:99999999999999999999,1');
  });
  it('lcov: a line number of 2^53 + 1 (not a safe integer) is refused at its line', async () => {
    expect(await failure(lcovParser, 'SF:a.ts\nDA:9007199254740993,1\nend_of_record\n', 'lcov.info')).toContain('lcov.info:2 (lcov)');
  });
  it('Cobertura: huge hits= and number= name the file, line and column', async () => {
    const text = (number: string, hits: string): string => cobertura(number, hits).replace('<lines>', '<lines>\n');
    expect(await failure(coberturaParser, text('1', '99999999999999999999'), 'cov.xml')).toMatch(/cov\.xml:2:\d+ \(cobertura\): .*hits="99999999999999999999"/);
    expect(await failure(coberturaParser, text('9007199254740993', '1'), 'cov.xml')).toMatch(/cov\.xml:2:\d+ \(cobertura\): .*number="9007199254740993"/);
  });
  it('istanbul coverage-summary.json: line totals past safe integers name the file and the entry', async () => {
    const summary = (total: string): string => `{"total":{"lines":{"total":1,"covered":1,"skipped":0,"pct":100}},"src/a.ts":{"lines":{"total":${total},"covered":1,"skipped":0,"pct":1}}}`;
    for (const huge of ['99999999999999999999', '1e300', '9007199254740993']) {
      const message = await failure(istanbulSummaryParser, summary(huge), 'coverage-summary.json');
      expect(message).toContain('coverage-summary.json (istanbul-summary)');
      expect(message).toContain('"src/a.ts"');
      expect(message).toContain('lines.total');
    }
    const max = Number.MAX_SAFE_INTEGER;
    const twoFiles = `{"a.ts":{"lines":{"total":${max},"covered":0}},"b.ts":{"lines":{"total":${max},"covered":0}}}`;
    expect(await failure(istanbulSummaryParser, twoFiles, 'coverage-summary.json')).toContain('add up to more than');
  });

  it('a count between 2^53 and 2^64 is capped to the largest safe integer, with a warning, in every line format', async () => {
    const max = Number.MAX_SAFE_INTEGER;
    const xml = await coberturaParser.parse(once(cobertura('1', '18446744073709551615')), 'cov.xml');
    expect(xml.files[0]?.lines?.hits[0]).toBe(max);
    expect(xml.warnings).toContain(`1 hits value above ${max} capped to that value.`);
    const unsafe = await coberturaParser.parse(once(cobertura('1', '9007199254740993')), 'cov.xml');
    expect(unsafe.files[0]?.lines?.hits[0]).toBe(max);
    const fromClover = await cloverParser.parse(once(clover('1', '18446744073709551615')), 'clover.xml');
    expect(fromClover.files[0]?.lines?.hits[0]).toBe(max);
    expect(fromClover.warnings).toContain(`1 count above ${max} capped to that value.`);
    const json = await istanbulParser.parse(once(istanbul(1, 2 ** 64 - 1)), 'coverage-final.json');
    expect(json.files[0]?.lines?.hits[0]).toBe(max);
    expect(json.warnings).toContain(`1 hit count above ${max} capped to that value.`);
  });
  it('Cobertura: producer totals past 2^53 never reach result.json; they are ignored with a warning', async () => {
    const text = cobertura('1', '1').replace('<coverage>', '<coverage lines-covered="1" lines-valid="99999999999999999999">');
    const report = await coberturaParser.parse(once(text), 'cov.xml');
    expect(report.producerTotals).toBeUndefined();
    expect(report.warnings).toContain('its lines-covered/lines-valid are not whole numbers from 0 to 2^53; those producer totals were ignored.');
    const fine = await coberturaParser.parse(once(cobertura('1', '1').replace('<coverage>', '<coverage lines-covered="1" lines-valid="1">')), 'cov.xml');
    expect(fine.producerTotals).toEqual({ covered: 1, total: 1 });
  });
});
