import { describe, expect, it } from 'vitest';
import { evaluateMutationGate, type MutationGateConfig } from '../../src/gates/mutation.js';
import type { MutationCounts, MutationResult } from '../../src/model/mutation.js';

/** The values gates/default.yml sets. */
const DEFAULTS: MutationGateConfig = { enabled: true, blocking: true, onMissing: 'skip', minScore: null, minNewCodeScore: 60, minMutants: null };

function config(overrides: Partial<MutationGateConfig> = {}): MutationGateConfig {
  return { ...DEFAULTS, ...overrides };
}

/** Counts built by hand (not by the code under test), with metrics' definitions. */
function counts(partial: Partial<Omit<MutationCounts, 'detected' | 'undetected' | 'valid' | 'score' | 'total'>> = {}): MutationCounts {
  const base = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, errors: 0, ignored: 0, pending: 0, ...partial };
  const detected = base.killed + base.timeout;
  const undetected = base.survived + base.noCoverage;
  const valid = detected + undetected;
  return {
    ...base,
    total: valid + base.errors + base.ignored + base.pending,
    detected,
    undetected,
    valid,
    score: valid === 0 ? null : Math.floor((detected * 10000) / valid) / 100,
  };
}

function result(overall: MutationCounts, newCode: MutationCounts = counts(), unresolvedFiles: string[] = []): MutationResult {
  return { ...overall, files: [], newCode: { ...newCode, surviving: [], survivingTotal: newCode.undetected }, unresolvedFiles };
}

describe('mutation gate: the new-code sample', () => {
  it('states the sample with timeouts apart from kills', () => {
    const outcome = evaluateMutationGate(config(), result(counts({ killed: 10, survived: 1, timeout: 1 }), counts({ killed: 10, survived: 1, timeout: 1 })));
    expect(outcome.status).toBe('pass');
    expect(outcome.reason).toContain('12 mutants on new code: 10 killed, 1 survived, 1 timeout');
  });

  it('warns instead of failing when fewer valid mutants than minMutants touch new code', () => {
    const outcome = evaluateMutationGate(config({ minMutants: 5 }), result(counts({ killed: 40, survived: 3 }), counts({ killed: 1, survived: 2 })));
    expect(outcome).toMatchObject({ status: 'warn', actual: 33.33, threshold: 60 });
    expect(outcome.reason).toContain('only 3 valid mutants on new code, fewer than minMutants (5): too small a sample to decide');
    expect(outcome.reason).toContain('3 mutants on new code: 1 killed, 2 survived, 0 timeout');
  });

  it('warns instead of passing on a small sample too, and decides at exactly minMutants', () => {
    expect(evaluateMutationGate(config({ minMutants: 5 }), result(counts({ killed: 4 }), counts({ killed: 4 }))).status).toBe('warn');
    expect(evaluateMutationGate(config({ minMutants: 5 }), result(counts({ killed: 5 }), counts({ killed: 5 }))).status).toBe('pass');
    expect(evaluateMutationGate(config({ minMutants: 5 }), result(counts({ killed: 1, survived: 4 }), counts({ killed: 1, survived: 4 }))).status).toBe('fail');
  });

  it('lets the overall minimum still fail while the new-code sample is too small', () => {
    const outcome = evaluateMutationGate(config({ minMutants: 5, minScore: 80 }), result(counts({ killed: 5, survived: 5 }), counts({ killed: 2 })));
    expect(outcome).toMatchObject({ status: 'fail', actual: 50, threshold: 80 });
  });
});

describe('mutation gate: a missing report', () => {
  it('skips by default (mutation testing is optional)', () => {
    expect(evaluateMutationGate(config(), null)).toEqual({
      status: 'skip',
      actual: null,
      threshold: 60,
      reason: 'no mutation report was given (--mutation); onMissing is "skip"',
    });
  });

  it.each(['warn', 'fail'] as const)('follows onMissing: %s', (onMissing) => {
    expect(evaluateMutationGate(config({ onMissing }), null).status).toBe(onMissing);
  });

  it('is skipped when disabled, whatever the evidence', () => {
    expect(evaluateMutationGate(config({ enabled: false, onMissing: 'fail' }), null)).toMatchObject({ status: 'skip', reason: expect.stringContaining('disabled') });
    expect(evaluateMutationGate(config({ enabled: false, minScore: 99 }), result(counts({ survived: 10 }))).status).toBe('skip');
  });
});

