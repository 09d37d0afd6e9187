import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isQgateError, type QgateError } from '../../../src/errors.js';
import { cloverParser } from '../../../src/inputs/coverage/clover.js';
import { openInput } from '../../../src/inputs/read-input.js';
import type { ParsedCoverageReport } from '../../../src/model/coverage.js';
import { lineHitsEntries } from '../../../src/inputs/coverage/line-hits.js';
import { BAD, chunksOf, COVERAGE_FIXTURES, errorOf, type BadExpectation, type Counts } from './fixture-cases.js';

const GOLDEN = join(COVERAGE_FIXTURES, 'clover');
const FILE = 'coverage/clover.xml';

interface GoldenExpectation {
  files: Record<string, Counts>;
  totals: Counts;
  producerTotals: Counts | null;
  sourceRoots: string[];
}

function parseText(text: string, size?: number): Promise<ParsedCoverageReport> {
  return cloverParser.parse(chunksOf(text, size), FILE);
}

async function parseError(text: string): Promise<QgateError> {
  return errorOf(parseText(text));
}

function linesOf(report: ParsedCoverageReport, path: string): Record<number, number> {
  const file = report.files.find((candidate) => candidate.path === path);
  if (file?.lines == null) throw new Error(`no line data for ${path}`);
  return Object.fromEntries(lineHitsEntries(file.lines));
}

function counts(report: ParsedCoverageReport): { files: Record<string, Counts>; totals: Counts } {
  const files: Record<string, Counts> = {};
  const totals = { covered: 0, total: 0 };
  for (const file of report.files) {
    const hits = [...(file.lines?.hits ?? [])];
    const fileCounts = { covered: hits.filter((hit) => hit > 0).length, total: hits.length };
    files[file.path] = fileCounts;
    totals.covered += fileCounts.covered;
    totals.total += fileCounts.total;
  }
  return { files, totals };
}

const goldenCases = readdirSync(GOLDEN).filter((name) => name.endsWith('.xml'));
const badCases = readdirSync(BAD).filter((name) => name.endsWith('.clover.xml'));

describe('Clover golden files', () => {
  it('has the vitest fixture', () => {
    expect(goldenCases).toEqual(['vitest4-v8__clover.xml']);
  });

  it.each(goldenCases)('%s', async (name) => {
    const expected = JSON.parse(readFileSync(join(GOLDEN, name.replace(/\.xml$/, '.expected.json')), 'utf8')) as GoldenExpectation;
    const opened = await openInput(join(GOLDEN, name), join(GOLDEN, name));
    expect(cloverParser.sniff(opened.head)).toBe(true);
    const report = await cloverParser.parse(opened.chunks(), name);
    expect(report.format).toBe('clover');
    expect(counts(report)).toEqual({ files: expected.files, totals: expected.totals });
    expect(report.producerTotals).toEqual(expected.producerTotals ?? undefined);
    expect(report.sourceRoots).toEqual(expected.sourceRoots);
  });

  it('gives, line by line, the DA records of istanbul lcov for the same vitest run', async () => {
    // fixtures-real/generated/vitest4-v8__lcov.info, SF:src/stock.js (LF:13 LH:10).
    const lcovDa = { 2: 2, 3: 2, 4: 0, 6: 2, 7: 1, 9: 1, 10: 1, 14: 0, 15: 0, 18: 1, 19: 1, 20: 2, 21: 1 };
    const opened = await openInput(join(GOLDEN, 'vitest4-v8__clover.xml'));
    const report = await cloverParser.parse(opened.chunks(), FILE);
    expect(linesOf(report, '/builds/demo/inventory/src/stock.js')).toEqual(lcovDa);
  });
});

describe('Clover bad inputs', () => {
  it.each(badCases)('%s', async (name) => {
    const expected = JSON.parse(readFileSync(join(BAD, name.replace(/\.xml$/, '.expected.json')), 'utf8')) as BadExpectation;
    const opened = await openInput(name, join(BAD, name));
    const error: unknown = await cloverParser.parse(opened.chunks(), name).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    if (!isQgateError(error)) throw new Error(`expected a QgateError, got ${String(error)}`);
    expect(error.code).toBe(expected.code);
    expect(error.format).toBe('clover');
    if (expected.position !== undefined) expect(error.position).toMatchObject(expected.position);
    if (expected.messageIncludes !== undefined) expect(error.message).toContain(expected.messageIncludes);
  });
});

describe('cloverParser.sniff', () => {
  it('recognises istanbul (clover attribute) and PHPUnit (no attribute, <project> child) heads', () => {
    expect(cloverParser.sniff('<?xml version="1.0" encoding="UTF-8"?>\n<coverage generated="1795375312799" clover="3.2.0">')).toBe(true);
    expect(cloverParser.sniff('<?xml version="1.0" encoding="UTF-8"?>\n<coverage generated="1700000000">\n  <project timestamp="1700000000">')).toBe(true);
  });

  it('leaves Cobertura and non-XML alone', () => {
    const cobertura = readFileSync(join(COVERAGE_FIXTURES, 'cobertura', 'vitest4-v8__cobertura-coverage.xml'), 'utf8');
    expect(cloverParser.sniff(cobertura)).toBe(false);
    expect(cloverParser.sniff('<coverage line-rate="1"/>')).toBe(false);
    expect(cloverParser.sniff('TN:\nSF:a.js\n')).toBe(false);
  });
});

