import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatError, isQgateError, type QgateError } from '../../../src/errors.js';
import { coberturaParser } from '../../../src/inputs/coverage/cobertura.js';
import { openInput } from '../../../src/inputs/read-input.js';
import type { ParsedCoverageReport } from '../../../src/model/coverage.js';
import { lineHitsEntries } from '../../../src/inputs/coverage/line-hits.js';
import { BAD, chunksOf, COVERAGE_FIXTURES, errorOf, type BadExpectation, type Counts } from './fixture-cases.js';

const GOLDEN = join(COVERAGE_FIXTURES, 'cobertura');
const FILE = 'coverage/cobertura-coverage.xml';

interface GoldenExpectation {
  files: Record<string, Counts>;
  totals: Counts;
  producerTotals: Counts | null;
  sourceRoots: string[];
  note?: string;
}

function parseText(text: string, size?: number): Promise<ParsedCoverageReport> {
  return coberturaParser.parse(chunksOf(text, size), FILE);
}

async function parseError(text: string): Promise<QgateError> {
  return errorOf(parseText(text));
}

function countLines(report: ParsedCoverageReport): { files: Record<string, Counts>; totals: Counts } {
  const files: Record<string, Counts> = {};
  const totals = { covered: 0, total: 0 };
  for (const file of report.files) {
    const hits = [...(file.lines?.hits ?? [])];
    const counts = { covered: hits.filter((hit) => hit > 0).length, total: hits.length };
    files[file.path] = counts;
    totals.covered += counts.covered;
    totals.total += counts.total;
  }
  return { files, totals };
}

/** The lines of one file as a plain object, for readable assertions. */
function linesOf(report: ParsedCoverageReport, path: string): Record<number, number> {
  const file = report.files.find((candidate) => candidate.path === path);
  if (file?.lines == null) throw new Error(`no line data for ${path}`);
  return Object.fromEntries(lineHitsEntries(file.lines));
}

/** A Cobertura document around the given <packages> content. */
function cobertura(packages: string, root = '<coverage version="0.1">', sources = ''): string {
  return `<?xml version="1.0" ?>\n${root}\n${sources}<packages>\n${packages}\n</packages>\n</coverage>\n`;
}

const goldenCases = readdirSync(GOLDEN)
  .filter((name) => name.endsWith('.xml'))
  .sort();
const badCases = readdirSync(BAD)
  .filter((name) => name.endsWith('.cobertura.xml'))
  .sort();

describe('Cobertura golden files (every real producer in the corpus)', () => {
  it('has a fixture for each of the 29 well-formed corpus files and the three generated ones', () => {
    expect(goldenCases).toHaveLength(30);
  });

  it.each(goldenCases)('%s', async (name) => {
    const expected = JSON.parse(readFileSync(join(GOLDEN, name.replace(/\.xml$/, '.expected.json')), 'utf8')) as GoldenExpectation;
    const opened = await openInput(join(GOLDEN, name), join(GOLDEN, name));
    expect(coberturaParser.sniff(opened.head)).toBe(true);
    const report = await coberturaParser.parse(opened.chunks(), name);
    const counted = countLines(report);
    expect(report.format).toBe('cobertura');
    expect(counted.files).toEqual(expected.files);
    expect(counted.totals).toEqual(expected.totals);
    expect(report.producerTotals).toEqual(expected.producerTotals ?? undefined);
    expect(report.sourceRoots).toEqual(expected.sourceRoots);
    // A producer total that differs from the recount must be explained in the expected file.
    if (expected.producerTotals !== null && expected.note === undefined) expect(expected.totals).toEqual(expected.producerTotals);
  });
});

