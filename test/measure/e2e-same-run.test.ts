/**
 * Cucumber cross-format de-duplication on the real outputs of one cucumber-js run
 * (fixtures/e2e/generated/, see its PROVENANCE.md): JSON, NDJSON and JUnit written by the same
 * process count each scenario once; two different runs still merge as attempts.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readE2eReport } from '../../src/inputs/e2e/registry.js';
import { dropSameRunDuplicates } from '../../src/measure/e2e-same-run.js';
import { summarizeE2e } from '../../src/measure/e2e-summary.js';
import type { E2eReport } from '../../src/model/e2e.js';

const GENERATED = fileURLToPath(new URL('../../fixtures/e2e/generated/', import.meta.url));

async function read(name: string): Promise<E2eReport> {
  return readE2eReport(name, join(GENERATED, name));
}

describe('the same cucumber-js run in several formats', () => {
  for (const run of ['cucumber-js12__reservations', 'cucumber-js12__retry-ambiguous-undefined']) {
    it(`${run}: JSON + JUnit, JSON + NDJSON, NDJSON + JUnit and all three count each scenario once`, async () => {
      const json = await read(`${run}.json`);
      const ndjson = await read(`${run}.ndjson`);
      const junit = await read(`${run}.junit.xml`);
      const alone = summarizeE2e([ndjson], { tags: null });
      for (const combination of [[json, junit], [json, ndjson], [ndjson, junit], [junit, json, ndjson]]) {
        const merged = summarizeE2e(combination, { tags: null });
        const expected = combination.includes(ndjson) ? alone.scenarios : summarizeE2e([json], { tags: null }).scenarios;
        expect(merged.scenarios).toEqual(expected);
        expect(merged.warnings).toHaveLength(1);
        expect(merged.warnings[0]).toMatch(/^treated .* as the same run/);
        for (const report of combination) expect(merged.warnings[0]).toContain(report.file);
      }
      // Only the NDJSON shows retries: with it in the group, the flaky scenario is still known.
      expect(summarizeE2e([json, junit, ndjson], { tags: null }).scenarios.flaky).toBe(alone.scenarios.flaky);
      expect(alone.scenarios.flaky).toBeGreaterThan(0);
    });
  }

  it('keeps the NDJSON of a group, in input order', async () => {
    const run = 'cucumber-js12__reservations';
    const reports = [await read(`${run}.junit.xml`), await read(`${run}.ndjson`), await read(`${run}.json`)];
    const { reports: kept, notes } = dropSameRunDuplicates(reports);
    expect(kept.map((report) => report.format)).toEqual(['cucumber-messages']);
    expect(notes).toHaveLength(1);
  });

  it('merges two different runs as attempts: a rerun file of only the failed scenarios is not the same run', async () => {
    const run = 'cucumber-js12__reservations';
    const full = await read(`${run}.json`);
    const failedKeys = full.scenarios.filter((scenario) => scenario.status === 'failed').map((scenario) => scenario.key);
    expect(failedKeys.length).toBeGreaterThan(0);
    // The rerun in another format: the failed scenarios only, now passing.
    const junit = await read(`${run}.junit.xml`);
    const rerun: E2eReport = {
      ...junit,
      file: 'rerun.junit.xml',
      scenarios: full.scenarios
        .filter((scenario) => failedKeys.includes(scenario.key))
        .map((scenario) => ({ ...scenario, status: 'passed' as const, failedStep: null, error: null, startedAt: null })),
    };
    const merged = summarizeE2e([full, rerun], { tags: null });
    const before = summarizeE2e([full], { tags: null });
    expect(merged.scenarios.total).toBe(before.scenarios.total);
    expect(merged.scenarios.failed).toBe(before.scenarios.failed - failedKeys.length);
    expect(merged.scenarios.flaky).toBe(before.scenarios.flaky + failedKeys.length);
    expect(merged.warnings.some((warning) => warning.includes('as the same run'))).toBe(false);
  });

  it('two files of one format are two runs even when they hold the same scenarios (shards never fold)', async () => {
    const json = await read('cucumber-js12__reservations.json');
    const { reports, notes } = dropSameRunDuplicates([json, { ...json, file: 'again.json' }]);
    expect(reports).toHaveLength(2);
    expect(notes).toEqual([]);
  });
});
