/**
 * Golden tests for every real Cucumber report in fixtures/e2e/{cucumber-json,cucumber-messages,junit}:
 * `<case>.<ext>` with its `<case>.expected.json`, whose counts come from the producer's own figures
 * or an independent recount (each file says which in `derivedFrom`; PROVENANCE.md has the scripts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sniffE2eFormat } from '../../../src/inputs/e2e/registry.js';
import { openInput } from '../../../src/inputs/read-input.js';
import type { E2eFormat, E2eScenarioCounts, ScenarioResult } from '../../../src/model/e2e.js';
import { summarizeE2e } from '../../../src/measure/e2e-summary.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/e2e/', import.meta.url));

type Check = Partial<ScenarioResult> & { errorIncludes?: string };

interface GoldenExpectation {
  format: E2eFormat;
  scenarios: E2eScenarioCounts;
  /** null, or a phrase the run error must contain. */
  runError: string | null;
  derivedFrom: string;
  note: string;
  checks?: Check[];
}

const FOLDERS: { folder: string; format: E2eFormat; extension: RegExp }[] = [
  { folder: 'cucumber-json', format: 'cucumber-json', extension: /\.json$/ },
  { folder: 'cucumber-messages', format: 'cucumber-messages', extension: /\.ndjson$/ },
  { folder: 'junit', format: 'junit', extension: /\.xml$/ },
];

function casesOf(folder: string, extension: RegExp): string[] {
  return readdirSync(join(FIXTURES, folder))
    .filter((name) => extension.test(name) && !name.endsWith('.expected.json'))
    .sort();
}

describe.each(FOLDERS)('$folder golden files', ({ folder, format, extension }) => {
  const cases = casesOf(folder, extension);

  it('has a case for every real file of the shared corpus kept here, each named in PROVENANCE.md', () => {
    expect(cases.length).toBeGreaterThanOrEqual(folder === 'cucumber-json' ? 37 : folder === 'cucumber-messages' ? 26 : 15);
    const provenance = readFileSync(join(FIXTURES, folder, 'PROVENANCE.md'), 'utf8');
    for (const name of cases) expect(provenance, name).toContain(name);
  });

  it.each(cases)('%s', async (name) => {
    const path = join(FIXTURES, folder, name);
    const expected = JSON.parse(readFileSync(path.replace(extension, '.expected.json'), 'utf8')) as GoldenExpectation;
    expect(expected.format).toBe(format);
    const opened = await openInput(name, path);
    const parser = sniffE2eFormat(opened.head);
    expect(parser?.format, 'detected by content').toBe(format);
    const report = await parser!.parse(opened.chunks(), name);
    expect(report.format).toBe(format);
    expect(report.file).toBe(name);

    // One entry per scenario: no report of the corpus repeats a scenario.
    expect(new Set(report.scenarios.map((scenario) => scenario.key)).size).toBe(report.scenarios.length);
    const summary = summarizeE2e([report], { tags: null });
    expect(summary.scenarios).toEqual(expected.scenarios);
    if (expected.runError === null) expect(report.runError).toBeNull();
    else expect(report.runError).toContain(expected.runError);

    for (const { errorIncludes, ...check } of expected.checks ?? []) {
      const scenario = report.scenarios.find((candidate) => (check.key !== undefined ? candidate.key === check.key : candidate.name === check.name));
      expect(scenario, JSON.stringify(check)).toBeDefined();
      expect(scenario).toMatchObject(check);
      if (errorIncludes !== undefined) expect(scenario?.error).toContain(errorIncludes);
    }
    for (const scenario of report.scenarios) {
      expect(scenario.attempts).toBeGreaterThanOrEqual(1);
      if (scenario.error !== null) {
        expect(scenario.error.split('\n').length).toBeLessThanOrEqual(21);
        expect(scenario.error.length).toBeLessThanOrEqual(2002);
      }
      if (scenario.status === 'passed' || scenario.status === 'skipped') expect(scenario.failedStep).toBeNull();
    }
  });
});
