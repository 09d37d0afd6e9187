import { describe, expect, it } from 'vitest';
import type { QgateConfig } from '../../src/config/types.js';
import type { GateContext } from '../../src/gates/gate.js';
import { decideVerdict, evaluateGates } from '../../src/gates/evaluate.js';
import type { CoverageResult, GateResult } from '../../src/model/result.js';

function config(overrides: Partial<QgateConfig['gates']['new_code_coverage']> = {}, overall: Partial<QgateConfig['gates']['overall_coverage']> = {}): QgateConfig {
  return {
    preset: 'default',
    coverage: { reports: [], sources: ['**/*.ts'], exclude: [] },
    gates: {
      new_code_coverage: { enabled: true, blocking: true, onMissing: 'fail', min: 80, unmeasuredFiles: 'warn', lines: 'changed', minLines: null, maxNewExclusions: null, ...overrides },
      overall_coverage: { enabled: true, blocking: true, onMissing: 'skip', min: null, maxDrop: null, ...overall },
      e2e: { enabled: true, blocking: true, onMissing: 'skip', maxFailed: 0, undefined: 'fail', pending: 'warn', ambiguous: 'fail', flaky: 'warn', minScenarios: 1, tags: null },
      performance: { enabled: true, blocking: true, onMissing: 'skip', thresholds: 'fail', tracked: [], extraThresholds: {}, onBrokenLine: 'fail' },
      mutation: { enabled: true, blocking: true, onMissing: 'skip', minScore: null, minNewCodeScore: 60 },
    },
    gitlab: {
      comment: { enabled: true, required: false, notifyOnVerdictChange: true },
      baseline: { enabled: true, job: null, maxPipelines: 10 },
      requestTimeoutSeconds: 15,
      budgetSeconds: 60,
    },
  };
}

function coverage(covered: number, total: number, unmeasuredFiles: string[] = [], overall = { covered: 8, total: 10 }): CoverageResult {
  return {
    newCode: { covered, total, percent: total ? Math.floor((covered * 10000) / total) / 100 : null, files: [], unmeasuredFiles },
    overall: { ...overall, percent: overall.total ? Math.floor((overall.covered * 10000) / overall.total) / 100 : null, files: 1 },
    unresolvedPaths: [],
  };
}

const diff = { source: 'git' as const, baseSha: null, headSha: null, changedFiles: 2, addedLines: 10, deletedFiles: 0, warnings: [] };

