/**
 * qgate's counts against cucumber-js's own: every run in fixtures/e2e/generated/ (committed), and a
 * fresh run of the real cucumber-js on fixtures/e2e/cucumber-js-project/ in a temporary folder
 * (scripts/make-cucumber-fixture.mjs, about a second), with and without a tag filter.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readE2eReport } from '../../../src/inputs/e2e/registry.js';
import type { E2eFormat, E2eReport, E2eScenarioCounts } from '../../../src/model/e2e.js';
import { summarizeE2e } from '../../../src/measure/e2e-summary.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const GENERATED = join(ROOT, 'fixtures', 'e2e', 'generated');
const SCRIPT = join(ROOT, 'scripts', 'make-cucumber-fixture.mjs');

const STATUS_WORDS = ['passed', 'failed', 'skipped', 'pending', 'undefined', 'ambiguous'] as const;

/** What cucumber-js's summary formatter printed: the scenario line, and the retried-then-passed scenarios. */
interface ProducerSummary {
  counts: Omit<E2eScenarioCounts, 'flaky'>;
  /** `uri:line` of scenarios listed under "Warnings:" as retried whose last attempt is not under "Failures:". */
  flaky: string[];
}

/**
 * Parses cucumber-js's summary: `12 scenarios (2 failed, 1 ambiguous, ..., 6 passed)`, and the
 * `N) Scenario: name (attempt 1, retried) # features/x.feature:19` entries of its Failures and Warnings.
 */
function readProducerSummary(text: string): ProducerSummary {
  const line = /^(\d+) scenarios?(?: \((.*)\))?$/m.exec(text);
  if (line === null) throw new Error(`no scenario line in the summary:\n${text}`);
  const counts = { total: Number(line[1]), passed: 0, failed: 0, skipped: 0, pending: 0, undefined: 0, ambiguous: 0 };
  for (const part of (line[2] ?? '').split(', ').filter((piece) => piece !== '')) {
    const match = /^(\d+) (\w+)$/.exec(part);
    const word = match?.[2] as (typeof STATUS_WORDS)[number] | undefined;
    if (match === null || word === undefined || !STATUS_WORDS.includes(word)) throw new Error(`unexpected summary part "${part}"`);
    counts[word] = Number(match[1]);
  }
  const entry = /^\d+\) [^:\n]+: .*? # (\S+:\d+)$/;
  const section = (title: string): string[] => {
    const start = text.indexOf(`${title}:\n`);
    if (start === -1) return [];
    const rest = text.slice(start);
    const end = rest.search(/\n(?:Failures|Warnings):\n|\n\d+ scenarios?\b/);
    return rest.slice(0, end === -1 ? undefined : end).split('\n');
  };
  const failed = new Set(section('Failures').flatMap((row) => entry.exec(row)?.[1] ?? []));
  const retried = section('Warnings')
    .filter((row) => row.includes(', retried) # '))
    .flatMap((row) => entry.exec(row)?.[1] ?? []);
  return { counts, flaky: [...new Set(retried)].filter((key) => !failed.has(key)) };
}

const FORMATS: { format: E2eFormat; extension: string }[] = [
  { format: 'cucumber-json', extension: 'json' },
  { format: 'cucumber-messages', extension: 'ndjson' },
  { format: 'junit', extension: 'junit.xml' },
];

async function readRun(dir: string, run: string): Promise<Record<E2eFormat, E2eReport>> {
  const reports = {} as Record<E2eFormat, E2eReport>;
  for (const { format, extension } of FORMATS) {
    const path = join(dir, `${run}.${extension}`);
    // Detected by content, as in the pipeline.
    const report = await readE2eReport(`${run}.${extension}`, path);
    expect(report.format).toBe(format);
    reports[format] = report;
  }
  return reports;
}

/** Asserts what each format can know equals what cucumber-js printed. */
function expectAgreement(reports: Record<E2eFormat, E2eReport>, producer: ProducerSummary, tags: string | null = null): void {
  for (const { format } of FORMATS) {
    const { scenarios } = summarizeE2e([reports[format]], { tags });
    const { flaky, ...counts } = scenarios;
    expect(counts, format).toEqual(producer.counts);
    // Only the messages see the earlier attempts; the JSON and JUnit formatters write the last one.
    if (format === 'cucumber-messages') {
      expect(flaky, format).toBe(producer.flaky.length);
      expect(reports[format].scenarios.filter((scenario) => scenario.flaky).map((scenario) => scenario.key)).toEqual(producer.flaky);
    } else {
      expect(flaky, format).toBe(0);
    }
  }
}

const committedRuns = readdirSync(GENERATED)
  .filter((name) => name.endsWith('.summary.txt'))
  .map((name) => name.slice(0, -'.summary.txt'.length))
  .sort();

