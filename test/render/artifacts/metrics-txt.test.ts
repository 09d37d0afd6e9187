import { describe, expect, it } from 'vitest';
import type { MetricComparison, PerformanceResult } from '../../../src/model/performance.js';
import { escapeLabelValue, renderMetrics } from '../../../src/render/artifacts/metrics-txt.js';
import { baseResult, gate, HOSTILE, withCoverage, withE2e, withMutation, scenario } from './result-fixture.js';

const LABEL_VALUE = String.raw`"(?:[^"\\\n#]|\\\\|\\"|\\n)*"`;
const SAMPLE = new RegExp(`^[a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[a-zA-Z_][a-zA-Z0-9_]*=${LABEL_VALUE}(?:,[a-zA-Z_][a-zA-Z0-9_]*=${LABEL_VALUE})*\\})? -?\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?$`);
const COMMENT = /^# (?:TYPE [a-zA-Z_:][a-zA-Z0-9_:]* gauge|HELP [a-zA-Z_:][a-zA-Z0-9_:]* [^\n]*|EOF)$/;

function checkSyntax(text: string): string[] {
  expect(text.endsWith('# EOF\n')).toBe(true);
  const lines = text.slice(0, -1).split('\n');
  for (const line of lines) expect(SAMPLE.test(line) || COMMENT.test(line), line).toBe(true);
  expect(text).not.toMatch(/NaN|Infinity/);
  return lines;
}

function comparison(metric: string, stat: string, current: number | null): MetricComparison {
  return { metric, stat, current, baseline: null, deltaPercent: null, deltaAbsolute: null, deltaText: null, direction: 'lower-is-better', status: 'skip', limit: null, note: null };
}

function performance(metrics: MetricComparison[], failed = 1): PerformanceResult {
  return {
    run: { format: 'k6-summary-export', metricCount: 5, loadProfile: { vusMax: 1, iterations: 1, durationMs: 1 }, baselineFormat: null, baselineLoadProfile: null, quantileRelativeError: null, warnings: [] },
    thresholds: { total: 3, failed, failedList: [], unevaluated: [] },
    comparison: { baselineAvailable: false, likeForLike: true, reason: null, metrics },
  };
}

describe('renderMetrics', () => {
  it('writes every measured value, gate statuses and key k6 statistics', () => {
    const result = baseResult({
      gates: [gate({ id: 'new_code_coverage', status: 'pass' }), gate({ id: 'e2e', status: 'fail' }), gate({ id: 'mutation', status: 'warn' }), gate({ id: 'performance', status: 'skip' })],
      coverage: withCoverage([], 81.25),
      e2e: withE2e([scenario({ name: 'a', status: 'failed' })]),
      mutation: withMutation([], 70.5, null),
      performance: performance([comparison('http_req_duration', 'p(95)', 123.4), comparison('http_req_failed', 'rate', 0), comparison('iterations', 'count', null)]),
    });
    const lines = checkSyntax(renderMetrics(result));
    expect(lines.filter((line) => !line.startsWith('#'))).toEqual([
      'qgate_new_code_coverage_percent 81.25',
      `qgate_new_code_lines_covered ${result.coverage?.newCode.covered}`,
      `qgate_new_code_lines_total ${result.coverage?.newCode.total}`,
      'qgate_overall_coverage_percent 80',
      `qgate_overall_lines_covered ${result.coverage?.overall.covered}`,
      `qgate_overall_lines_total ${result.coverage?.overall.total}`,
      'qgate_e2e_scenarios_failed 1',
      `qgate_e2e_scenarios_passed ${result.e2e?.scenarios.passed}`,
      `qgate_e2e_scenarios_skipped ${result.e2e?.scenarios.skipped}`,
      `qgate_e2e_scenarios_flaky ${result.e2e?.scenarios.flaky}`,
      'qgate_e2e_scenarios_total 10',
      'qgate_mutation_score_percent 70.5',
      `qgate_mutation_mutants_detected ${result.mutation?.detected}`,
      `qgate_mutation_mutants_valid ${result.mutation?.valid}`,
      `qgate_mutation_new_code_mutants_detected ${result.mutation?.newCode.detected}`,
      `qgate_mutation_new_code_mutants_valid ${result.mutation?.newCode.valid}`,
      'qgate_k6_thresholds_failed 1',
      'qgate_k6_thresholds_total 3',
      'qgate_k6{metric="http_req_duration",stat="p(95)"} 123.4',
      'qgate_k6{metric="http_req_failed",stat="rate"} 0',
      'qgate_gate_status{gate="new_code_coverage"} 1',
      'qgate_gate_status{gate="e2e"} 0',
      'qgate_gate_status{gate="mutation"} 0',
    ]);
    expect(lines).toContain('# TYPE qgate_k6 gauge');
  });

  it('omits what was not measured instead of printing NaN', () => {
    const result = baseResult({ coverage: withCoverage([], null) });
    const lines = checkSyntax(renderMetrics(result));
    // No percent without coverable lines; the counts are still the counts.
    expect(lines.filter((line) => !line.startsWith('#') && !/_lines_/.test(line))).toEqual(['qgate_overall_coverage_percent 80']);
    expect(renderMetrics(baseResult())).toBe('# EOF\n');
  });

  it('escapes label values and keeps GitLab from cutting a line at #', () => {
    expect(escapeLabelValue('a\\b"c\nd#e\u0000\tf')).toBe('a\\\\b\\"c\\nd%23ef');
    const result = baseResult({
      gates: [gate({ id: HOSTILE, status: 'pass' })],
      performance: performance([comparison(`http_req_duration{url:${HOSTILE}}`, 'p(95)', 5)]),
    });
    const lines = checkSyntax(renderMetrics(result));
    expect(lines.filter((line) => line.startsWith('qgate_gate_status'))).toHaveLength(1);
    // GitLab strips from the first # to the end of the line: samples must hold none.
    for (const line of lines.filter((l) => !l.startsWith('#'))) expect(line).not.toContain('#');
  });
});