function gate(context: Partial<GateContext>, id = 'new_code_coverage'): GateResult {
  const gates = evaluateGates({ config: config(), coverage: null, diff, baseline: null, e2e: null, performance: null, mutation: null, ...context });
  const found = gates.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no gate ${id}`);
  return found;
}

describe('new_code_coverage', () => {
  it('passes at exactly the minimum (integer comparison: 4 of 5 is 80%)', () => {
    expect(gate({ coverage: coverage(4, 5) })).toMatchObject({ status: 'pass', actual: 80, threshold: 80 });
  });

  it('fails below the minimum and says by how many lines', () => {
    const result = gate({ coverage: coverage(12, 19) });
    expect(result).toMatchObject({ status: 'fail', actual: 63.15 });
    expect(result.reason).toContain('12 of 19 coverable new lines covered');
  });

  it('applies onMissing when no coverage report was given', () => {
    expect(gate({ coverage: null }).status).toBe('fail');
    expect(gate({ coverage: null, config: config({ onMissing: 'skip' }) }).status).toBe('skip');
  });

  it('is an explicit not-applicable skip when no changed line is coverable', () => {
    const result = gate({ coverage: coverage(0, 0) });
    expect(result).toMatchObject({ status: 'skip', actual: null });
    expect(result.reason).toMatch(/^not applicable/);
  });

  it('says the diff is empty when it is', () => {
    expect(gate({ coverage: coverage(0, 0), diff: { ...diff, changedFiles: 0, addedLines: 0 } }).reason).toContain('changes no file');
  });

  it('weighs unmeasured files by policy: warn, fail or ignore', () => {
    expect(gate({ coverage: coverage(9, 10, ['src/new.ts']) }).status).toBe('warn');
    expect(gate({ coverage: coverage(9, 10, ['src/new.ts']), config: config({ unmeasuredFiles: 'fail' }) }).status).toBe('fail');
    expect(gate({ coverage: coverage(9, 10, ['src/new.ts']), config: config({ unmeasuredFiles: 'ignore' }) }).status).toBe('pass');
    // Only unmeasured files and nothing measurable: not a silent pass.
    const onlyUnmeasured = gate({ coverage: coverage(0, 0, ['src/new.ts']) });
    expect(onlyUnmeasured.status).toBe('warn');
    expect(onlyUnmeasured.reason).toContain('src/new.ts');
  });

  it('shows a small sample as it is, and warns instead of failing only under a configured minLines', () => {
    expect(gate({ coverage: coverage(2, 3) })).toMatchObject({ status: 'fail' });
    const small = gate({ coverage: coverage(2, 3), config: config({ minLines: 5 }) });
    expect(small.status).toBe('warn');
    expect(small.reason).toContain('2 of 3 coverable new lines covered');
    expect(small.reason).toContain('fewer than minLines 5');
    expect(gate({ coverage: coverage(2, 6), config: config({ minLines: 5 }) }).status).toBe('fail');
  });

  it('fails over maxNewExclusions whatever the figure, and only lists them when unset', () => {
    const waivers = { coverageExclusions: 3, skippedTests: 1, listed: [] };
    const withWaivers = { ...diff, waivers };
    expect(gate({ coverage: coverage(10, 10), diff: withWaivers }).status).toBe('pass');
    expect(gate({ coverage: coverage(10, 10), diff: withWaivers, config: config({ maxNewExclusions: 3 }) }).status).toBe('pass');
    const over = gate({ coverage: coverage(10, 10), diff: withWaivers, config: config({ maxNewExclusions: 2 }) });
    expect(over.status).toBe('fail');
    expect(over.reason).toContain('3 new coverage exclusions, at most 2 allowed (maxNewExclusions)');
  });

  it('says how the added and the modified lines did', () => {
    const split = (scope: 'changed' | 'added') => ({ scope, added: { covered: 3, total: 4, percent: 75 }, modified: { covered: 1, total: 3, percent: 33.33 } });
    const both = coverage(4, 7);
    expect(gate({ coverage: { ...both, newCode: { ...both.newCode, split: split('changed') } } }).reason).toContain('lines added 3 of 4, modified 1 of 3');
    const added = coverage(3, 4);
    expect(gate({ coverage: { ...added, newCode: { ...added.newCode, split: split('added') } } }).reason).toContain('modified legacy lines (1 of 3 covered) are not gated (lines: added)');
  });

  it('is skipped when disabled', () => {
    expect(gate({ coverage: coverage(0, 10), config: config({ enabled: false }) })).toMatchObject({ status: 'skip', reason: 'disabled in the configuration' });
  });
});

describe('overall_coverage', () => {
  it('is informational without a minimum', () => {
    const result = gate({ coverage: coverage(1, 1) }, 'overall_coverage');
    expect(result).toMatchObject({ status: 'skip', actual: 80 });
    expect(result.reason).toContain('informational');
  });

  it('fails under its minimum and passes at it', () => {
    expect(gate({ coverage: coverage(1, 1), config: config({}, { min: 90 }) }, 'overall_coverage').status).toBe('fail');
    expect(gate({ coverage: coverage(1, 1), config: config({}, { min: 80 }) }, 'overall_coverage').status).toBe('pass');
  });

  it('checks the drop against a baseline when one exists', () => {
    const cfg = config({}, { maxDrop: 1 });
    expect(gate({ coverage: coverage(1, 1), config: cfg, baseline: { overallCoveragePercent: 82 } }, 'overall_coverage')).toMatchObject({ status: 'fail' });
    expect(gate({ coverage: coverage(1, 1), config: cfg, baseline: { overallCoveragePercent: 80.5 } }, 'overall_coverage')).toMatchObject({ status: 'pass' });
    const noBaseline = gate({ coverage: coverage(1, 1), config: cfg, baseline: null }, 'overall_coverage');
    expect(noBaseline.status).toBe('skip');
  });

  it('skips a report without coverable lines instead of calling it 100%', () => {
    expect(gate({ coverage: coverage(0, 0, [], { covered: 0, total: 0 }), config: config({}, { min: 50 }) }, 'overall_coverage')).toMatchObject({ status: 'skip', actual: null });
  });
});

describe('the gate table', () => {
  it('evaluates every gate, skipping the optional evidence that was not given', () => {
    const gates = evaluateGates({ config: config(), coverage: coverage(4, 5), diff, baseline: null, e2e: null, performance: null, mutation: null });
    expect(gates.map((result) => [result.id, result.status, result.unit])).toEqual([
      ['new_code_coverage', 'pass', '%'],
      ['overall_coverage', 'skip', '%'],
      ['e2e', 'skip', 'count'],
      ['performance', 'skip', 'count'],
      ['mutation', 'skip', '%'],
    ]);
  });
});

describe('decideVerdict', () => {
  const base = { unit: '%' as const, actual: null, threshold: null, formula: '' };
  it('fails on a failing blocking gate, warns on a non-blocking one, and names the deciding gates', () => {
    const pass = { ...base, id: 'p', status: 'pass' as const, blocking: true, reason: 'ok' };
    expect(decideVerdict([pass, { ...base, id: 'a', status: 'fail', blocking: true, reason: 'x' }])).toEqual({ verdict: 'fail', reason: 'blocking gate failed: a' });
    expect(decideVerdict([pass, { ...base, id: 'a', status: 'fail', blocking: false, reason: 'x' }])).toEqual({ verdict: 'warn', reason: 'non-blocking gate failed: a' });
    expect(decideVerdict([pass, { ...base, id: 'a', status: 'warn', blocking: true, reason: 'x' }])).toEqual({ verdict: 'warn', reason: 'gate warned: a' });
    expect(decideVerdict([pass, { ...base, id: 's', status: 'skip', blocking: true, reason: 'x' }])).toEqual({ verdict: 'pass', reason: '1 gate passed, 1 skipped' });
  });

  it('says so when every gate was skipped', () => {
    const verdict = decideVerdict([{ ...base, id: 'a', status: 'skip', blocking: true, reason: 'x' }]);
    expect(verdict).toEqual({ verdict: 'pass', reason: 'no gate had anything to check: 1 skipped' });
  });
});