describe('Cobertura bad inputs', () => {
  it.each(badCases)('%s', async (name) => {
    const expected = JSON.parse(readFileSync(join(BAD, name.replace(/\.xml$/, '.expected.json')), 'utf8')) as BadExpectation;
    const opened = await openInput(name, join(BAD, name));
    const error: unknown = await coberturaParser.parse(opened.chunks(), name).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    if (!isQgateError(error)) throw new Error(`expected a QgateError, got ${String(error)}`);
    expect(error.code).toBe(expected.code);
    expect(error.file).toBe(name);
    expect(error.format).toBe('cobertura');
    if (expected.position !== undefined) expect(error.position).toMatchObject(expected.position);
    if (expected.messageIncludes !== undefined) expect(error.message).toContain(expected.messageIncludes);
    expect(formatError(error)).toMatch(new RegExp(`^qgate: error ${error.code}: ${name.replace(/\./g, '\\.')}:\\d+:\\d+ \\(cobertura\\): `));
  });
});

describe('coberturaParser.sniff', () => {
  it('recognises Cobertura heads from several producers', () => {
    for (const name of [
      'coverage.py__codeclimate_test-reporter__coveragepy-example.xml',
      'scala-sbt-legacy__SimplyScala_simplyscala-server__cobertura.xml',
      'jacoco-jcc2c__cjmach_jcc2c__output1.xml',
      'gcovr__Mlapalus_myportfolio__empty-cobertura.xml',
    ]) {
      expect(coberturaParser.sniff(readFileSync(join(GOLDEN, name), 'utf8').replace(/^\uFEFF/, ''))).toBe(true);
    }
  });

  it('leaves Clover (istanbul and PHPUnit), JUnit, lcov and JSON alone', () => {
    expect(coberturaParser.sniff('<?xml version="1.0"?>\n<coverage generated="1" clover="3.2.0">\n<project timestamp="1">')).toBe(false);
    expect(coberturaParser.sniff('<?xml version="1.0"?>\n<coverage generated="1" phpunit="9.6.0">\n  <project timestamp="1">')).toBe(false);
    expect(coberturaParser.sniff('<?xml version="1.0"?>\n<testsuites tests="1">')).toBe(false);
    expect(coberturaParser.sniff('TN:\nSF:src/a.js\nDA:1,1\n')).toBe(false);
    expect(coberturaParser.sniff('{"coverage": {}}')).toBe(false);
  });
});

