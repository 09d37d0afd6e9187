import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isQgateError } from '../../src/errors.js';
import { readE2eReport } from '../../src/inputs/e2e/registry.js';
import { compileTagFilter, summarizeE2e } from '../../src/measure/e2e-summary.js';
import { E2E_LISTED_SCENARIOS, type E2eFormat, type E2eReport, type ScenarioResult, type ScenarioStatus } from '../../src/model/e2e.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/e2e/', import.meta.url));

function read(folder: string, name: string): Promise<E2eReport> {
  return readE2eReport(name, join(FIXTURES, folder, name));
}

function scenario(key: string, status: ScenarioStatus, extra: Partial<ScenarioResult> = {}): ScenarioResult {
  return {
    key,
    name: key,
    feature: 'F',
    uri: 'features/f.feature',
    line: 1,
    tags: [],
    status,
    attempts: 1,
    flaky: false,
    failedStep: null,
    error: null,
    durationMs: null,
    startedAt: null,
    ...extra,
  };
}

function report(scenarios: ScenarioResult[], extra: Partial<E2eReport> = {}): E2eReport {
  return { format: 'cucumber-json', file: 'cucumber.json', scenarios, runError: null, warnings: [], ...extra };
}

const PART1 = 'cucumber-jvm__damianszczepanik_cucumber-reporting__part1.json';
const RERUN_FAILED = 'cucumber-jvm__damianszczepanik_cucumber-reporting__part2-rerun-failed.json';
const RERUN_PASSED = 'cucumber-jvm__damianszczepanik_cucumber-reporting__part2-rerun-passed.json';

describe('summarizeE2e: several reports', () => {
  it('merges cucumber-jvm reruns: the same scenario again is a later attempt, fail-then-pass is flaky', async () => {
    const reports = [await read('cucumber-json', PART1), await read('cucumber-json', RERUN_FAILED), await read('cucumber-json', RERUN_PASSED)];
    const result = summarizeE2e(reports, { tags: null });
    expect(result.scenarios).toEqual({ total: 2, passed: 2, failed: 0, skipped: 0, pending: 0, undefined: 0, ambiguous: 0, flaky: 1 });
    expect(result.flakyScenarios).toHaveLength(1);
    expect(result.flakyScenarios[0]).toMatchObject({ key: 'classpath:reporting/home-page.feature:4', status: 'passed', attempts: 2, flaky: true });
    // Both reruns carry the same start_timestamp: report order decides, so the other order ends failed.
    const reversed = summarizeE2e([reports[0]!, reports[2]!, reports[1]!], { tags: null });
    expect(reversed.scenarios).toMatchObject({ total: 2, passed: 1, failed: 1, flaky: 0 });
    expect(reversed.failed[0]).toMatchObject({ name: 'Open Home page', attempts: 2 });
  });

  it('orders attempts by start time when both have one, by report order otherwise', () => {
    const early = scenario('k', 'passed', { startedAt: '2024-01-01T10:00:00Z' });
    const late = scenario('k', 'failed', { startedAt: '2024-01-01T11:00:00Z' });
    expect(summarizeE2e([report([late]), report([early])], { tags: null }).scenarios).toMatchObject({ total: 1, failed: 1, passed: 0, flaky: 0 });
    expect(summarizeE2e([report([early]), report([late])], { tags: null }).scenarios).toMatchObject({ total: 1, failed: 1 });
    const undated = scenario('k', 'passed');
    expect(summarizeE2e([report([late]), report([undated])], { tags: null }).scenarios).toMatchObject({ total: 1, passed: 1, flaky: 1 });
    // A report may hold the same scenario twice (cucumber-jvm with a TestNG retry analyzer): attempts too.
    const inOne = summarizeE2e([report([scenario('k', 'failed'), scenario('k', 'passed')])], { tags: null });
    expect(inOne.scenarios).toMatchObject({ total: 1, passed: 1, flaky: 1 });
    expect(inOne.flakyScenarios[0]?.attempts).toBe(2);
  });

  it('adds up parallel shards, keeps a report\'s own retries, and leaves the reports untouched', () => {
    const shardA = report([scenario('a', 'passed'), scenario('b', 'failed')]);
    const shardB = report([scenario('c', 'passed', { attempts: 2, flaky: true }), scenario('d', 'undefined')], { file: 'shard-b.json' });
    const before = JSON.stringify([shardA, shardB]);
    const result = summarizeE2e([shardA, shardB], { tags: null });
    expect(result.scenarios).toEqual({ total: 4, passed: 2, failed: 1, skipped: 0, pending: 0, undefined: 1, ambiguous: 0, flaky: 1 });
    expect(JSON.stringify([shardA, shardB])).toBe(before);
    expect(result.warnings).toEqual([]);
  });

  it('agrees with cucumber-js across the three formats of one run, and counts the run once when given in two formats', async () => {
    const run = 'cucumber-js12__retry-ambiguous-undefined';
    for (const extension of ['json', 'ndjson', 'junit.xml']) {
      const { scenarios } = summarizeE2e([await read('generated', `${run}.${extension}`)], { tags: null });
      expect(scenarios).toMatchObject({ total: 7, failed: 1, ambiguous: 1, undefined: 1, passed: 4 });
    }
    const mixed = summarizeE2e([await read('generated', `${run}.json`), await read('generated', `${run}.junit.xml`)], { tags: null });
    expect(mixed.scenarios.total).toBe(7);
    expect(mixed.warnings[0]).toContain('as the same run');
    const different = summarizeE2e([await read('generated', `${run}.json`), await read('generated', 'cucumber-js12__reservations.junit.xml')], { tags: null });
    expect(different.warnings.at(-1)).toContain('reports in several formats (cucumber-json, junit) hold different scenarios');
  });

  it('lists failed, ambiguous, undefined and pending scenarios, most severe first, within a bound', () => {
    const scenarios = [scenario('p', 'pending'), scenario('u', 'undefined'), scenario('s', 'skipped'), scenario('f', 'failed'), scenario('a', 'ambiguous')];
    expect(summarizeE2e([report(scenarios)], { tags: null }).failed.map((entry) => entry.key)).toEqual(['f', 'a', 'u', 'p']);
    const many = Array.from({ length: E2E_LISTED_SCENARIOS + 7 }, (_, index) => scenario(`k${index}`, 'failed'));
    const bounded = summarizeE2e([report(many)], { tags: null });
    expect(bounded.failed).toHaveLength(E2E_LISTED_SCENARIOS);
    expect(bounded.failedOmitted).toBe(7);
    expect(bounded.scenarios.failed).toBe(E2E_LISTED_SCENARIOS + 7);
  });

  it('prefixes run errors with their report and counts nothing for an empty run', async () => {
    const beforeAll = await read('cucumber-messages', 'cck-fake-cucumber__cucumber_compatibility-kit__global-hooks-beforeall-error.ndjson');
    const result = summarizeE2e([beforeAll], { tags: null });
    expect(result.scenarios.total).toBe(0);
    expect(result.runErrors).toEqual([
      'cck-fake-cucumber__cucumber_compatibility-kit__global-hooks-beforeall-error.ndjson: BeforeAll hook (samples/global-hooks-beforeall-error/global-hooks-beforeall-error.ts:7) failed: BeforeAll hook went wrong',
    ]);
    expect(summarizeE2e([], { tags: null })).toEqual({
      scenarios: { total: 0, passed: 0, failed: 0, skipped: 0, pending: 0, undefined: 0, ambiguous: 0, flaky: 0 },
      failed: [],
      failedOmitted: 0,
      flakyScenarios: [],
      filteredOut: 0,
      tags: null,
      runErrors: [],
      warnings: [],
    });
  });
});

