import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatError, isQgateError, type QgateError } from '../../../src/errors.js';
import { readMutationReport } from '../../../src/inputs/mutation/registry.js';
import { formatJsonPath, readMutationDocument, strykerReportParser } from '../../../src/inputs/mutation/stryker-report.js';
import { measureMutation } from '../../../src/measure/mutation-score.js';
import type { MutationCounts, MutationReport, MutationResult } from '../../../src/model/mutation.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/mutation/', import.meta.url));
const STRYKER = join(FIXTURES, 'stryker');
const GENERATED = join(FIXTURES, 'generated');
const BAD = join(FIXTURES, 'bad');
const FILE = 'reports/mutation/mutation.json';

/** mutation-testing-metrics' figures as scripts/mutation-expected.mjs wrote them (its own field names). */
interface MetricsFigures {
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  compileErrors: number;
  runtimeErrors: number;
  ignored: number;
  pending: number;
  totalDetected: number;
  totalUndetected: number;
  totalValid: number;
  totalInvalid: number;
  totalMutants: number;
  mutationScore: number | null;
}

interface GoldenExpectation {
  schemaVersion: string | number;
  totals: MetricsFigures;
  files: Record<string, MetricsFigures>;
  producer?: Partial<MetricsFigures> & { source: string };
}

interface BadExpectation {
  format: string;
  code: string;
  position?: { line: number; column?: number };
  messageIncludes?: string;
}

function goldenCases(folder: string): { name: string; data: string; expected: GoldenExpectation }[] {
  const names = readdirSync(folder);
  return names
    .filter((name) => name.endsWith('.expected.json'))
    .map((expectedName) => {
      const name = expectedName.slice(0, -'.expected.json'.length);
      const data = `${name}.json`;
      if (!names.includes(data)) throw new Error(`no data file for ${expectedName}`);
      return { name, data: join(folder, data), expected: JSON.parse(readFileSync(join(folder, expectedName), 'utf8')) as GoldenExpectation };
    });
}

function badCases(): { defect: string; data: string; expected: BadExpectation }[] {
  const names = readdirSync(BAD);
  return names
    .filter((name) => name.endsWith('.mutation.expected.json'))
    .map((expectedName) => {
      const defect = expectedName.slice(0, -'.mutation.expected.json'.length);
      const data = names.find((name) => name.startsWith(`${defect}.mutation.`) && name !== expectedName);
      if (data === undefined) throw new Error(`no data file for ${expectedName}`);
      return { defect, data: join(BAD, data), expected: JSON.parse(readFileSync(join(BAD, expectedName), 'utf8')) as BadExpectation };
    });
}

const NO_DIFF = { source: 'git' as const, baseSha: null, headSha: null, files: [], deletedFiles: 0 };
/** No repository file: every key stays as reported, so per-file figures line up with metrics' per-key ones. */
const NO_REPO = { root: '/nowhere', files: new Set<string>() };

function measure(report: MutationReport): MutationResult {
  return measureMutation(report, NO_DIFF, { repo: NO_REPO, reportDir: '' });
}

/** qgate's counts in metrics' vocabulary, so one toEqual compares every figure. */
function asMetrics(counts: MutationCounts): Omit<MetricsFigures, 'compileErrors' | 'runtimeErrors' | 'mutationScore'> {
  return {
    killed: counts.killed,
    timeout: counts.timeout,
    survived: counts.survived,
    noCoverage: counts.noCoverage,
    ignored: counts.ignored,
    pending: counts.pending,
    totalDetected: counts.detected,
    totalUndetected: counts.undetected,
    totalValid: counts.valid,
    totalInvalid: counts.errors,
    totalMutants: counts.total,
  };
}

function expectSameAsMetrics(counts: MutationCounts, metrics: MetricsFigures, where: string): void {
  const { compileErrors: _c, runtimeErrors: _r, mutationScore, ...rest } = metrics;
  expect(asMetrics(counts), where).toEqual(rest);
  if (mutationScore === null) {
    expect(counts.score, where).toBeNull();
  } else {
    // qgate floors to 2 decimals (a shown 80.00 never hides 79.996); metrics keeps the float.
    expect(counts.score, where).toBe(Math.floor((counts.detected * 10000) / counts.valid) / 100);
    expect(Math.abs((counts.score ?? Number.NaN) - mutationScore), where).toBeLessThan(0.01);
    expect(counts.score, where).toBeLessThanOrEqual(mutationScore);
  }
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
}

