import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { formatError, type QgateError } from '../../../src/errors.js';
import { E2E_FORMATS, findE2eParser, readE2eReport, sniffE2eFormat } from '../../../src/inputs/e2e/registry.js';
import type { E2eFormat } from '../../../src/model/e2e.js';
import { errorOf } from '../../support/streams.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/', import.meta.url));
const BAD = join(FIXTURES, 'e2e', 'bad');

interface BadExpectation {
  format: E2eFormat;
  code: string;
  position?: { line: number; column?: number };
  messageIncludes?: string | string[];
}

async function readError(file: string, path: string, format?: E2eFormat): Promise<QgateError> {
  return errorOf(readE2eReport(file, path, format));
}

const badCases = readdirSync(BAD)
  .filter((name) => name.endsWith('.expected.json'))
  .map((expectedName) => {
    const defect = expectedName.slice(0, -'.expected.json'.length);
    const data = readdirSync(BAD).find((name) => name.startsWith(`${defect}.`) && name !== expectedName);
    if (data === undefined) throw new Error(`no data file for ${expectedName}`);
    return { data, expected: JSON.parse(readFileSync(join(BAD, expectedName), 'utf8')) as BadExpectation };
  })
  .sort((a, b) => a.data.localeCompare(b.data));

describe('bad Cucumber inputs', () => {
  it('cover each format, and each is named in PROVENANCE.md', () => {
    expect(new Set(badCases.map((badCase) => badCase.expected.format))).toEqual(new Set(E2E_FORMATS));
    const provenance = readFileSync(join(BAD, 'PROVENANCE.md'), 'utf8');
    for (const { data } of badCases) expect(provenance).toContain(data);
  });

  it.each(badCases)('$data', async ({ data, expected }) => {
    const error = await readError(data, join(BAD, data), expected.format);
    expect(error.code).toBe(expected.code);
    expect(error.exitCode).toBe(3);
    expect(error.file).toBe(data);
    expect(error.format).toBe(expected.format);
    if (expected.position !== undefined) expect(error.position).toMatchObject(expected.position);
    const phrases = expected.messageIncludes === undefined ? [] : [expected.messageIncludes].flat();
    for (const phrase of phrases) expect(error.message).toContain(phrase);
    // Phrases without the file name: formatError puts `file:line:col (format):` in front.
    expect(error.message).not.toContain(data);
    const rendered = formatError(error);
    expect(rendered.startsWith(`qgate: error ${expected.code}: ${data}`)).toBe(true);
    expect(rendered).not.toMatch(/\n\s+at .+[:(]\d+/);
  });
});

describe('format detection', () => {
  const realFiles = (folder: string): string[] =>
    readdirSync(join(FIXTURES, 'e2e', folder)).filter((name) => !name.endsWith('.expected.json') && !name.endsWith('.md'));

  it.each([
    ['cucumber-json', 'cucumber-json'],
    ['cucumber-messages', 'cucumber-messages'],
    ['junit', 'junit'],
  ] as const)('sends every file of %s to its parser', (folder, format) => {
    for (const name of realFiles(folder)) {
      const head = readFileSync(join(FIXTURES, 'e2e', folder, name), 'utf8').slice(0, 64 * 1024);
      expect(sniffE2eFormat(head)?.format, name).toBe(format);
    }
  });

  it('recognises no coverage report as a Cucumber report', () => {
    for (const folder of ['cobertura', 'lcov', 'istanbul', 'istanbul-summary', 'clover']) {
      for (const name of readdirSync(join(FIXTURES, 'coverage', folder)).filter((file) => !file.endsWith('.expected.json') && !file.endsWith('.md'))) {
        const head = readFileSync(join(FIXTURES, 'coverage', folder, name), 'utf8').slice(0, 64 * 1024);
        expect(sniffE2eFormat(head), `${folder}/${name}`).toBeUndefined();
      }
    }
  });

  it('tells an empty Cucumber JSON array from other arrays and objects', () => {
    expect(sniffE2eFormat('[]\n')?.format).toBe('cucumber-json');
    expect(sniffE2eFormat(' [\n  {\n    "keyword": "Feature"')?.format).toBe('cucumber-json');
    expect(sniffE2eFormat('[1, 2, 3]')).toBeUndefined();
    expect(sniffE2eFormat('[] trailing')).toBeUndefined();
    expect(sniffE2eFormat('{"type":"Point","metric":"http_reqs"}')).toBeUndefined();
    expect(sniffE2eFormat('{"testRunStarted":{"timestamp":{"seconds":1}}}')?.format).toBe('cucumber-messages');
    expect(sniffE2eFormat('<?xml version="1.0"?>\n<testsuites tests="0"/>')?.format).toBe('junit');
  });
});

describe('readE2eReport', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qgate-e2e-registry-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names a file it cannot recognise, with the formats it reads', async () => {
    const path = join(dir, 'results.txt');
    writeFileSync(path, '12 scenarios (2 failed, 10 passed)\n');
    const error = await readError('results.txt', path);
    expect(error.code).toBe('INPUT_UNKNOWN_FORMAT');
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain('"12 scenarios (2 failed, 10 passed)');
    expect(error.message).toContain('Cucumber Messages NDJSON (--format message)');
  });

  it('reports a missing file and a directory before any parsing', async () => {
    expect((await readError('missing.json', join(dir, 'missing.json'))).code).toBe('INPUT_NOT_FOUND');
    expect((await readError('reports', dir)).code).toBe('INPUT_IS_DIRECTORY');
  });

  it('honours a forced format over sniffing', async () => {
    const path = join(FIXTURES, 'e2e', 'junit', 'godog__cucumber_godog__empty.xml');
    const report = await readE2eReport('empty.xml', path, 'junit');
    expect(report).toEqual({ format: 'junit', file: 'empty.xml', scenarios: [], runError: null, warnings: [] });
    const error = await readError('empty.xml', path, 'cucumber-json');
    expect(error.code).toBe('INPUT_MALFORMED');
    expect(error.format).toBe('cucumber-json');
  });

  it('refuses an unknown forced format as a usage error', () => {
    expect(() => findE2eParser('cucumber-html' as E2eFormat)).toThrow(/use one of cucumber-messages, cucumber-json, junit/);
  });
});