describe('committed cucumber-js runs agree with their own summary', () => {
  it('has the shared corpus run and the script run', () => {
    expect(committedRuns).toEqual(['cucumber-js12__reservations', 'cucumber-js12__retry-ambiguous-undefined']);
  });

  it.each(committedRuns)('%s', async (run) => {
    const producer = readProducerSummary(readFileSync(join(GENERATED, `${run}.summary.txt`), 'utf8'));
    expectAgreement(await readRun(GENERATED, run), producer);
  });

  it('reads the shared corpus run as its summary line says: 7 scenarios (1 failed, 1 ambiguous, 1 undefined, 4 passed), one flaky', () => {
    const producer = readProducerSummary(readFileSync(join(GENERATED, 'cucumber-js12__retry-ambiguous-undefined.summary.txt'), 'utf8'));
    expect(producer).toEqual({
      counts: { total: 7, passed: 4, failed: 1, skipped: 0, pending: 0, undefined: 1, ambiguous: 1 },
      flaky: ['features/stock.feature:15'],
    });
  });

  it('gives the same scenario keys, names, failing steps and errors in the JSON and the NDJSON of one run', async () => {
    const reports = await readRun(GENERATED, 'cucumber-js12__reservations');
    const view = (report: E2eReport) =>
      report.scenarios.map(({ key, name, feature, uri, line, tags, status, failedStep }) => ({ key, name, feature, uri, line, tags, status, failedStep }));
    expect(view(reports['cucumber-json'])).toEqual(view(reports['cucumber-messages']));
    const byName = (report: E2eReport) => report.scenarios.map(({ name, feature, status }) => ({ name, feature, status }));
    // JUnit names outline rows `<outline> - <examples> - #1.1`, and orders test cases by line like the others.
    expect(byName(reports.junit).map((scenario) => scenario.status)).toEqual(byName(reports['cucumber-json']).map((scenario) => scenario.status));
    expect(reports.junit.scenarios.map((scenario) => scenario.name)).toContain('Many reservations - small - #1.2');
  });

  it('keeps a scenario name with markup verbatim in all three formats', async () => {
    const reports = await readRun(GENERATED, 'cucumber-js12__reservations');
    const name = 'Markup stays data: <script>alert(1)</script> @all [docs](https://example.com/docs) | *stars*';
    for (const { format } of FORMATS) expect(reports[format].scenarios.map((scenario) => scenario.name), format).toContain(name);
  });
});

describe('a fresh cucumber-js run', () => {
  const workDirs: string[] = [];
  afterAll(() => {
    for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
  });

  function runCucumber(tags: string | null): string {
    const dir = mkdtempSync(join(tmpdir(), 'qgate-cucumber-'));
    workDirs.push(dir);
    const run = spawnSync(process.execPath, [SCRIPT, '--out', dir, ...(tags === null ? [] : ['--tags', tags])], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    return dir;
  }

  let fullRun: string | undefined;
  const fullRunDir = (): string => (fullRun ??= runCucumber(null));

  it('is counted by qgate exactly as cucumber-js counts it, in all three formats', async () => {
    const dir = fullRunDir();
    const producer = readProducerSummary(readFileSync(join(dir, 'cucumber-js12__reservations.summary.txt'), 'utf8'));
    expect(producer).toEqual({
      counts: { total: 12, passed: 6, failed: 2, skipped: 1, pending: 1, undefined: 1, ambiguous: 1 },
      flaky: ['features/reservations.feature:19'],
    });
    const reports = await readRun(dir, 'cucumber-js12__reservations');
    expectAgreement(reports, producer);
    const messages = reports['cucumber-messages'];
    expect(messages.runError).toBeNull();
    expect(messages.scenarios.find((scenario) => scenario.name === 'Reserve too much')).toMatchObject({
      status: 'failed',
      attempts: 2,
      flaky: false,
      failedStep: { keyword: 'Then', text: 'the reservation succeeds', line: 16 },
    });
    expect(messages.scenarios.find((scenario) => scenario.name === 'Not written yet')).toMatchObject({
      status: 'undefined',
      failedStep: { keyword: 'When', text: 'I cancel everything', line: 35 },
    });
  });

  it.each(['not @wip', '(@smoke or @flaky) and not @wip'])('applies the tag filter "%s" as cucumber-js --tags does', async (tags) => {
    const full = await readRun(fullRunDir(), 'cucumber-js12__reservations');
    const filteredDir = runCucumber(tags);
    const producer = readProducerSummary(readFileSync(join(filteredDir, 'cucumber-js12__reservations.summary.txt'), 'utf8'));
    for (const format of ['cucumber-json', 'cucumber-messages'] as const) {
      const { scenarios, filteredOut } = summarizeE2e([full[format]], { tags });
      const { flaky, ...counts } = scenarios;
      expect(counts, format).toEqual(producer.counts);
      expect(filteredOut).toBe(12 - producer.counts.total);
      if (format === 'cucumber-messages') expect(flaky).toBe(producer.flaky.length);
    }
  });
});
