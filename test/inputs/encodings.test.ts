/**
 * Every text format decodes UTF-16LE/BE and UTF-8 with a byte order mark, and Latin-1 XML as
 * its declaration says: real fixtures, converted with iconv at test time, parse to exactly what
 * the UTF-8 original parses to.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readChangedLinesFromDiffFile } from '../../src/diff/diff-file.js';
import { readCoverageReport } from '../../src/inputs/coverage/registry.js';
import { readE2eReport } from '../../src/inputs/e2e/registry.js';
import { readMutationReport } from '../../src/inputs/mutation/registry.js';
import { readK6Run } from '../../src/inputs/perf/registry.js';
import { detectEncoding, openInput } from '../../src/inputs/read-input.js';

const REAL = '/work/shared/fixtures-real';
/** The repository's own fixtures, for the formats the shared corpus lacks; paths starting with `repo:`. */
const REPO = join(import.meta.dirname, '..', '..');
const where = (fixture: string): string => (fixture.startsWith('repo:') ? join(REPO, fixture.slice(5)) : join(REAL, fixture));
const work = mkdtempSync(join(tmpdir(), 'qgate-enc-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const FIXTURES: Array<[string, string, (path: string) => Promise<unknown>]> = [
  ['lcov', 'coverage-lcov/cargo-llvm-cov__0xKMitev_zero2prod__lcov.info', (path) => readCoverageReport(path, path)],
  ['cobertura', 'coverage-cobertura/coverage.py__8451_labrea__coverage.xml', (path) => readCoverageReport(path, path)],
  ['istanbul', 'coverage-istanbul/jest-tsjest__0xPolycode_klaster-sdk__coverage-final.json', (path) => readCoverageReport(path, path)],
  ['cucumber-json', 'cucumber-json/behave-cucumber-formatter__adrianhardkor_stc__cucumber.json', (path) => readE2eReport(path, path)],
  ['cucumber-messages', 'cucumber-messages/cck-fake-cucumber-12__cucumber_compatibility-kit__examples-tables.feature.ndjson', (path) => readE2eReport(path, path)],
  ['junit', 'junit/cucumber-junit-xml-formatter__cucumber_junit-xml-formatter__all-statuses.default.xml', (path) => readE2eReport(path, path)],
  ['k6-summary-export', 'k6-summary-export/k6__Sweet-Poision_rate-limiter__k6-summary.json', (path) => readK6Run(path, path)],
  ['k6-handle-summary', 'k6-handle-summary/k6__Jangwanko_Cloud_portfolio__k6-summary.json', (path) => readK6Run(path, path)],
  ['k6-ndjson', 'k6-ndjson/k6__fede-gut-mad_lw-assignment__test.json', (path) => readK6Run(path, path)],
  ['clover', 'repo:fixtures/coverage/clover/vitest4-v8__clover.xml', (path) => readCoverageReport(path, path)],
  ['cobertura from JaCoCo (jcc2c)', 'repo:fixtures/coverage/cobertura/jacoco-jcc2c__cjmach_jcc2c__output1.xml', (path) => readCoverageReport(path, path)],
  ['istanbul-summary', 'repo:fixtures/coverage/istanbul-summary/jest__20Max01_TSinjex__coverage-summary.json', (path) => readCoverageReport(path, path)],
  ['k6-machine-readable', 'repo:fixtures/perf/k6-machine-readable/schema-1.0.0__itzaddddd-ticket-reserve-transcribed.json', (path) => readK6Run(path, path)],
  ['unified diff (--diff-file)', 'repo:fixtures/real-mr/jest-azure-demo/mr.patch', (path) => readChangedLinesFromDiffFile(path, path)],
  ['stryker', 'stryker/cosmic-ray-converter__stryker-mutator_mutation-testing-elements__python-example-report.json', (path) => readMutationReport(path, path)],
];

/** The fixture in `encoding` (iconv), with a BOM unless `bom` is false; the path keeps the original name. */
function converted(fixture: string, encoding: 'UTF-16LE' | 'UTF-16BE' | 'UTF-8'): string {
  const original = where(fixture);
  const bytes = execFileSync('iconv', ['-f', 'UTF-8', '-t', encoding, original]);
  const bom = { 'UTF-16LE': [0xff, 0xfe], 'UTF-16BE': [0xfe, 0xff], 'UTF-8': [0xef, 0xbb, 0xbf] }[encoding];
  const dir = mkdtempSync(join(work, `${encoding}-`));
  const path = join(dir, fixture.split('/').at(-1)!);
  writeFileSync(path, Buffer.concat([Buffer.from(bom), bytes]));
  return path;
}

/** Parse results compared without the file name, which differs by folder. */
function comparable(value: unknown, original: string, copy: string): unknown {
  const json = JSON.stringify(value, (_key, item: unknown) => (item instanceof Map ? [...(item as Map<unknown, unknown>).entries()] : item));
  return JSON.parse(json.split(JSON.stringify(copy).slice(1, -1)).join(JSON.stringify(original).slice(1, -1)));
}

describe.each(FIXTURES)('%s', (_format, fixture, read) => {
  it.each(['UTF-16LE', 'UTF-16BE', 'UTF-8'] as const)('decodes %s with a BOM to what UTF-8 gives', async (encoding) => {
    const original = where(fixture);
    const expected = await read(original);
    expect(JSON.stringify(comparable(expected, original, original)).length).toBeGreaterThan(200);
    const copy = converted(fixture, encoding);
    expect((await openInput(copy)).encoding).toBe(encoding === 'UTF-8' ? 'utf-8-bom' : encoding.toLowerCase());
    expect(comparable(await read(copy), original, copy)).toEqual(comparable(expected, original, original));
  });
});

describe('Latin-1 XML', () => {
  it('decodes a Cobertura file declared ISO-8859-1 as declared (é in a file name)', async () => {
    const utf8 = readFileSync(join(REAL, 'coverage-cobertura/coverage.py__8451_labrea__coverage.xml'), 'utf8')
      .replace(/^<\?xml[^>]*\?>/, '<?xml version="1.0" encoding="ISO-8859-1"?>')
      .replace(/filename="([^"]+)\.py"/, 'filename="$1_café.py"');
    const utf8Path = join(work, 'latin1-as-utf8.xml');
    writeFileSync(utf8Path, utf8);
    const latin1Path = join(work, 'latin1.xml');
    writeFileSync(latin1Path, execFileSync('iconv', ['-f', 'UTF-8', '-t', 'ISO-8859-1', utf8Path]));
    expect(readFileSync(latin1Path).includes(Buffer.from('café', 'latin1'))).toBe(true);
    expect((await openInput(latin1Path)).encoding).toBe('latin1');
    const report = (await readCoverageReport(latin1Path, latin1Path)) as { files: Array<{ path: string }> };
    expect(report.files.some((file) => file.path.endsWith('_café.py'))).toBe(true);
  });

  it('still refuses a file with NUL bytes and no BOM as binary', async () => {
    const path = join(work, 'binary.info');
    writeFileSync(path, Buffer.from('SF:a.ts\u0000\u0000DA:1,1\n'));
    await expect(openInput(path)).rejects.toThrow('is not a text file');
  });
});

