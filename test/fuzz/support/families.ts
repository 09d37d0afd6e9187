/**
 * Every input format qgate reads, with the real fixtures of that format and the reader that
 * opens it, and the invariants every output must keep however hostile the input.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readChangedLinesFromDiffFile } from '../../../src/diff/diff-file.js';
import { readCoverageReport } from '../../../src/inputs/coverage/registry.js';
import { readE2eReport } from '../../../src/inputs/e2e/registry.js';
import { readMutationReport } from '../../../src/inputs/mutation/registry.js';
import { readK6Run } from '../../../src/inputs/perf/registry.js';
import type { CoverageFormat } from '../../../src/model/coverage.js';
import { SECRET_CONTENT, type Syntax } from './mutations.js';

export const ROOT = join(import.meta.dirname, '..', '..', '..');

/** Fixtures larger than this are left out: the fuzz wants many cases, not big files. */
const MAX_FIXTURE_BYTES = 200 * 1024;

export interface Fixture {
  name: string;
  bytes: Buffer;
}

export interface Family {
  family: string;
  syntax: Syntax;
  fixtures: Fixture[];
  /** Reads the file at `path`, named `file` in messages, as the CLI would. */
  read: (file: string, path: string) => Promise<unknown>;
  /** The CLI option that passes this format, for the pipeline families. */
  option: '--coverage' | '--cucumber' | '--k6' | '--mutation' | '--diff-file';
  extension: string;
}

function fixturesIn(folder: string, accept: (name: string) => boolean): Fixture[] {
  const dir = join(ROOT, folder);
  return readdirSync(dir)
    .filter((name) => accept(name) && !name.endsWith('.expected.json') && name !== 'PROVENANCE.md')
    .filter((name) => statSync(join(dir, name)).size <= MAX_FIXTURE_BYTES)
    .sort()
    .map((name) => ({ name: `${folder}/${name}`, bytes: readFileSync(join(dir, name)) }));
}

const any = (): boolean => true;
const coverage = (format: CoverageFormat) => (file: string, path: string) => readCoverageReport(file, path, format);