describe('mutation gate: new code', () => {
  it('passes at exactly the minimum (integer comparison: 3 of 5 is 60%)', () => {
    expect(evaluateMutationGate(config(), result(counts({ killed: 3, survived: 2 }), counts({ killed: 2, timeout: 1, noCoverage: 2 })))).toEqual({
      status: 'pass',
      actual: 60,
      threshold: 60,
      reason: 'overall: 3 of 5 valid mutants detected (60 %); new code: 3 of 5 valid mutants detected (60 %), at least 60 %; 5 mutants on new code: 2 killed, 0 survived, 1 timeout, 2 without coverage; 2 surviving mutants on new code',
    });
  });

  it('fails below the minimum, with the new-code score as actual', () => {
    const outcome = evaluateMutationGate(config(), result(counts({ killed: 90, survived: 10 }), counts({ killed: 10, survived: 3, noCoverage: 5 })));
    expect(outcome).toMatchObject({ status: 'fail', actual: 55.55, threshold: 60 });
    expect(outcome.reason).toContain('new code: 10 of 18 valid mutants detected (55.6 %), below the minimum 60 %');
    expect(outcome.reason).toContain('8 surviving mutants on new code');
  });

  it('is "not applicable" — never 100% — when no mutant touches a changed line', () => {
    const outcome = evaluateMutationGate(config(), result(counts({ killed: 5 }), counts()));
    expect(outcome).toEqual({
      status: 'skip',
      actual: null,
      threshold: 60,
      reason: 'not applicable; overall: 5 of 5 valid mutants detected (100 %); new code: not applicable, no mutant touches a changed line',
    });
  });

  it('is "not applicable" when the mutants on changed lines are all invalid, and says why', () => {
    const outcome = evaluateMutationGate(config(), result(counts({ killed: 5, errors: 2, ignored: 1 }), counts({ errors: 2, ignored: 1 })));
    expect(outcome.status).toBe('skip');
    expect(outcome.reason).toContain('new code: not applicable, none of the 3 mutants on changed lines is valid (2 compile/runtime errors, 1 ignored)');
  });
});

describe('mutation gate: overall', () => {
  it('fails below minScore even when new code passes, with the overall score as actual', () => {
    const outcome = evaluateMutationGate(config({ minScore: 70 }), result(counts({ killed: 69, survived: 31 }), counts({ killed: 4 })));
    expect(outcome).toMatchObject({ status: 'fail', actual: 69, threshold: 70 });
    expect(outcome.reason).toMatch(/^overall: 69 of 100 valid mutants detected \(69 %\), below the minimum 70 %; new code: 4 of 4/);
  });

  it('reports the new-code failure first when both fail', () => {
    const outcome = evaluateMutationGate(config({ minScore: 70 }), result(counts({ killed: 1, survived: 9 }), counts({ killed: 1, survived: 1 })));
    expect(outcome).toMatchObject({ status: 'fail', actual: 50, threshold: 60 });
  });

  it('passes on the overall score alone when only minScore is set', () => {
    expect(evaluateMutationGate(config({ minScore: 50, minNewCodeScore: null }), result(counts({ killed: 1, survived: 1 })))).toMatchObject({
      status: 'pass',
      actual: 50,
      threshold: 50,
    });
  });

  it('is informational (skip, with the measured score) when no minimum is set', () => {
    const outcome = evaluateMutationGate(config({ minScore: null, minNewCodeScore: null }), result(counts({ killed: 2, survived: 1 }), counts({ killed: 1 })));
    expect(outcome).toMatchObject({ status: 'skip', actual: 66.66, threshold: null });
    expect(outcome.reason).toMatch(/^informational: no minimum set/);
  });

  it('is "not applicable" for a report without mutants, never a pass', () => {
    const outcome = evaluateMutationGate(config({ minScore: 80 }), result(counts()));
    expect(outcome).toMatchObject({ status: 'skip', actual: null });
    expect(outcome.reason).toContain('overall: not applicable, the report lists no mutant');
  });
});

describe('mutation gate: data that cannot be trusted as a pass', () => {
  it('warns when mutants are still pending (a report written mid-run), even if the rest passes', () => {
    const outcome = evaluateMutationGate(config({ minScore: 50 }), result(counts({ killed: 5, pending: 3 }), counts({ killed: 2 })));
    expect(outcome.status).toBe('warn');
    expect(outcome.reason).toContain('3 mutants still pending: the report was written before the run ended, scores are partial');
  });

  it('warns for Stryker.NET’s real-time snapshot (only Pending and Ignored): no score, not a pass', () => {
    const outcome = evaluateMutationGate(config({ minScore: 60 }), result(counts({ pending: 10, ignored: 5 })));
    expect(outcome).toMatchObject({ status: 'warn', actual: null });
    expect(outcome.reason).toContain('none of its 15 mutants is valid (5 ignored, 10 pending)');
  });

  it('still fails on a failing score when mutants are pending', () => {
    expect(evaluateMutationGate(config(), result(counts({ killed: 1, survived: 9, pending: 2 }), counts({ survived: 2 }))).status).toBe('fail');
  });

  it('mentions report files that are not in the repository', () => {
    const outcome = evaluateMutationGate(config(), result(counts({ killed: 3 }), counts({ killed: 3 }), ['lib/gone.js']));
    expect(outcome.status).toBe('pass');
    expect(outcome.reason).toContain('1 reported file not found in the repository');
  });

  it('scores 0 (not null) when every mutant survived', () => {
    expect(evaluateMutationGate(config({ minScore: 1 }), result(counts({ survived: 1768 })))).toMatchObject({ status: 'fail', actual: 0, threshold: 1 });
  });
});