function documentError(document: unknown): QgateError {
  try {
    readMutationDocument(document, FILE);
  } catch (error) {
    if (isQgateError(error)) return error;
    throw new Error(`expected a QgateError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected an error');
}

function generatedDocument(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(STRYKER, 'stryker-js9__mutation.json'), 'utf8')) as Record<string, unknown>;
}

/** A minimal valid report with the given statuses in one file. */
function reportWith(statuses: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemaVersion: '1.0',
    thresholds: { high: 80, low: 60 },
    files: {
      'src/a.js': {
        language: 'javascript',
        source: 'a\nb\nc\n',
        mutants: statuses.map((status, index) => ({
          id: String(index),
          mutatorName: 'BooleanLiteral',
          replacement: 'false',
          status,
          location: { start: { line: 1 + index, column: 1 }, end: { line: 1 + index, column: 5 } },
        })),
      },
    },
    ...extra,
  };
}

describe('golden: every real report in fixtures/mutation/stryker equals mutation-testing-metrics', () => {
  const cases = goldenCases(STRYKER);

  it('covers all 13 files of fixtures-real/stryker and the generated StrykerJS 9 run', () => {
    expect(cases.map((entry) => entry.name.split('__')[0]).sort()).toEqual([
      'cargo-mutants',
      'cosmic-ray-converter',
      'infection',
      'pitest-elements-plugin',
      'stryker-js',
      'stryker-js4',
      'stryker-js6',
      'stryker-js7',
      'stryker-js9',
      'stryker-js9',
      'stryker-js9',
      'stryker-net',
      'stryker-net',
      'stryker4s',
    ]);
  });

  for (const { name, data, expected } of cases) {
    it(`${name}: totals and every file`, async () => {
      const report = await readMutationReport(data);
      expect(report.schemaVersion).toBe(String(expected.schemaVersion));
      const result = measure(report);
      expectSameAsMetrics(result, expected.totals, 'totals');
      expect(result.files.map((file) => file.path).sort()).toEqual(Object.keys(expected.files).sort());
      for (const file of result.files) {
        const metrics = expected.files[file.path];
        if (metrics === undefined) throw new Error(`no expectation for ${file.path}`);
        expectSameAsMetrics(file, metrics, file.path);
      }
      expect(result.unresolvedFiles).toHaveLength(Object.keys(expected.files).length);
    });
  }

  it('agrees with the producer of the generated run: killed 20, survived 5, no coverage 5, timeout 0, 66.67% of 30', async () => {
    const result = measure(await readMutationReport(join(STRYKER, 'stryker-js9__mutation.json')));
    expect(result).toMatchObject({ killed: 20, survived: 5, noCoverage: 5, timeout: 0, valid: 30, detected: 20 });
    // Stryker rounds to 66.67 for display; qgate floors every percent to 2 decimals.
    expect(Math.round((result.detected * 10000) / result.valid) / 100).toBe(66.67);
    expect(result.score).toBe(66.66);
  });

  it('agrees with the mutationScore Infection wrote into its own report', async () => {
    const name = 'infection__stryker-mutator_mutation-testing-elements__infection-php-example-report';
    const expected = cases.find((entry) => entry.name === name)?.expected;
    const result = measure(await readMutationReport(join(STRYKER, `${name}.json`)));
    expect(expected?.producer?.mutationScore).toBeCloseTo(53.846, 3);
    expect(Math.abs((result.score ?? 0) - (expected?.producer?.mutationScore ?? 0))).toBeLessThan(0.01);
  });

  it('reads the 1.2 MB cargo-mutants report (1016 mutants, 253 compile errors) in well under a second', async () => {
    const started = performance.now();
    const result = measure(await readMutationReport(join(STRYKER, 'cargo-mutants__stryker-mutator_mutation-testing-elements__rust-example-report.json')));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result).toMatchObject({ total: 1016, errors: 253, valid: 763 });
  });

  it('says null, not 0 or 100, for Stryker.NET’s real-time snapshot (only Pending and Ignored)', async () => {
    const result = measure(
      await readMutationReport(join(STRYKER, 'stryker-net__stryker-mutator_mutation-testing-elements__realtime-reporting-example-mutation-report.json')),
    );
    expect(result).toMatchObject({ total: 15, pending: 10, ignored: 5, valid: 0, score: null });
  });

  it('scores the pathological all-survived run 0, not null', async () => {
    const result = measure(await readMutationReport(join(STRYKER, 'stryker-js9__CodeItQuick_JavascriptKata__all-survived-mutation.json')));
    expect(result).toMatchObject({ survived: 1768, valid: 1768, score: 0 });
  });
});

describe('golden: the Stryker run on fixtures/mutation/stryker-project', () => {
  it('equals mutation-testing-metrics', async () => {
    const [entry] = goldenCases(GENERATED);
    if (entry === undefined) throw new Error('no generated golden case');
    const result = measure(await readMutationReport(entry.data));
    expectSameAsMetrics(result, entry.expected.totals, 'totals');
    expect(result.ignored).toBe(2);
  });
});

describe('quirks of real reports, read on purpose with a warning', () => {
  it('reads schemaVersion as the number 1 (Infection, PIT plugin) as "1"', async () => {
    const report = await readMutationReport(join(STRYKER, 'infection__stryker-mutator_mutation-testing-elements__infection-php-example-report.json'));
    expect(report.schemaVersion).toBe('1');
    expect(report.warnings).toEqual(['schemaVersion is the number 1, not the string "1" the schema asks for (Infection, PIT plugin); read as "1".']);
  });

  it('reads numeric mutant ids as strings, and keeps PIT’s description where there is no replacement', async () => {
    const report = await readMutationReport(join(STRYKER, 'pitest-elements-plugin__stryker-mutator_mutation-testing-elements__pitest-example-report.json'));
    const mutant = report.files[0]?.mutants[0];
    expect(typeof mutant?.id).toBe('string');
    expect(mutant?.replacement).toBeNull();
    expect(mutant?.description).toEqual(expect.any(String));
    expect(report.warnings).toContain('87 mutant ids are numbers, not strings as the schema says (PIT plugin, early Stryker.NET); read as strings.');
  });

  it('maps Stryker.NET’s legacy BuildError → CompileError and Skipped → Ignored, and says so', async () => {
    const report = await readMutationReport(join(STRYKER, 'stryker-net__stryker-mutator_mutation-testing-elements__csharp-example-mutation-report.json'));
    const statuses = report.files.flatMap((file) => file.mutants.map((mutant) => mutant.status));
    expect(statuses).not.toContain('BuildError');
    expect(statuses.filter((status) => status === 'CompileError')).toHaveLength(2);
    expect(statuses.filter((status) => status === 'Ignored')).toHaveLength(1);
    expect(report.warnings).toEqual([
      '18 mutant ids are numbers, not strings as the schema says (PIT plugin, early Stryker.NET); read as strings.',
      '2 mutants have the legacy Stryker.NET status "BuildError", read as "CompileError".',
      '1 mutant has the legacy Stryker.NET status "Skipped", read as "Ignored".',
    ]);
  });

  it('keeps keys exactly as reported (backslashes, absolute Windows paths) and projectRoot', async () => {
    const report = await readMutationReport(join(STRYKER, 'stryker-net__stryker-mutator_mutation-testing-elements__csharp-example-mutation-report.json'));
    expect(report.files[0]?.path).toBe('ExampleProject\\DummyCalc.cs');
    expect(report.files[1]?.path).toMatch(/^c:\\z\\github\\/);
    expect(report.projectRoot).toBe('c:\\z\\github\\stryker-mutator\\mutation-testing-elements\\testResources\\csharp-example');
    expect(report.files[0]?.mutants[0]).toEqual({
      id: '0',
      file: 'ExampleProject\\DummyCalc.cs',
      mutatorName: 'Binary expression mutation',
      replacement: 'second < 0',
      description: null,
      status: 'Survived',
      location: { start: { line: 9, column: 10 }, end: { line: 9, column: 20 } },
    });
  });

  it('ignores StrykerJS 6’s non-schema relativeFileName and reads projectRoot null when absent', async () => {
    const report = await readMutationReport(join(STRYKER, 'stryker-js6__stryker-mutator_mutation-testing-elements__unsanitized-example-mutation-report.json'));
    expect(report.warnings).toEqual([]);
    expect(Object.keys(report.files[0]?.mutants[0] ?? {}).sort()).toEqual(['description', 'file', 'id', 'location', 'mutatorName', 'replacement', 'status']);
    const pit = await readMutationReport(join(STRYKER, 'pitest-elements-plugin__stryker-mutator_mutation-testing-elements__pitest-example-report.json'));
    expect(pit.projectRoot).toBeNull();
  });

  it('gives no warning for the recent StrykerJS reports', async () => {
    for (const name of ['stryker-js9__mutation.json', 'stryker-js9__scolladon_dataset-loader__mutation.json', 'stryker-js7__stryker-mutator_mutation-testing-elements__svelte-example-mutation-report.json']) {
      expect((await readMutationReport(join(STRYKER, name))).warnings, name).toEqual([]);
    }
  });
});

describe('schema validation: strict where qgate counts, tolerant elsewhere', () => {
  it('accepts every schema version 1 and 2 spelling', () => {
    for (const version of ['1', '1.0', '1.5', '2', '2.0', '2.0.0', 1, 2]) {
      expect(readMutationDocument(reportWith(['Killed'], { schemaVersion: version }), FILE).schemaVersion).toBe(String(version));
    }
  });

  it.each([
    ['"3"', '3', 'has schemaVersion "3"; qgate reads versions 1 and 2'],
    ['"0.9"', '0.9', 'has schemaVersion "0.9"'],
    ['"1.05"', '1.05', 'has schemaVersion "1.05"'],
    ['the number 3', 3, 'has schemaVersion 3;'],
    ['the number 1.5', 1.5, 'has schemaVersion 1.5;'],
  ])('refuses schemaVersion %s with INPUT_MALFORMED and a hint about versions', (_title, version, message) => {
    const error = documentError(reportWith(['Killed'], { schemaVersion: version }));
    expect(error.code).toBe('INPUT_MALFORMED');
    expect(error.message).toContain(message);
    expect(error.hint).toMatch(/schema version 1 or 2/);
  });

  it('refuses a schemaVersion that is no string or number', () => {
    expect(documentError(reportWith(['Killed'], { schemaVersion: null })).message).toBe('has schemaVersion null; expected a version string such as "1.0".');
  });

  it.each([
    ['an unknown status', (doc: Record<string, unknown>) => setMutant(doc, 0, 'status', 'Escaped'), '$.files["src/a.js"].mutants[0].status is "Escaped", expected one of Killed, Survived, NoCoverage, CompileError, RuntimeError, Timeout, Ignored, Pending'],
    ['a missing status', (doc: Record<string, unknown>) => setMutant(doc, 0, 'status', undefined), '$.files["src/a.js"].mutants[0] has no "status"'],
    ['a column of 0', (doc: Record<string, unknown>) => setMutant(doc, 0, 'location', { start: { line: 1, column: 0 }, end: { line: 1, column: 2 } }), '$.files["src/a.js"].mutants[0].location.start.column is 0, expected at least 1'],
    ['a fractional line', (doc: Record<string, unknown>) => setMutant(doc, 0, 'location', { start: { line: 1.5, column: 1 }, end: { line: 2, column: 2 } }), '.location.start.line is 1.5, expected an integer'],
    ['a string line', (doc: Record<string, unknown>) => setMutant(doc, 0, 'location', { start: { line: '1', column: 1 }, end: { line: 2, column: 2 } }), '.location.start.line is "1", expected an integer'],
    ['a replacement that is a number', (doc: Record<string, unknown>) => setMutant(doc, 0, 'replacement', 7), '.replacement is 7, expected a string'],
    ['a mutatorName that is null', (doc: Record<string, unknown>) => setMutant(doc, 0, 'mutatorName', null), '.mutatorName is null, expected a string'],
    ['mutants that are an object', (doc: Record<string, unknown>) => (fileOf(doc).mutants = {}), '$.files["src/a.js"].mutants is an object, expected an array'],
    ['a file without mutants', (doc: Record<string, unknown>) => delete fileOf(doc).mutants, '$.files["src/a.js"] has no "mutants"'],
    ['a file entry that is a string', (doc: Record<string, unknown>) => ((doc.files as Record<string, unknown>)['src/a.js'] = 'x'), '$.files["src/a.js"] is "x", expected an object'],
    ['a projectRoot that is a number', (doc: Record<string, unknown>) => (doc.projectRoot = 3), '$.projectRoot is 3, expected a string'],
  ])('refuses %s, naming its JSON path', (_title, change, message) => {
    const document = reportWith(['Killed', 'Survived']);
    change(document);
    const error = documentError(document);
    expect(error.code).toBe('INPUT_MALFORMED');
    expect(error.file).toBe(FILE);
    expect(error.message).toContain(message);
    expect(error.message).not.toMatch(/must be|instancePath|schemaPath/);
  });

  it('names the first three problems and counts the rest', () => {
    const document = reportWith(['A', 'B', 'C', 'D', 'E']);
    const error = documentError(document);
    expect(error.message).toMatch(/^does not follow mutation-testing-report-schema \(5 problems in the mutants qgate counts\): /);
    expect(error.message).toContain('mutants[0].status is "A"');
    expect(error.message).toContain('mutants[2].status is "C"');
    expect(error.message).not.toContain('mutants[3]');
    expect(error.message).toMatch(/; and 2 more\.$/);
  });

  it('only warns about parts qgate does not read (thresholds, source, language, framework, test links)', () => {
    const document = reportWith(['Killed', 'Survived'], { framework: { name: 7 } });
    delete document.thresholds;
    delete fileOf(document).source;
    setMutant(document, 0, 'coveredBy', 'test-1');
    setMutant(document, 1, 'testsCompleted', 'two');
    const report = readMutationDocument(document, FILE);
    expect(report.files[0]?.mutants).toHaveLength(2);
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toMatch(/^5 parts that qgate does not use do not follow the schema \(ignored\): \$ has no "thresholds"; /);
    expect(report.warnings[0]).toMatch(/; and 2 more\.$/);
  });

  it('refuses a mutant listed twice (the schema’s uniqueItems), whatever its key order', () => {
    const document = reportWith(['Killed', 'Survived']);
    const mutants = fileOf(document).mutants as Record<string, unknown>[];
    const reordered = Object.fromEntries(Object.entries(mutants[1] ?? {}).reverse());
    mutants.push(reordered);
    const error = documentError(document);
    expect(error.message).toBe(
      'lists the same mutant twice: $.files["src/a.js"].mutants[2] repeats mutants[1] (the schema requires unique mutants; counting both would skew the score).',
    );
  });

  it('accepts two mutants that differ only in a field qgate does not read (not duplicates for the schema either)', () => {
    const document = reportWith(['Killed', 'Killed']);
    const mutants = fileOf(document).mutants as Record<string, unknown>[];
    mutants.push({ ...mutants[0], killedBy: ['t1'] });
    expect(readMutationDocument(document, FILE).files[0]?.mutants).toHaveLength(3);
  });

  it('checks uniqueness of 50 000 mutants in linear time', () => {
    const document = reportWith(Array.from({ length: 50_000 }, () => 'Survived'));
    const started = performance.now();
    readMutationDocument(document, FILE);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('reads an empty `files` as a report without mutants, with a warning', () => {
    const report = readMutationDocument({ schemaVersion: '1', thresholds: { high: 80, low: 60 }, files: {} }, FILE);
    expect(report).toEqual({
      schemaVersion: '1',
      files: [],
      projectRoot: null,
      warnings: ['The report lists no mutated file: the mutation tool found nothing to mutate.'],
    });
  });

  it('never lets a raw TypeError out, whatever one mutant field is replaced with', () => {
    const replacements: unknown[] = [null, 0, -1, 'x', [], {}, true, { start: null }, { start: { line: 'x' } }, { start: { line: 1, column: 1 } }];
    const base = generatedDocument();
    const file = (base.files as Record<string, { mutants: Record<string, unknown>[] }>)['src/stock.js'];
    const mutant = file?.mutants[0] ?? {};
    for (const field of [...Object.keys(mutant), 'location.start', 'location.end']) {
      for (const replacement of replacements) {
        const document = structuredClone(base);
        const target = (document.files as Record<string, { mutants: Record<string, unknown>[] }>)['src/stock.js']?.mutants[0] ?? {};
        if (field.startsWith('location.')) (target.location as Record<string, unknown>)[field.slice('location.'.length)] = replacement;
        else target[field] = replacement;
        try {
          readMutationDocument(document, FILE);
        } catch (error) {
          expect(isQgateError(error), `${field} = ${JSON.stringify(replacement)}: ${String(error)}`).toBe(true);
        }
      }
    }
  });
});

describe('JSON documents that are no mutation report', () => {
  it.each([
    ['an istanbul coverage map', { '/a.js': { path: '/a.js', statementMap: {}, s: {} } }, /istanbul coverage-final\.json; pass it with --coverage/],
    ['an istanbul summary', { total: { lines: { pct: 100 } } }, /istanbul coverage-summary\.json/],
    ['a k6 summary', { metrics: { http_reqs: {} }, root_group: {} }, /k6 summary; pass it with --k6/],
    ['a Cucumber JSON array', [{ uri: 'a.feature', elements: [] }], /Cucumber JSON report/],
    ['an empty array', [], /holds a JSON array, not a mutation testing report/],
    ['a string', 'mutation', /holds "mutation", not a mutation testing report/],
    ['an unrelated object', { name: 'x' }, /neither "schemaVersion" nor "files"/],
    ['files without mutants and no version', { files: { 'a.js': { lines: [] } } }, /holds an object whose "files" list no mutants, without "schemaVersion", not a mutation testing report/],
  ])('names %s (INPUT_UNKNOWN_FORMAT)', (_title, document, message) => {
    const error = documentError(document);
    expect(error.code).toBe('INPUT_UNKNOWN_FORMAT');
    expect(error.message).toMatch(message);
    expect(error.hint).toMatch(/--mutation/);
  });
});

describe('bad mutation report fixtures (through readMutationReport)', () => {
  const cases = badCases();

  it('has a fixture per defect', () => {
    expect(cases.length).toBeGreaterThanOrEqual(14);
  });

  for (const { defect, data, expected } of cases) {
    it(`rejects ${defect} with ${expected.code}`, async () => {
      const error = await errorOf(readMutationReport(data));
      expect(isQgateError(error), String(error)).toBe(true);
      const qgateError = error as QgateError;
      expect(qgateError.code).toBe(expected.code);
      expect(qgateError.file).toBe(data);
      expect(qgateError.format).toBe(expected.format);
      expect(qgateError.position).toEqual(expected.position);
      if (expected.messageIncludes) expect(qgateError.message).toContain(expected.messageIncludes);
      const printed = formatError(qgateError);
      expect(printed).toContain(data);
      expect(printed).not.toMatch(/\n\s+at /);
    });
  }
});

describe('sniffing and paths', () => {
  it('recognises reports whose schemaVersion comes first or last (StrykerJS 9 writes files first)', () => {
    expect(strykerReportParser.sniff('{"files":{"src/a.js":{"language":"javascript","mutants":[{"id":"1","mutatorName":"X"')).toBe(true);
    expect(strykerReportParser.sniff('\n{\n  "schemaVersion": "1",')).toBe(true);
    expect(strykerReportParser.sniff('{"/a.js":{"statementMap":{}}}')).toBe(false);
    expect(strykerReportParser.sniff('[{"uri":"a.feature"}]')).toBe(false);
  });

  it('formats JSON paths with quoted keys and indices', () => {
    const document = { files: { 'src/a b.js': { mutants: [{ location: {} }] } } };
    expect(formatJsonPath(['files', 'src/a b.js', 'mutants', '0', 'location'], document)).toBe('$.files["src/a b.js"].mutants[0].location');
    expect(formatJsonPath([], document)).toBe('$');
  });

  it('reads the report from chunks of any size', async () => {
    const text = readFileSync(join(STRYKER, 'stryker-js9__mutation.json'), 'utf8');
    async function* chunks(size: number): AsyncIterable<string> {
      for (let start = 0; start < text.length; start += size) yield text.slice(start, start + size);
    }
    expect(await strykerReportParser.parse(chunks(7), FILE)).toEqual(await strykerReportParser.parse(chunks(text.length), FILE));
  });
});

function fileOf(document: Record<string, unknown>): Record<string, unknown> {
  return (document.files as Record<string, Record<string, unknown>>)['src/a.js'] ?? {};
}

function setMutant(document: Record<string, unknown>, index: number, field: string, value: unknown): void {
  const mutant = (fileOf(document).mutants as Record<string, unknown>[])[index] ?? {};
  if (value === undefined) delete mutant[field];
  else mutant[field] = value;
}