describe('cloverParser.parse', () => {
  it('leaves out PHPUnit method lines and reads the absolute path from name when there is no path', async () => {
    // Shape of php-code-coverage's Clover writer (phpunit --coverage-clover).
    const report = await parseText(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<coverage generated="1700000000">',
        '  <project timestamp="1700000000">',
        '    <file name="/builds/app/src/CoveredClass.php">',
        '      <class name="CoveredClass" namespace="global"><metrics methods="2" coveredmethods="1" statements="3" coveredstatements="1" elements="5" coveredelements="2"/></class>',
        '      <line num="4" type="method" name="publicMethod" visibility="public" complexity="1" crap="1" count="1"/>',
        '      <line num="6" type="stmt" count="1"/>',
        '      <line num="8" type="method" name="privateMethod" visibility="private" complexity="1" crap="2" count="0"/>',
        '      <line num="10" type="stmt" count="0"/>',
        '      <line num="11" type="stmt" count="0"/>',
        '      <metrics loc="12" ncloc="12" classes="1" methods="2" coveredmethods="1" statements="3" coveredstatements="1" elements="5" coveredelements="2"/>',
        '    </file>',
        '  </project>',
        '</coverage>',
      ].join('\n'),
    );
    expect(report.files.map((file) => file.path)).toEqual(['/builds/app/src/CoveredClass.php']);
    expect(linesOf(report, '/builds/app/src/CoveredClass.php')).toEqual({ 6: 1, 10: 0, 11: 0 });
    expect(report.producerTotals).toBeUndefined();
  });

  it('reads OpenClover: files under <package>, cond lines with only truecount/falsecount, <testproject> left out', async () => {
    const report = await parseText(
      [
        '<coverage generated="1" clover="4.5.2">',
        '<project timestamp="1" name="app"><metrics statements="3"/>',
        '<package name="com.acme"><metrics/>',
        '<file name="Foo.java" path="/src/main/java/com/acme/Foo.java"><metrics/><class name="Foo"><metrics/></class>',
        '<line num="3" signature="run() : void" type="method" count="2"/>',
        '<line num="4" truecount="1" falsecount="0" type="cond"/>',
        '<line num="5" truecount="0" falsecount="0" type="cond"/>',
        '<line num="6" count="2" type="stmt"/>',
        '</file></package></project>',
        '<testproject timestamp="1"><package name="com.acme"><file name="FooTest.java" path="/src/test/java/com/acme/FooTest.java">',
        '<line num="9" count="1" type="stmt"/></file></package></testproject>',
        '</coverage>',
      ].join('\n'),
      11,
    );
    expect(report.files.map((file) => file.path)).toEqual(['/src/main/java/com/acme/Foo.java']);
    expect(linesOf(report, '/src/main/java/com/acme/Foo.java')).toEqual({ 4: 1, 5: 0, 6: 2 });
  });

  it('merges a line listed twice (one per statement) with the highest count, and warns about unknown types', async () => {
    const report = await parseText(
      '<coverage clover="4"><project><file name="a.js" path="src/a.js">' +
        '<line num="1" count="0" type="stmt"/><line num="1" count="3" type="stmt"/><line num="2" count="1" type="expr"/>' +
        '</file><file name="a.js" path="src/a.js"><line num="1" count="1" type="stmt"/></file></project></coverage>',
    );
    expect(linesOf(report, 'src/a.js')).toEqual({ 1: 3 });
    expect(report.files).toHaveLength(1);
    expect(report.warnings).toEqual([
      '2 repeated <line> records for the same file and line merged, keeping the highest count.',
      '1 <line> element with a type other than stmt, cond or method ignored.',
    ]);
  });

  it('rejects a line without a usable num or count, and a file without a path or name', async () => {
    const head = '<coverage clover="4"><project><file path="a.js">\n';
    expect((await parseError(`${head}<line num="x" count="1" type="stmt"/></file></project></coverage>`)).message).toBe(
      `has a <line> element with num="x", which is not a positive whole number.`,
    );
    const noCount = await parseError(`${head}<line num="2" type="stmt"/></file></project></coverage>`);
    expect(noCount).toMatchObject({ code: 'INPUT_MALFORMED', position: { line: 2 } });
    expect(noCount.message).toBe(`has a <line> element without a count attribute.`);
    expect((await parseError('<coverage clover="4"><project><file><line num="1" count="1"/></file></project></coverage>')).message).toBe(
      `has a <file> element without a path or name attribute.`,
    );
  });

  it('refuses a document whose root is not <coverage>', async () => {
    const error = await parseError('<testsuites><testsuite/></testsuites>');
    expect(error.code).toBe('INPUT_MALFORMED');
    expect(error.message).toBe(`is not a Clover report: its root element is <testsuites>, not <coverage>.`);
    const fileRoot = await parseError('<file path="a.js"><line num="1" count="1" type="stmt"/></file>');
    expect(fileRoot.message).toContain('its root element is <file>');
  });

  it('refuses a DOCTYPE internal subset like every XML input', async () => {
    const error = await parseError('<!DOCTYPE coverage [<!ENTITY a "b">]><coverage clover="4"/>');
    expect(error.code).toBe('INPUT_DTD_FORBIDDEN');
  });
});
