import { describe, expect, it } from 'vitest';
import { evaluateE2eGate, type E2eGateConfig } from '../../src/gates/e2e.js';
import type { E2eResult, E2eScenarioCounts } from '../../src/model/e2e.js';

/** The defaults proposed for gates/default.yml. */
const DEFAULTS: E2eGateConfig = {
  enabled: true,
  blocking: true,
  onMissing: 'skip',
  maxFailed: 0,
  undefined: 'fail',
  pending: 'warn',
  ambiguous: 'fail',
  flaky: 'warn',
  minScenarios: 1,
  tags: null,
};

function result(counts: Partial<E2eScenarioCounts>, extra: Partial<E2eResult> = {}): E2eResult {
  const base = { passed: 0, failed: 0, skipped: 0, pending: 0, undefined: 0, ambiguous: 0, flaky: 0, ...counts };
  const total = base.passed + base.failed + base.skipped + base.pending + base.undefined + base.ambiguous;
  return {
    scenarios: { total, ...base },
    failed: [],
    failedOmitted: 0,
    flakyScenarios: [],
    filteredOut: 0,
    tags: null,
    runErrors: [],
    warnings: [],
    ...extra,
  };
}

describe('evaluateE2eGate with the default policy', () => {
  it('passes when every scenario passed', () => {
    expect(evaluateE2eGate(DEFAULTS, result({ passed: 14 }))).toEqual({ status: 'pass', actual: 0, threshold: 0, reason: 'all 14 scenarios passed' });
  });

  it('fails on failed scenarios, with the counts in one line', () => {
    expect(evaluateE2eGate(DEFAULTS, result({ passed: 12, failed: 2, flaky: 1 }))).toEqual({
      status: 'fail',
      actual: 2,
      threshold: 0,
      reason: '2 of 14 scenarios failed (max 0); 1 flaky',
    });
  });

  it('counts undefined and ambiguous scenarios as failures, and says so', () => {
    expect(evaluateE2eGate(DEFAULTS, result({ passed: 4, failed: 1, ambiguous: 1, undefined: 1 }))).toEqual({
      status: 'fail',
      actual: 3,
      threshold: 0,
      reason: '3 of 7 scenarios failed (1 failed, 1 ambiguous, 1 undefined; max 0)',
    });
  });

  it('warns on pending and flaky scenarios', () => {
    expect(evaluateE2eGate(DEFAULTS, result({ passed: 9, pending: 1, flaky: 2 }))).toEqual({
      status: 'warn',
      actual: 0,
      threshold: 0,
      reason: '0 of 10 scenarios failed (max 0); 1 pending; 2 flaky',
    });
    expect(evaluateE2eGate(DEFAULTS, result({ passed: 9, flaky: 1 })).reason).toBe('all 9 scenarios passed; 1 flaky');
  });

  it('fails a run that failed outside any scenario, whatever the scenarios say', () => {
    const outcome = evaluateE2eGate(DEFAULTS, result({ passed: 3 }, { runErrors: ['a.ndjson: AfterAll hook failed: db still open', 'b.ndjson: x'] }));
    expect(outcome).toEqual({
      status: 'fail',
      actual: 0,
      threshold: 0,
      reason: 'the run failed outside any scenario: a.ndjson: AfterAll hook failed: db still open (and 1 more); all 3 scenarios passed',
    });
  });

  it('fails an empty run and a run where nothing ran', () => {
    expect(evaluateE2eGate(DEFAULTS, result({}))).toEqual({ status: 'fail', actual: 0, threshold: 0, reason: 'no scenario ran (min 1)' });
    expect(evaluateE2eGate(DEFAULTS, result({ skipped: 3 })).reason).toBe('no scenario ran (min 1); 0 of 3 scenarios failed (max 0); 3 skipped');
    expect(evaluateE2eGate(DEFAULTS, result({}, { filteredOut: 5, tags: '@smoke' })).reason).toBe('no scenario ran (min 1); all 5 filtered out by tags "@smoke"');
    expect(evaluateE2eGate({ ...DEFAULTS, minScenarios: 10 }, result({ passed: 4 })).reason).toBe(
      'only 4 scenarios ran, fewer than the minimum 10; all 4 scenarios passed',
    );
  });

  it('skips, warns or fails a missing report by onMissing', () => {
    expect(evaluateE2eGate(DEFAULTS, null)).toEqual({
      status: 'skip',
      actual: null,
      threshold: 0,
      reason: 'no Cucumber report was given (--cucumber); onMissing is "skip"',
    });
    expect(evaluateE2eGate({ ...DEFAULTS, onMissing: 'fail' }, null).status).toBe('fail');
    expect(evaluateE2eGate({ ...DEFAULTS, onMissing: 'warn' }, null).status).toBe('warn');
  });

  it('is skipped when disabled', () => {
    expect(evaluateE2eGate({ ...DEFAULTS, enabled: false }, result({ failed: 3 }))).toEqual({
      status: 'skip',
      actual: null,
      threshold: null,
      reason: 'disabled in the configuration',
    });
  });
});

describe('evaluateE2eGate with other policies', () => {
  it('tolerates failures up to maxFailed', () => {
    const config = { ...DEFAULTS, maxFailed: 2 };
    expect(evaluateE2eGate(config, result({ passed: 8, failed: 2 }))).toMatchObject({ status: 'pass', actual: 2, threshold: 2, reason: '2 of 10 scenarios failed (max 2)' });
    expect(evaluateE2eGate(config, result({ passed: 8, failed: 2, undefined: 1 })).status).toBe('fail');
  });

  it('applies fail, warn and ignore to each category', () => {
    const counts = { passed: 5, undefined: 1, pending: 1, ambiguous: 1, flaky: 1 };
    const strict = evaluateE2eGate({ ...DEFAULTS, pending: 'fail', flaky: 'fail' }, result(counts));
    expect(strict).toMatchObject({ status: 'fail', actual: 4, reason: '4 of 8 scenarios failed (1 ambiguous, 1 undefined, 1 pending, 1 flaky; max 0)' });
    const lenient = evaluateE2eGate({ ...DEFAULTS, undefined: 'warn', ambiguous: 'warn', pending: 'ignore', flaky: 'ignore' }, result(counts));
    expect(lenient).toEqual({
      status: 'warn',
      actual: 0,
      threshold: 0,
      reason: '0 of 8 scenarios failed (max 0); 1 ambiguous; 1 undefined; 1 pending (ignored); 1 flaky (ignored)',
    });
    const ignoring = evaluateE2eGate({ ...DEFAULTS, undefined: 'ignore', ambiguous: 'ignore', pending: 'ignore', flaky: 'ignore' }, result(counts));
    expect(ignoring.status).toBe('pass');
  });

  it('lets minScenarios 0 accept an empty run', () => {
    expect(evaluateE2eGate({ ...DEFAULTS, minScenarios: 0 }, result({}))).toMatchObject({ status: 'pass', actual: 0 });
  });
});