describe('summarizeE2e: tag filters', () => {
  const tagged = report([
    scenario('plain', 'passed'),
    scenario('wip', 'failed', { tags: ['@wip'] }),
    scenario('smoke', 'passed', { tags: ['@smoke'] }),
    scenario('slow smoke', 'passed', { tags: ['@smoke', '@slow'] }),
    scenario('a', 'failed', { tags: ['@a'] }),
    scenario('b', 'pending', { tags: ['@b', '@wip'] }),
  ]);
  /** The scenarios Cucumber's tag expression keeps, by the same filter summarizeE2e applies. */
  const kept = (tags: string): string[] => tagged.scenarios.filter((entry) => compileTagFilter(tags)(entry.tags)).map((entry) => entry.key);

  it.each([
    ['not @wip', ['plain', 'smoke', 'slow smoke', 'a'], { total: 4, failed: 1 }],
    ['@smoke and not @slow', ['smoke'], { total: 1, failed: 0 }],
    ['@a or @b', ['a', 'b'], { total: 2, failed: 1, pending: 1 }],
    ['(@a or @b) and not @wip', ['a'], { total: 1, failed: 1 }],
    ['not (@smoke or @wip)', ['plain', 'a'], { total: 2 }],
    ['@SMOKE', [], { total: 0 }],
  ] as const)('%s', (tags, keys, counts) => {
    expect(kept(tags)).toEqual(keys);
    const result = summarizeE2e([tagged], { tags });
    expect(result.scenarios).toMatchObject(counts);
    expect(result.filteredOut).toBe(6 - keys.length);
    expect(result.tags).toBe(tags);
  });

  it('treats null and a blank expression as no filter', () => {
    expect(summarizeE2e([tagged], { tags: null }).scenarios.total).toBe(6);
    expect(summarizeE2e([tagged], { tags: '  ' })).toMatchObject({ scenarios: { total: 6 }, filteredOut: 0, tags: null });
  });

  it('counts a filtered scenario once even when several reports hold it', () => {
    const result = summarizeE2e([tagged, tagged], { tags: 'not @wip' });
    expect(result.filteredOut).toBe(2);
    expect(result.scenarios.total).toBe(4);
  });

  it('refuses an expression Cucumber would refuse, as a configuration error', () => {
    for (const expression of ['@a and', '(@a', '@a @b', 'and @a']) {
      let error: unknown;
      try {
        summarizeE2e([tagged], { tags: expression });
      } catch (thrown) {
        error = thrown;
      }
      if (!isQgateError(error)) throw new Error(`"${expression}" was accepted`);
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.exitCode).toBe(2);
      expect(error.message).toContain(JSON.stringify(expression));
    }
  });

  it('does not filter JUnit scenarios, which carry no tags, and says so', () => {
    const junit = report([scenario('Shop::a', 'passed', { uri: null, line: null })], { format: 'junit' as E2eFormat, file: 'junit.xml' });
    const result = summarizeE2e([junit, tagged], { tags: '@smoke' });
    expect(result.scenarios.total).toBe(3);
    expect(result.warnings).toContain('JUnit XML carries no tags: the tag filter "@smoke" was not applied to its 1 scenario.');
  });
});