/**
 * An XML fixture whose names get characters outside ASCII, written once as UTF-8 and once in a
 * single-byte encoding with the declaration naming it: both parse to the same result.
 */
const DECLARED: Array<[string, string, RegExp, string, (path: string) => Promise<unknown>]> = [
  ['Cobertura', 'coverage-cobertura/coverage.py__8451_labrea__coverage.xml', /filename="([^"]+)\.py"/, 'filename="$1_café€.py"', (path) => readCoverageReport(path, path)],
  ['Clover', 'repo:fixtures/coverage/clover/vitest4-v8__clover.xml', /path="([^"]+)\.js"/, 'path="$1_café€.js"', (path) => readCoverageReport(path, path)],
  ['JUnit XML', 'junit/cucumber-junit-xml-formatter__cucumber_junit-xml-formatter__all-statuses.default.xml', /name="Passing"/, 'name="Passing “café” € – ß"', (path) => readE2eReport(path, path)],
];

describe.each(DECLARED)('%s declared in a single-byte encoding', (_format, fixture, pattern, replacement, read) => {
  it.each([
    ['ISO-8859-1', 'latin1', 'ISO-8859-1'],
    ['windows-1252', 'windows-1252', 'WINDOWS-1252'],
  ] as const)('decodes encoding="%s" as declared, to what UTF-8 gives', async (declared, expectedEncoding, iconvName) => {
    const source = readFileSync(where(fixture), 'utf8');
    // Latin-1 has no € or curly quotes (they are windows-1252's 0x80–0x9F): keep to é and ß there.
    const text = declared === 'ISO-8859-1' ? replacement.replace(/[€“”–]/g, '') : replacement;
    const named = source.replace(pattern, text);
    expect(named).not.toBe(source);
    const dir = mkdtempSync(join(work, `${declared}-`));
    const utf8Path = join(dir, 'utf8.xml');
    writeFileSync(utf8Path, named.replace(/^<\?xml[^>]*\?>/, '<?xml version="1.0" encoding="UTF-8"?>'));
    const singlePath = join(dir, 'single.xml');
    const declaredText = named.replace(/^<\?xml[^>]*\?>/, `<?xml version="1.0" encoding="${declared}"?>`);
    writeFileSync(join(dir, 'declared-utf8.xml'), declaredText);
    writeFileSync(singlePath, execFileSync('iconv', ['-f', 'UTF-8', '-t', iconvName, join(dir, 'declared-utf8.xml')]));
    expect(readFileSync(singlePath).includes(Buffer.from('é', 'latin1'))).toBe(true);
    expect((await openInput(singlePath)).encoding).toBe(expectedEncoding);
    const expected = await read(utf8Path);
    expect(JSON.stringify(expected)).toContain('café');
    expect(comparable(await read(singlePath), utf8Path, singlePath)).toEqual(comparable(expected, utf8Path, utf8Path));
  });
});

