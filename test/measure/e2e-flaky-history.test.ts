/**
 * Flaky history: failing scenarios read against the target branch's last runs are known flaky
 * (failed there too) or newly failing; `flaky: quarantine` keeps known-flaky failures out of
 * maxFailed while listing and counting them. The history runs are built from result.json e2e
 * sections the way a default-branch artifact holds them, and the current run is a real
 * cucumber-js NDJSON (fixtures/e2e/generated/).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateE2eGate, type E2eGateConfig } from '../../src/gates/e2e.js';
import { readE2eReport } from '../../src/inputs/e2e/registry.js';
import { classifyAgainstHistory, e2eHistoryRun, withE2eHistory } from '../../src/measure/e2e-flaky-history.js';
import { summarizeE2e } from '../../src/measure/e2e-summary.js';
import type { E2eResult } from '../../src/model/e2e.js';

const GENERATED = fileURLToPath(new URL('../../fixtures/e2e/generated/', import.meta.url));
const CONFIG: E2eGateConfig = { enabled: true, blocking: true, onMissing: 'skip', maxFailed: 0, undefined: 'ignore', pending: 'ignore', ambiguous: 'ignore', flaky: 'warn', minScenarios: 1, tags: null };

async function current(): Promise<E2eResult> {
  const file = 'cucumber-js12__retry-ambiguous-undefined.ndjson';
  return summarizeE2e([await readE2eReport(file, join(GENERATED, file))], { tags: null });
}

function resultJson(failedKeys: string[], flakyKeys: string[] = []): unknown {
  return { schemaVersion: 1, e2e: { failed: failedKeys.map((key) => ({ key, name: key, status: 'failed' })), flakyScenarios: flakyKeys.map((key) => ({ key })) } };
}

describe('flaky history', () => {
  it('reads a history run from a default-branch result.json, and none from a result without e2e', () => {
    expect(e2eHistoryRun(resultJson(['a:1'], ['b:2']), { commit: 'c', date: null, source: 'pipeline 1' })).toEqual({ commit: 'c', date: null, source: 'pipeline 1', failedKeys: ['a:1'], flakyKeys: ['b:2'] });
    expect(e2eHistoryRun({ schemaVersion: 1, e2e: null }, { commit: null, date: null, source: null })).toBeNull();
    expect(e2eHistoryRun('not json', { commit: null, date: null, source: null })).toBeNull();
  });

  it('calls a scenario that failed on the target branch too known flaky, one that passed there newly failing', async () => {
    const e2e = await current();
    const failing = e2e.failed.filter((scenario) => scenario.status === 'failed');
    expect(failing).toHaveLength(1);
    const key = failing[0]!.key;
    const where = { commit: null, date: null, source: null };
    const known = classifyAgainstHistory(e2e, [e2eHistoryRun(resultJson([]), where)!, e2eHistoryRun(resultJson([key]), where)!], { quarantine: false });
    expect(known.knownFlaky.map((entry) => [entry.name, entry.failedInRuns])).toEqual([['Reserve too much', 1]]);
    expect(known.newlyFailing).toEqual([]);
    expect(known.quarantined).toBe(0);
    const fresh = classifyAgainstHistory(e2e, [e2eHistoryRun(resultJson([]), where)!, e2eHistoryRun(resultJson(['other:1']), where)!], { quarantine: true });
    expect(fresh.newlyFailing.map((entry) => entry.name)).toEqual(['Reserve too much']);
    expect(fresh.quarantined).toBe(0);
  });

  it('quarantines known-flaky failures under flaky: quarantine — counted and named in the reason, still listed, gate warns', async () => {
    const e2e = await current();
    const key = e2e.failed.find((scenario) => scenario.status === 'failed')!.key;
    const history = [e2eHistoryRun(resultJson([key]), { commit: 'abc', date: '2026-12-01', source: 'pipeline 7' })!];
    const plain = evaluateE2eGate(CONFIG, withE2eHistory(e2e, history, { quarantine: false }));
    expect(plain.status).toBe('fail');
    expect(plain.reason).toContain('1 known flaky (failed in the target branch\'s last run too): "Reserve too much"');

    const withHistory = withE2eHistory(e2e, history, { quarantine: true });
    const quarantined = evaluateE2eGate({ ...CONFIG, flaky: 'quarantine' }, withHistory);
    expect(quarantined).toMatchObject({ status: 'warn', actual: 0 });
    expect(quarantined.reason).toContain('1 known-flaky quarantined (failed in the target branch\'s last run too): "Reserve too much"');
    // Never hidden: still in the failed list and the counts.
    expect(withHistory.failed.some((scenario) => scenario.key === key)).toBe(true);
    expect(withHistory.scenarios.failed).toBe(1);
    expect(withHistory.history?.quarantined).toBe(1);
  });

  it('a newly failing scenario still fails the gate under quarantine', async () => {
    const e2e = await current();
    const gate = evaluateE2eGate({ ...CONFIG, flaky: 'quarantine' }, withE2eHistory(e2e, [e2eHistoryRun(resultJson([]), { commit: null, date: null, source: null })!], { quarantine: true }));
    expect(gate.status).toBe('fail');
    expect(gate.reason).toContain('1 newly failing (passed in the target branch\'s last run): "Reserve too much"');
  });
});