describe('coberturaParser.parse', () => {
  it('reads <class> directly under <packages> (nyc 2019) and directly under <package> (Swift converter)', async () => {
    const report = await parseText(
      cobertura(
        '<class name="a.js" filename="a.js"><lines><line number="1" hits="1"/></lines></class>\n' +
          '<package name="p"><class name="B" filename="b.swift"><lines><line number="2" hits="0"/></lines></class></package>',
      ),
    );
    expect(linesOf(report, 'a.js')).toEqual({ 1: 1 });
    expect(linesOf(report, 'b.swift')).toEqual({ 2: 0 });
  });

  it('counts method lines when a class has no class-level line at all (Swift xccov converter)', async () => {
    const report = await parseText(
      cobertura(
        '<package name="p"><class name="C" filename="C.swift"><methods>' +
          '<method name="f" signature=""><lines><line number="3" hits="2"/><line number="4" hits="0"/></lines></method>' +
          '<method name="g" signature=""><lines><line number="4" hits="1"/></lines></method>' +
          '</methods></class></package>',
      ),
    );
    expect(linesOf(report, 'C.swift')).toEqual({ 3: 2, 4: 1 });
  });

  it('ignores the declaration lines istanbul puts under <methods> when the class has its own <lines>', async () => {
    // vitest/istanbul: method line 1 ("function reserve(") is not in lcov's DA nor in lines-valid.
    const report = await parseText(
      cobertura(
        '<package name="main"><classes><class name="stock.js" filename="src/stock.js"><methods>' +
          '<method name="reserve" hits="2" signature="()V"><lines><line number="1" hits="2"/></lines></method>' +
          '</methods><lines><line number="2" hits="2" branch="true" condition-coverage="50% (1/2)"/>' +
          '<line number="4" hits="0" branch="false"/></lines></class></classes></package>',
      ),
    );
    expect(linesOf(report, 'src/stock.js')).toEqual({ 2: 2, 4: 0 });
  });

  it('counts a line once when coverlet and gcovr repeat it in the method and the class <lines>', async () => {
    const report = await parseText(
      cobertura(
        '<class name="C" filename="C.cs"><methods><method name="M"><lines><line number="5" hits="3"/></lines></method></methods>' +
          '<lines><line number="5" hits="3"/><line number="6" hits="0"/></lines></class>',
      ),
    );
    expect(linesOf(report, 'C.cs')).toEqual({ 5: 3, 6: 0 });
    expect(report.warnings).toEqual([]);
  });

  it('merges repeated line numbers with the highest hits and says how many were merged (scoverage, AltCover)', async () => {
    const report = await parseText(
      cobertura(
        '<class name="T" filename="T.cs"><lines><line number="11" hits="0"/><line number="11" hits="4"/><line number="12" hits="2"/></lines></class>' +
          '<class name="T/&lt;&gt;c" filename="T.cs"><lines><line number="12" hits="0"/></lines></class>',
      ),
    );
    expect(linesOf(report, 'T.cs')).toEqual({ 11: 4, 12: 2 });
    expect(report.warnings).toEqual(['2 repeated <line> records for the same file and line merged, keeping the highest hit count.']);
  });

  it('aggregates the many classes that share one filename, in first-seen order (gocover receiver types)', async () => {
    const report = await parseText(
      cobertura(
        '<package name="m"><classes>' +
          '<class name="Router" filename="mux.go"><lines><line number="10" hits="1"/></lines></class>' +
          '<class name="-" filename="doc.go"><lines></lines></class>' +
          '<class name="Route" filename="mux.go"><lines><line number="20" hits="0"></line></lines></class>' +
          '</classes></package>',
      ),
    );
    expect(report.files.map((file) => file.path)).toEqual(['mux.go', 'doc.go']);
    expect(linesOf(report, 'mux.go')).toEqual({ 10: 1, 20: 0 });
    expect(linesOf(report, 'doc.go')).toEqual({});
  });

  it('is not disturbed by branch="True", decimal condition-coverage and <conditions> children', async () => {
    const report = await parseText(
      cobertura(
        '<class name="L" filename="L.java"><lines>' +
          '<line number="77" hits="0" branch="True" condition-coverage="0.0% (0/4)"><conditions><condition number="0" type="jump" coverage="0.0%"/></conditions></line>' +
          '<line number="78" hits="5" branch="False" missing-branches="80,81"/>' +
          '</lines></class>',
      ),
    );
    expect(linesOf(report, 'L.java')).toEqual({ 77: 0, 78: 5 });
  });

  it('reads hits written as "1.0", and hit counts past 2^53 up to 2^64 capped to 2^53 − 1 as lcov does (larger ones are refused: huge-numbers.test.ts)', async () => {
    const report = await parseText(
      cobertura('<class name="H" filename="h.c"><lines><line number="1" hits="1.0"/><line number="2" hits="18446744073709551615"/></lines></class>'),
    );
    expect(linesOf(report, 'h.c')).toEqual({ 1: 1, 2: Number.MAX_SAFE_INTEGER });
  });

  it('keeps filenames exactly as written: Windows separators, drive letters, spaces, non-ASCII, escaped markup', async () => {
    const names = ['C:\\temp\\AbstractClass.cs', 'app\\TestController.ts', '/temp/someclass.h', 'src/my file/Ünïcode.ts', 'a&b<c>.js'];
    const classes = names
      .map((name) => name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'))
      .map((name) => `<class name="x" filename="${name}"><lines><line number="1" hits="1"/></lines></class>`)
      .join('');
    const report = await parseText(cobertura(classes));
    expect(report.files.map((file) => file.path)).toEqual(names);
  });

  it('returns the <source> roots trimmed and in order, dropping empty ones', async () => {
    const sources = '<sources>\n  <source>\n    /builds/group/project\n  </source>\n  <source></source>\n  <source>C:\\temp\\</source>\n  <source/>\n  <source>$GOMODCACHE</source>\n</sources>\n';
    const report = await parseText(cobertura('', '<coverage>', sources), 5);
    expect(report.sourceRoots).toEqual(['/builds/group/project', 'C:\\temp\\', '$GOMODCACHE']);
  });

  it('reports an empty <packages/> as no files, not as an error', async () => {
    const report = await parseText('<?xml version="1.0" ?>\n<coverage line-rate="0.0"><sources><source>.</source></sources><packages/></coverage>');
    expect(report.files).toEqual([]);
    expect(report.sourceRoots).toEqual(['.']);
    expect(report.producerTotals).toBeUndefined();
  });

  it('keeps the root lines-covered/lines-valid as producerTotals only when both are numbers', async () => {
    const totals = async (root: string): Promise<ParsedCoverageReport['producerTotals']> => (await parseText(cobertura('', root))).producerTotals;
    expect(await totals('<coverage lines-covered="10" lines-valid="13" line-rate="0.7692">')).toEqual({ covered: 10, total: 13 });
    expect(await totals('<coverage lines-valid="2.0" lines-covered="1.0">')).toEqual({ covered: 1, total: 2 });
    expect(await totals('<coverage line-rate="0.98">')).toBeUndefined();
    expect(await totals('<coverage lines-covered="NaN" lines-valid="5">')).toBeUndefined();
    expect(await totals('<coverage lines-covered="" lines-valid="5">')).toBeUndefined();
  });

  it('gives the same result whatever the chunk boundaries', async () => {
    const text = readFileSync(join(GOLDEN, 'coverlet__danielpalme_ReportGenerator__Cobertura_coverlet.xml'), 'utf8').replace(/^\uFEFF/, '');
    const whole = await parseText(text);
    const pieces = await parseText(text, 7);
    expect(pieces).toEqual(whole);
    expect(whole.files).toHaveLength(18);
  });

  it('rejects a line number that is not a positive whole number, at its position', async () => {
    for (const number of ['0', '-3', 'abc', '1.5', '']) {
      const error = await parseError(cobertura(`<class name="x" filename="x.c">\n<lines>\n<line number="${number}" hits="1"/></lines></class>`));
      expect(error.code).toBe('INPUT_MALFORMED');
      expect(error.message).toBe(`has a <line> element with number="${number}", which is not a positive whole number.`);
      expect(error.position?.line).toBe(6);
    }
  });

  it('rejects negative or missing hits', async () => {
    const negative = await parseError(cobertura('<class name="x" filename="x.c"><lines><line number="1" hits="-1"/></lines></class>'));
    expect(negative.message).toContain('hits="-1", which is not a count of zero or more');
    const missing = await parseError(cobertura('<class name="x" filename="x.c"><lines><line number="1"/></lines></class>'));
    expect(missing.message).toBe(`has a <line> element without a hits attribute.`);
    expect(missing.hint).toContain('Cobertura format');
  });

  it('refuses a Clover report passed as Cobertura, saying so', async () => {
    const error = await parseError('<?xml version="1.0"?><coverage generated="1"><project timestamp="1"><file name="a.php"/></project></coverage>');
    expect(error.code).toBe('INPUT_MALFORMED');
    expect(error.message).toBe(`is not a Cobertura report: it is a Clover report (<coverage> holds a <project>).`);
    const marked = await parseError('<coverage clover="3.2.0"/>');
    expect(marked.message).toContain('clover attribute');
  });

  it('refuses a document whose root is not <coverage>, even one made of Cobertura elements', async () => {
    const error = await parseError('<class name="x" filename="x.c"><lines><line number="1" hits="1"/></lines></class>');
    expect(error.message).toBe(`is not a Cobertura report: its root element is <class>, not <coverage>.`);
    expect(error.hint).toContain('Cobertura XML report');
  });
});