describe('detectEncoding', () => {
  it.each([
    ['ISO-8859-1', 'latin1'],
    ['latin1', 'latin1'],
    ["iso-8859-1' standalone='yes", 'latin1'],
    ['windows-1252', 'windows-1252'],
    ['CP1252', 'windows-1252'],
    ['UTF-8', 'utf-8'],
    ['ISO-8859-15', 'utf-8'],
  ])('reads the declaration encoding="%s" as %s', (label, expected) => {
    const quote = label.includes("'") ? "'" : '"';
    expect(detectEncoding(Buffer.from(`<?xml version="1.0" encoding=${quote}${label}${quote}?><coverage/>`, 'latin1'))).toBe(expected);
  });

  it('maps every byte windows-1252 defines in 0x80–0x9F as iconv does', async () => {
    const bytes = Buffer.from([...Array(32).keys()].map((index) => 0x80 + index).filter((byte) => ![0x81, 0x8d, 0x8f, 0x90, 0x9d].includes(byte)));
    const path = join(work, 'cp1252-bytes.xml');
    writeFileSync(path, Buffer.concat([Buffer.from('<?xml version="1.0" encoding="windows-1252"?><a>'), bytes, Buffer.from('</a>')]));
    const expected = execFileSync('iconv', ['-f', 'WINDOWS-1252', '-t', 'UTF-8'], { input: bytes }).toString('utf8');
    let text = '';
    for await (const chunk of (await openInput(path)).chunks()) text += chunk;
    expect(text).toBe(`<?xml version="1.0" encoding="windows-1252"?><a>${expected}</a>`);
  });
});
