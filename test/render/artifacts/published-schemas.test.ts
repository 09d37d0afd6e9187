/**
 * GitLab's report artifacts checked against the definitions their formats publish (where each
 * comes from: fixtures/schemas/PROVENANCE.md): cobertura.xml against the Cobertura DTD and
 * GitLab's documented limits, junit.xml against the Jenkins xunit plugin's JUnit schema, and
 * codequality.json against GitLab's own JSON Schema plus the Code Climate spec.
 *
 * The files come from real `qgate check` runs (`runCheck`, what the CLI calls, on the sample
 * repository with real reports), and from `renderReportFiles` for the results no real input
 * produces here (the hostile strings). XML goes through libxml2's xmllint (Debian package
 * libxml2-utils); a missing xmllint fails the suite rather than skipping it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script shared with `npm run sample`
import { makeSampleRepo } from '../../../scripts/make-sample-repo.mjs';
import { lineHitsOf } from '../../../src/inputs/coverage/line-hits.js';
import type { FileCoverage, MergedCoverage } from '../../../src/measure/merge-coverage.js';
import type { LineHits } from '../../../src/model/coverage.js';
import type { QgateResult } from '../../../src/model/result.js';
import { runCheck, type CheckOptions } from '../../../src/run.js';
import { GITLAB_COBERTURA_MAX_BYTES } from '../../../src/render/artifacts/cobertura-xml.js';
import { stripInvalidXmlChars } from '../../../src/render/artifacts/xml-escape.js';
import { renderReportFiles } from '../../../src/render/report-files.js';
import { hostileResult, noEvidenceResult } from '../result-fixtures.js';

const ROOT = process.cwd();
const SCHEMAS = join(ROOT, 'fixtures', 'schemas');
const FIXTURES = join(ROOT, 'fixtures');
const scratch = mkdtempSync(join(tmpdir(), 'qgate-schemas-'));
const created: string[] = [scratch];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

// ---- validators -------------------------------------------------------------------------

beforeAll(() => {
  const probe = spawnSync('xmllint', ['--version'], { encoding: 'utf8' });
  if (probe.error) throw new Error('xmllint is missing: install the Debian package libxml2-utils (apt-get install libxml2-utils).');
});

let documents = 0;
/** xmllint's verdict on one document: its messages, empty when valid. */
function xmllint(xml: string, args: string[]): string {
  documents += 1;
  const file = join(scratch, `document-${documents}.xml`);
  writeFileSync(file, xml);
  // --nonet: the DOCTYPE names the DTD's old sourceforge URL; nothing may be fetched.
  const run = spawnSync('xmllint', ['--noout', '--nonet', ...args, file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return run.status === 0 ? '' : `xmllint exited ${run.status}:\n${run.stderr}`;
}

function expectValidCobertura(xml: string): void {
  expect(xmllint(xml, ['--dtdvalid', join(SCHEMAS, 'coverage-04.dtd')])).toBe('');
}

function expectValidJunit(xml: string): void {
  expect(xmllint(xml, ['--schema', join(SCHEMAS, 'junit-10.xsd')])).toBe('');
}

const ajv = new Ajv({ allErrors: true });
const readSchema = (name: string): object => JSON.parse(readFileSync(join(SCHEMAS, name), 'utf8')) as object;
const gitlabDegradation = ajv.compile(readSchema('gitlab-codeclimate.json'));
const codeClimateIssue = ajv.compile(readSchema('codeclimate-issue.schema.json'));

interface Issue {
  description: string;
  fingerprint: string;
  location: { path: string };
}

/**
 * GitLab: "The Code Quality report artifact JSON file must contain an array of objects", no
 * byte order mark, each object valid against app/validators/json_schemas/codeclimate.json
 * (GitLab drops an invalid one silently) and against the Code Climate issue spec; identical
 * fingerprints are shown as one finding. Code Climate: descriptions carry "no HTML formatting"
 * (JSON Schema cannot say that; see noHtmlOutsideCodeSpans).
 */
function expectValidCodeQuality(json: string): Issue[] {
  expect(json.charCodeAt(0)).not.toBe(0xfeff);
  const issues: unknown = JSON.parse(json);
  expect(Array.isArray(issues)).toBe(true);
  for (const issue of issues as unknown[]) {
    expect(gitlabDegradation(issue) ? [] : gitlabDegradation.errors).toEqual([]);
    expect(codeClimateIssue(issue) ? [] : codeClimateIssue.errors).toEqual([]);
    expect(htmlOutsideCodeSpans((issue as Issue).description)).toEqual([]);
  }
  const typed = issues as Issue[];
  expect(new Set(typed.map((issue) => issue.fingerprint)).size).toBe(typed.length);
  return typed;
}

/**
 * Tag-like sequences (`<a`, `</`, `<!`, `<?`) outside backtick code spans: the HTML a Markdown
 * reader of a Code Climate description would render. Inside a code span they are code.
 */
function htmlOutsideCodeSpans(description: string): string[] {
  // A code span closes at a backtick run of exactly the opening run's length (CommonMark 6.1).
  const outside = description.replace(/(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
  return outside.match(/<[A-Za-z/!?][^\s>]*/g) ?? [];
}

/**
 * GitLab's coverage visualization rules (docs.gitlab.com/ci/testing/code_coverage/coverage_visualization/,
 * "Limits" and "Path resolution"): at most 100 `<source>` nodes, at most 10 MiB, and every
 * class `filename` a path relative to a `<source>` that names a file of the repository.
 */
function expectGitLabCoberturaRules(xml: string, repoFiles: (path: string) => boolean): void {
  expect(Buffer.byteLength(xml, 'utf8')).toBeLessThanOrEqual(GITLAB_COBERTURA_MAX_BYTES);
  const sources = [...xml.matchAll(/<source>([^<]*)<\/source>/g)].map((match) => match[1]);
  expect(sources.length).toBeGreaterThanOrEqual(1);
  expect(sources.length).toBeLessThanOrEqual(100);
  const filenames = [...xml.matchAll(/<class [^>]*\bfilename="([^"]*)"/g)].map((match) => decodeXmlAttribute(match[1] as string));
  for (const filename of filenames) {
    expect(filename, filename).not.toMatch(/^\/|^[A-Za-z]:[\\/]/);
    expect(filename.split('/').filter((segment) => segment === '.' || segment === '..'), filename).toEqual([]);
    expect(repoFiles(filename), `${filename} is not a repository file`).toBe(true);
  }
}

function decodeXmlAttribute(value: string): string {
  return value.replace(/&(#\d+|#x[0-9a-f]+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (entity.startsWith('#x') || entity.startsWith('#X')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return named[entity.toLowerCase()] ?? '';
  });
}

// ---- real `qgate check` runs ------------------------------------------------------------

interface Run {
  repo: string;
  exitCode: number;
  result: QgateResult;
  files: Map<string, string>;
}

async function check(repo: string, options: Partial<CheckOptions>, env: Record<string, string> = {}): Promise<Run> {
  const sink = { write: () => true };
  const outcome = await runCheck(
    { out: 'qgate-report', coverage: [], cucumber: [], comment: false, ...options },
    {
      cwd: repo,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', ...env },
      stdout: sink,
      stderr: sink,
      now: () => new Date('2026-01-05T12:00:00.000Z'),
    },
  );
  const files = new Map<string, string>();
  for (const name of ['junit.xml', 'cobertura.xml', 'codequality.json']) {
    const path = join(repo, 'qgate-report', name);
    if (existsSync(path)) files.set(name, readFileSync(path, 'utf8'));
  }
  return { repo, exitCode: outcome.exitCode, result: outcome.result, files };
}

function sampleRepo(): { repo: string; baseSha: string } {
  const made = makeSampleRepo(scratch) as { repo: string; baseSha: string };
  created.push(made.repo);
  return made;
}

const inRepo = (repo: string) => (path: string) => existsSync(join(repo, path));

const runs: Record<string, Run> = {};
beforeAll(async () => {
  const sample = sampleRepo();
  runs.sample = await check(sample.repo, { coverage: ['coverage/cobertura-coverage.xml'] }, { CI_MERGE_REQUEST_DIFF_BASE_SHA: sample.baseSha });
  const everything = sampleRepo();
  runs.failing = await check(everything.repo, {
    base: 'main',
    coverage: ['coverage/lcov.info'],
    cucumber: [join(FIXTURES, 'e2e', 'generated', 'cucumber-js12__retry-ambiguous-undefined.ndjson')],
    k6: join(FIXTURES, 'perf', 'k6-summary-export', 'k6__Sweet-Poision_rate-limiter__k6-summary.json'),
    k6Baseline: join(FIXTURES, 'perf', 'k6-summary-export', 'k6__Sweet-Poision_rate-limiter__low-summary.json'),
    mutation: join(FIXTURES, 'mutation', 'stryker', 'stryker-js9__mutation.json'),
  });
  const nothing = sampleRepo();
  runs.noEvidence = await check(nothing.repo, { base: 'main', discover: false });
  const unchanged = sampleRepo();
  runs.emptyDiff = await check(unchanged.repo, { base: 'HEAD', coverage: ['coverage/lcov.info'] });
});

function artifact(run: string, name: string): string {
  const text = runs[run]?.files.get(name);
  if (text === undefined) throw new Error(`the ${run} run wrote no ${name}`);
  return text;
}

describe('real qgate check runs write artifacts valid against the published definitions', () => {
  it('the sample merge request (Cobertura input, failing new-code gate)', () => {
    expect(runs.sample?.exitCode).toBe(1);
    expectValidJunit(artifact('sample', 'junit.xml'));
    expectValidCobertura(artifact('sample', 'cobertura.xml'));
    expectGitLabCoberturaRules(artifact('sample', 'cobertura.xml'), inRepo(runs.sample!.repo));
    expect(expectValidCodeQuality(artifact('sample', 'codequality.json'))).toHaveLength(2);
  });

  it('a failing run with E2E, k6 and mutation evidence', () => {
    expect(runs.failing?.exitCode).toBe(1);
    const junit = artifact('failing', 'junit.xml');
    expect(junit).toContain('<testsuite name="e2e"');
    expectValidJunit(junit);
    expectValidCobertura(artifact('failing', 'cobertura.xml'));
    expectGitLabCoberturaRules(artifact('failing', 'cobertura.xml'), inRepo(runs.failing!.repo));
    const issues = expectValidCodeQuality(artifact('failing', 'codequality.json'));
    expect(issues.some((issue) => issue.description.startsWith('Surviving'))).toBe(true);
  });

  it('a run with no evidence at all: no cobertura.xml, the rest still valid', () => {
    expect(runs.noEvidence?.exitCode).toBe(1);
    expect(runs.noEvidence?.files.has('cobertura.xml')).toBe(false);
    expectValidJunit(artifact('noEvidence', 'junit.xml'));
    expect(expectValidCodeQuality(artifact('noEvidence', 'codequality.json'))).toEqual([]);
  });

  it('a merge request with nothing to measure (empty diff): gates not applicable', () => {
    expect(runs.emptyDiff?.result.coverage?.newCode).toMatchObject({ total: 0, percent: null });
    expectValidJunit(artifact('emptyDiff', 'junit.xml'));
    expectValidCobertura(artifact('emptyDiff', 'cobertura.xml'));
    expectGitLabCoberturaRules(artifact('emptyDiff', 'cobertura.xml'), inRepo(runs.emptyDiff!.repo));
    expect(expectValidCodeQuality(artifact('emptyDiff', 'codequality.json'))).toEqual([]);
  });
});

// ---- results no real input produces here ------------------------------------------------

function mergedOf(entries: Array<[string, LineHits]>): MergedCoverage {
  const files = new Map<string, FileCoverage>(entries.map(([path, lines]) => [path, { lines, totals: null }]));
  return { files, unresolved: [], overall: { covered: 0, total: 0, percent: null, files: files.size }, disagreements: new Map() };
}

function renderFor(result: QgateResult, merged: MergedCoverage | null, changed: string[]): Map<string, string> {
  return new Map(renderReportFiles(result, merged, { env: {}, repoRoot: '/builds/group/project', outDirInRepo: 'qgate-report', changedPaths: new Set(changed) }).files);
}

describe('rendered results stay valid', () => {
  it('the hostile-strings result: every artifact valid, descriptions free of HTML', () => {
    const result = hostileResult();
    const path = result.coverage!.newCode.files[0]!.path;
    const files = renderFor(result, mergedOf([[path, lineHitsOf([[1, 1], [2, 0], [3, 0], [5, 0]])]]), [path]);
    expectValidJunit(files.get('junit.xml')!);
    expectValidCobertura(files.get('cobertura.xml')!);
    // The run's time, in milliseconds as Cobertura and coverage.py write it.
    expect(files.get('cobertura.xml')).toContain(`timestamp="${Date.parse(result.generatedAt)}"`);
    // No repository path holds a NUL (git refuses one); XML cannot carry it either, so it is dropped.
    expectGitLabCoberturaRules(files.get('cobertura.xml')!, (candidate) => candidate === stripInvalidXmlChars(path));
    const issues = expectValidCodeQuality(files.get('codequality.json')!);
    expect(issues.map((issue) => issue.location.path)).toContain(path);
  });

  it('the no-evidence result with every gate skipped or failing', () => {
    const files = renderFor(noEvidenceResult(), null, []);
    expectValidJunit(files.get('junit.xml')!);
    expect(expectValidCodeQuality(files.get('codequality.json')!)).toEqual([]);
  });

  it('cobertura.xml of a merge request too big for GitLab stays under 10 MiB and valid', () => {
    // About 13 MiB of <line> elements over 60 files; the changed file sorts last and is kept first.
    const lines = lineHitsOf(Array.from({ length: 7000 }, (_, index) => [index + 1, index % 3] as const));
    const entries: Array<[string, LineHits]> = Array.from({ length: 60 }, (_, index) => [`src/module-${String(index).padStart(2, '0')}.ts`, lines]);
    const files = renderFor(noEvidenceResult(), mergedOf(entries), ['src/module-59.ts']);
    const xml = files.get('cobertura.xml')!;
    expect(entries.length * 7000 * 30).toBeGreaterThan(GITLAB_COBERTURA_MAX_BYTES);
    expectGitLabCoberturaRules(xml, (path) => entries.some(([candidate]) => candidate === path));
    expect(xml).toContain('filename="src/module-59.ts"');
    expectValidCobertura(xml);
  });
});

describe('the validators reject what the definitions forbid', () => {
  it('xmllint, the JSON Schemas and the HTML check each catch a known defect', () => {
    const cobertura = '<?xml version="1.0"?>\n<coverage line-rate="1" branch-rate="0" version="x" timestamp="0"><packages/></coverage>\n';
    expect(xmllint(cobertura, ['--dtdvalid', join(SCHEMAS, 'coverage-04.dtd')])).toContain("Element coverage does not carry attribute lines-valid");
    const junit = '<?xml version="1.0"?>\n<testsuites skipped="0"><testsuite name="a" tests="1"><testcase/></testsuite></testsuites>\n';
    const junitErrors = xmllint(junit, ['--schema', join(SCHEMAS, 'junit-10.xsd')]);
    expect(junitErrors).toContain("attribute 'skipped': The attribute 'skipped' is not allowed");
    expect(junitErrors).toContain("The attribute 'name' is required");

    const issue = { type: 'issue', check_name: 'c', description: 'one\ntwo', categories: [], fingerprint: 'f', severity: 'minor', location: { path: '/abs.ts', lines: { begin: 0 } } };
    expect(codeClimateIssue(issue)).toBe(false);
    expect(new Set(codeClimateIssue.errors?.map((error) => error.instancePath))).toEqual(
      new Set(['/description', '/categories', '/location/path', '/location/lines', '/location/lines/begin']),
    );
    const { fingerprint: _dropped, ...withoutFingerprint } = issue;
    expect(gitlabDegradation(withoutFingerprint)).toBe(false);
    expect(htmlOutsideCodeSpans('replaced with <b>x</b> and `<i>` and `` <a ` `` ')).toEqual(['<b', '</b']);
  });
});
