/**
 * The fixed results the render tests share (comment.md and index.html golden files render the
 * same results), the constants they use, and the golden-file check.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ScenarioResult } from '../../src/model/e2e.js';
import type { Mutant } from '../../src/model/mutation.js';
import type { MetricComparison } from '../../src/model/performance.js';
import type { GateResult, NewCodeFile, QgateResult } from '../../src/model/result.js';

const GOLDEN_DIR = join(process.cwd(), 'fixtures', 'render');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

export const HEAD = '0f9e8d7c6b5a49382716f0e1d2c3b4a596877869';
export const BASE = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

/** Compares `text` with `fixtures/render/<fileName>`; UPDATE_GOLDEN=1 rewrites it (then read the diff by hand). */
export function golden(fileName: string, text: string): void {
  const file = join(GOLDEN_DIR, fileName);
  if (UPDATE) {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(file, text);
  }
  // A missing golden file fails: regenerate with UPDATE_GOLDEN=1, then read the diff by hand.
  expect(existsSync(file), `${file} is missing; run with UPDATE_GOLDEN=1`).toBe(true);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

const gate = (id: string, status: GateResult['status'], unit: GateResult['unit'], actual: number | null, threshold: number | null, reason: string, blocking = true): GateResult => ({
  id, status, unit, actual, threshold, reason, blocking, formula: `formula of ${id}`,
});

/** A result with every field at its empty value: each render test builds on this one. */
export function emptyResult(overrides: Partial<QgateResult> = {}): QgateResult {
  return {
    schemaVersion: 1,
    tool: { name: 'qgate', version: '0.1.0' },
    generatedAt: '2026-01-01T00:00:00.000Z',
    verdict: 'pass',
    verdictReason: 'all blocking gates passed',
    gates: [],
    diff: { source: 'git', baseSha: BASE, headSha: HEAD, changedFiles: 3, addedLines: 19, deletedFiles: 0, warnings: [] },
    coverage: null,
    baseline: null,
    e2e: null,
    performance: null,
    mutation: null,
    inputs: [],
    configFiles: [],
    ...overrides,
  };
}

function file(path: string, covered: number[], uncovered: number[], status: NewCodeFile['status'] = 'measured'): NewCodeFile {
  return { path, oldPath: null, change: 'modified', status, changedLines: [...covered, ...uncovered].sort((a, b) => a - b), coveredLines: covered, uncoveredLines: uncovered };
}

const counts = (total: number, failed: number, flaky = 0) => ({ total, passed: total - failed, failed, skipped: 0, pending: 0, undefined: 0, ambiguous: 0, flaky });

function scenario(name: string, overrides: Partial<ScenarioResult> = {}): ScenarioResult {
  return {
    key: `features/pay.feature:${name.length}`, name, feature: 'Payments', uri: 'features/pay.feature', line: 12, tags: [], status: 'failed',
    attempts: 1, flaky: false, failedStep: { keyword: 'Then', text: 'the order is paid', line: 15 },
    error: 'AssertionError: expected 402 to equal 200\n    at World.<anonymous> (steps/pay.ts:20:5)\n    at line two\n    at line three\n    at line four',
    durationMs: 120, startedAt: null, ...overrides,
  };
}

function mutant(file: string, line: number, replacement: string | null, overrides: Partial<Mutant> = {}): Mutant {
  return { id: `${line}`, file, mutatorName: 'EqualityOperator', replacement, description: null, status: 'Survived', location: { start: { line, column: 7 }, end: { line, column: 12 } }, ...overrides };
}

const mutationCounts = { total: 10, killed: 6, timeout: 1, survived: 2, noCoverage: 1, errors: 0, ignored: 0, pending: 0, detected: 7, undetected: 3, valid: 10, score: 70 };

function metric(name: string, stat: string, current: number, baseline: number, status: MetricComparison['status'], deltaText: string): MetricComparison {
  return { metric: name, stat, current, baseline, deltaPercent: ((current - baseline) / baseline) * 100, deltaAbsolute: current - baseline, deltaText, direction: 'lower-is-better', status, limit: 'max +10%', note: null };
}

export function passingResult(): QgateResult {
  return emptyResult({
    gates: [
      gate('new_code_coverage', 'pass', '%', 100, 80, '19 of 19 coverable changed lines covered'),
      gate('overall_coverage', 'pass', '%', 84.12, 80, '84.12% ≥ 80%'),
      gate('e2e', 'pass', 'count', 0, 0, '0 of 40 scenarios failed'),
      gate('mutation', 'skip', '%', null, null, 'no mutation report; onMissing is "skip"', false),
    ],
    coverage: {
      newCode: { covered: 19, total: 19, percent: 100, files: [file('src/a.ts', [1, 2, 3], [])], unmeasuredFiles: [] },
      overall: { covered: 841, total: 1000, percent: 84.1, files: 12 },
      unresolvedPaths: [],
    },
    e2e: { scenarios: counts(40, 0), failed: [], failedOmitted: 0, flakyScenarios: [], filteredOut: 0, tags: null, runErrors: [], warnings: [] },
  });
}

export function failingResult(): QgateResult {
  return emptyResult({
    verdict: 'fail',
    verdictReason: 'blocking gates failed: new_code_coverage, e2e, performance',
    gates: [
      gate('new_code_coverage', 'fail', '%', 63.15, 80, '12 of 19 coverable changed lines covered (63.15% < 80%)'),
      gate('overall_coverage', 'pass', '%', 79.5, 75, '79.5% ≥ 75%; drop 0.5 points ≤ 1'),
      gate('e2e', 'fail', 'count', 2, 0, '2 of 40 scenarios failed; 1 flaky (warn)'),
      gate('performance', 'fail', 'count', 2, 0, 'http_req_duration p(95)<500 (612.3); http_req_duration p(95) +22.5% vs baseline (max +10%)'),
      gate('mutation', 'warn', '%', 70, 80, 'new code: 7 of 10 valid mutants detected (70%) < 80%', false),
    ],
    coverage: {
      newCode: {
        covered: 12, total: 19, percent: 63.15,
        files: [
          file('src/pay/charge.ts', [1, 2, 3, 4, 5, 6, 7, 8], [10, 11, 12, 20]),
          file('src/pay/refund handler.ts', [3, 4, 5, 6], [7, 9, 30]),
          file('README.md', [], [], 'not-source'),
        ],
        unmeasuredFiles: ['src/pay/new-module.ts'],
      },
      overall: { covered: 795, total: 1000, percent: 79.5, files: 14 },
      unresolvedPaths: [{ report: 'coverage/lcov.info', path: '/builds/other/src/x.ts', reason: 'not-found', candidates: [] }],
      indirect: {
        compared: 11,
        files: 2,
        listed: [
          { path: 'src/pay/currency.ts', before: { covered: 10, total: 12, percent: 83.33 }, after: { covered: 0, total: 12, percent: 0 } },
          { path: 'src/pay/fees.ts', before: { covered: 30, total: 40, percent: 75 }, after: { covered: 35, total: 40, percent: 87.5 } },
        ],
      },
    },
    e2e: {
      scenarios: counts(40, 2, 1),
      failed: [scenario('Pay with an expired card'), scenario('Refund twice', { status: 'undefined', failedStep: { keyword: 'When', text: 'I refund again', line: 30 }, error: null, line: 28 })],
      failedOmitted: 0,
      flakyScenarios: [scenario('Pay with a voucher', { status: 'passed', flaky: true, attempts: 2, error: null, failedStep: null })],
      filteredOut: 0, tags: 'not @wip', runErrors: [], warnings: [],
    },
    performance: {
      run: { format: 'k6-summary-export', metricCount: 12, loadProfile: { vusMax: 10, iterations: 500, durationMs: 30000 }, baselineFormat: 'k6-summary-export', baselineLoadProfile: { vusMax: 10, iterations: 500, durationMs: 30000 }, quantileRelativeError: null, warnings: [] },
      thresholds: { total: 3, failed: 1, failedList: [{ metric: 'http_req_duration', expression: 'p(95)<500', source: 'k6', verdictBy: 'k6', actual: 612.3 }], unevaluated: [] },
      comparison: {
        baselineAvailable: true, likeForLike: true, reason: null,
        metrics: [
          metric('http_req_failed', 'rate', 0.01, 0.01, 'pass', '+0 points'),
          metric('http_req_duration', 'p(95)', 612.3, 499.8, 'regressed', '+22.5%'),
          metric('http_req_duration', 'avg', 180, 200, 'improved', '−10%'),
        ],
      },
    },
    mutation: {
      ...mutationCounts, files: [], unresolvedFiles: [],
      newCode: { ...mutationCounts, surviving: [mutant('src/pay/charge.ts', 10, 'a !== b'), mutant('src/pay/charge.ts', 20, null, { status: 'NoCoverage', mutatorName: 'BlockStatement' })], survivingTotal: 2 },
    },
  });
}

export function noEvidenceResult(): QgateResult {
  return emptyResult({
    verdict: 'fail',
    verdictReason: 'blocking gate failed: new_code_coverage',
    diff: { source: 'git', baseSha: null, headSha: HEAD, changedFiles: 0, addedLines: 0, deletedFiles: 0, warnings: [] },
    gates: [
      gate('new_code_coverage', 'fail', '%', null, 80, 'no coverage report was given; onMissing is "fail"'),
      gate('overall_coverage', 'skip', '%', null, null, 'no coverage report was given'),
      gate('e2e', 'skip', 'count', null, 0, 'no Cucumber report was given; onMissing is "skip"'),
      gate('performance', 'skip', 'count', null, null, 'no k6 results were given; onMissing is "skip"'),
      gate('mutation', 'skip', '%', null, null, 'no mutation report; onMissing is "skip"', false),
    ],
  });
}

/** Thousands of uncovered lines in 5,000 files: every other line, so each file has many ranges. */
export function hugeResult(pathOf: (i: number) => string = (i) => `src/pkg${String(i % 50).padStart(2, '0')}/file${String(i).padStart(4, '0')}.ts`): QgateResult {
  const files: NewCodeFile[] = [];
  for (let i = 0; i < 5000; i++) {
    const uncovered = Array.from({ length: 40 + (i % 7) }, (_, k) => 2 * k + 1);
    files.push(file(pathOf(i), [2, 4], uncovered));
  }
  const total = files.reduce((sum, f) => sum + f.coveredLines.length + f.uncoveredLines.length, 0);
  const covered = 2 * files.length;
  return emptyResult({
    verdict: 'fail',
    verdictReason: 'blocking gate failed: new_code_coverage',
    diff: { source: 'git', baseSha: BASE, headSha: HEAD, changedFiles: 5000, addedLines: total, deletedFiles: 0, warnings: [] },
    gates: [gate('new_code_coverage', 'fail', '%', 4.44, 80, `${covered} of ${total} coverable changed lines covered`)],
    coverage: {
      newCode: { covered, total, percent: 4.44, files, unmeasuredFiles: Array.from({ length: 300 }, (_, i) => `src/unmeasured/f${i}.ts`) },
      overall: { covered, total, percent: 4.44, files: 5000 },
      unresolvedPaths: [],
    },
  });
}

export const HOSTILE = [
  '<script>alert(1)</script>',
  '@all',
  '[x](javascript:alert(1))',
  '![](http://example.com/t.png)',
  'a | b || c',
  'tick ` and ``` fence',
  '#1 and !2 and group/project#3',
  'line one\nline two\r\n## heading',
  'nul\u0000here\u202Eevil',
  '**bold** _em_ ~~strike~~ <img src=x onerror=alert(1)>',
].join(' ');

export function hostileResult(): QgateResult {
  const failing = failingResult();
  const path = `src/${HOSTILE}/x.ts`;
  return {
    ...failing,
    verdictReason: `blocking gate failed: ${HOSTILE}`,
    gates: failing.gates.map((g) => ({ ...g, reason: HOSTILE })),
    coverage: {
      ...failing.coverage!,
      newCode: { ...failing.coverage!.newCode, files: [file(path, [1], [2, 3, 5])], unmeasuredFiles: [path] },
      unresolvedPaths: [{ report: HOSTILE, path: HOSTILE, reason: 'ambiguous', candidates: [HOSTILE] }],
      indirect: { compared: 1, files: 1, listed: [{ path, before: { covered: 1, total: 2, percent: 50 }, after: { covered: 0, total: 2, percent: 0 } }] },
    },
    e2e: {
      ...failing.e2e!,
      failed: [scenario(HOSTILE, { feature: HOSTILE, uri: path, error: `${HOSTILE}\n@all second line`, failedStep: { keyword: 'Given', text: HOSTILE, line: 1 } })],
      flakyScenarios: [scenario(HOSTILE, { status: 'passed', flaky: true, attempts: 3, error: null, failedStep: null, uri: path })],
      runErrors: [HOSTILE],
    },
    performance: {
      ...failing.performance!,
      thresholds: { total: 1, failed: 1, failedList: [{ metric: HOSTILE, expression: HOSTILE, source: 'qgate', verdictBy: 'qgate', actual: 1 }], unevaluated: [{ metric: HOSTILE, expression: 'p(99)<1', source: 'k6', reason: HOSTILE }] },
      comparison: { baselineAvailable: true, likeForLike: false, reason: HOSTILE, metrics: [{ ...metric(HOSTILE, HOSTILE, 2, 1, 'regressed', '+100%'), note: HOSTILE }] },
    },
    mutation: {
      ...failing.mutation!,
      unresolvedFiles: [HOSTILE],
      newCode: { ...failing.mutation!.newCode, surviving: [mutant(path, 2, HOSTILE, { mutatorName: HOSTILE, description: HOSTILE })], survivingTotal: 1 },
    },
  };
}