export const FAMILIES: readonly Family[] = [
  { family: 'lcov', syntax: 'lines', fixtures: fixturesIn('fixtures/coverage/lcov', any), read: coverage('lcov'), option: '--coverage', extension: 'info' },
  { family: 'cobertura', syntax: 'xml', fixtures: fixturesIn('fixtures/coverage/cobertura', any), read: coverage('cobertura'), option: '--coverage', extension: 'xml' },
  { family: 'clover', syntax: 'xml', fixtures: fixturesIn('fixtures/coverage/clover', any), read: coverage('clover'), option: '--coverage', extension: 'xml' },
  { family: 'istanbul', syntax: 'json', fixtures: fixturesIn('fixtures/coverage/istanbul', any), read: coverage('istanbul'), option: '--coverage', extension: 'json' },
  { family: 'istanbul-summary', syntax: 'json', fixtures: fixturesIn('fixtures/coverage/istanbul-summary', any), read: coverage('istanbul-summary'), option: '--coverage', extension: 'json' },
  // Sniffed, as zero-config runs read them: damage to the head must still give a clear error.
  { family: 'coverage (sniffed)', syntax: 'lines', fixtures: fixturesIn('fixtures/sample/coverage', any), read: (file, path) => readCoverageReport(file, path), option: '--coverage', extension: 'info' },
  {
    family: 'cucumber-json',
    syntax: 'json',
    fixtures: [...fixturesIn('fixtures/e2e/cucumber-json', any), ...fixturesIn('fixtures/e2e/generated', (name) => name.endsWith('.json'))],
    read: (file, path) => readE2eReport(file, path),
    option: '--cucumber',
    extension: 'json',
  },
  {
    family: 'cucumber-messages',
    syntax: 'json',
    fixtures: [...fixturesIn('fixtures/e2e/cucumber-messages', any), ...fixturesIn('fixtures/e2e/generated', (name) => name.endsWith('.ndjson'))],
    read: (file, path) => readE2eReport(file, path),
    option: '--cucumber',
    extension: 'ndjson',
  },
  {
    family: 'junit',
    syntax: 'xml',
    fixtures: [...fixturesIn('fixtures/e2e/junit', any), ...fixturesIn('fixtures/e2e/generated', (name) => name.endsWith('.junit.xml'))],
    read: (file, path) => readE2eReport(file, path),
    option: '--cucumber',
    extension: 'xml',
  },
  { family: 'k6-summary-export', syntax: 'json', fixtures: fixturesIn('fixtures/perf/k6-summary-export', any), read: (file, path) => readK6Run(file, path), option: '--k6', extension: 'json' },
  { family: 'k6-handle-summary', syntax: 'json', fixtures: fixturesIn('fixtures/perf/k6-handle-summary', any), read: (file, path) => readK6Run(file, path), option: '--k6', extension: 'json' },
  { family: 'k6-ndjson', syntax: 'json', fixtures: fixturesIn('fixtures/perf/k6-ndjson', any), read: (file, path) => readK6Run(file, path), option: '--k6', extension: 'json' },
  { family: 'k6-machine-readable', syntax: 'json', fixtures: fixturesIn('fixtures/perf/k6-machine-readable', any), read: (file, path) => readK6Run(file, path), option: '--k6', extension: 'json' },
  {
    family: 'stryker',
    syntax: 'json',
    fixtures: [...fixturesIn('fixtures/mutation/stryker', any), ...fixturesIn('fixtures/mutation/generated', (name) => name.endsWith('.json'))],
    read: (file, path) => readMutationReport(file, path),
    option: '--mutation',
    extension: 'json',
  },
  {
    family: 'unified-diff',
    syntax: 'lines',
    fixtures: [...fixturesIn('fixtures/real-mr/jest-azure-demo', (name) => name.endsWith('.patch')), ...fixturesIn('fixtures/real-mr/nodejs-loaders-65', (name) => name.endsWith('.patch'))],
    read: (file, path) => readChangedLinesFromDiffFile(file, path),
    option: '--diff-file',
    extension: 'diff',
  },
];

/** A stack trace in user-facing text (test/e2e/helpers.ts `expectNoStackTrace`, as a predicate). */
export function hasStackTrace(text: string): boolean {
  return /\n\s+at .+[:(]\d+/.test(text) || text.includes('node:internal');
}

/** Markdown outside code spans and fences, where GitLab renders markup, links and mentions. */
function outsideCode(markdown: string): string {
  return markdown.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '').replace(/(`+)[^`]*?\1/g, '');
}

/** What comment.md must never contain, whatever the inputs said. */
export function commentProblems(markdown: string): string[] {
  const problems: string[] = [];
  const prose = outsideCode(markdown);
  // `\<` is an escaped angle bracket, plain text in GitLab Flavored Markdown.
  if (/(?<!\\)<script/i.test(prose)) problems.push('comment.md contains a raw <script');
  if (/(?<!\\)<img\s/i.test(prose)) problems.push('comment.md contains a raw <img');
  // `\](` is an escaped bracket, plain text in GitLab Flavored Markdown; only an unescaped `](` opens a link.
  if (/(?<!\\)\]\(\s*javascript:/i.test(prose)) problems.push('comment.md contains an unescaped ](javascript: link');
  if (/(?<![\w\\`])@(?:all|here)\b/.test(prose)) problems.push('comment.md contains a live @all/@here mention');
  return problems;
}

/** What index.html must never contain: injected markup only ever appears escaped. */
export function htmlProblems(html: string): string[] {
  const problems: string[] = [];
  if (/<script>qgfz|<img src=x onerror/i.test(html)) problems.push('index.html contains injected markup unescaped');
  if (/href\s*=\s*["']?\s*javascript:/i.test(html)) problems.push('index.html contains a javascript: link');
  return problems;
}

export function secretProblems(where: string, text: string): string[] {
  return text.includes(SECRET_CONTENT) ? [`${where} contains the secret planted outside the repository`] : [];
}
