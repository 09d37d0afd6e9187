/**
 * `metrics.txt` for GitLab's metrics report (artifacts:reports:metrics), in OpenMetrics text
 * (https://docs.gitlab.com/ci/testing/metrics_reports/: "The file should conform to the
 * OpenMetrics format"; values are compared between branches as strings).
 *
 * How GitLab reads it matters more than the format: its parser
 * (ee/lib/gitlab/ci/parsers/metrics/generic.rb, seen in the nickbrandt/GitLab mirror) removes
 * everything from a `#` to the end of each line, then shell-splits the rest and keeps the first
 * word as the name and the second as the value. So comments (`# TYPE`, `# EOF`) are ignored, a
 * label value in double quotes may hold spaces, but a `#` inside a label value would cut the
 * line and make the whole report unparseable: it is written `%23`. Label values are otherwise
 * escaped as OpenMetrics requires (backslash, double quote, newline).
 *
 * A metric without a value (nothing measured) is left out, never written as NaN.
 */
import type { GateStatus, QgateResult } from '../../model/result.js';

interface Sample {
  labels: Array<[string, string]>;
  value: number;
}

interface Family {
  name: string;
  help: string;
  samples: Sample[];
}

// eslint-disable-next-line no-control-regex -- the controls are what this strips
const CONTROL_CHARS = /[\u0000-\u0009\u000B-\u001F\u007F]/g;

/** OpenMetrics label-value escaping, plus `#` (see above); other controls are dropped. */
export function escapeLabelValue(value: string): string {
  return value
    .replace(CONTROL_CHARS, '')
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/#/g, '%23');
}

/** A value in OpenMetrics number syntax; only called with finite numbers. */
function formatValue(value: number): string {
  return Object.is(value, -0) ? '0' : String(value);
}

function renderFamily(family: Family): string[] {
  const samples = family.samples.filter((sample) => Number.isFinite(sample.value));
  if (samples.length === 0) return [];
  const lines = [`# TYPE ${family.name} gauge`, `# HELP ${family.name} ${family.help}`];
  for (const sample of samples) {
    const labels = sample.labels.length === 0 ? '' : `{${sample.labels.map(([key, value]) => `${key}="${escapeLabelValue(value)}"`).join(',')}}`;
    lines.push(`${family.name}${labels} ${formatValue(sample.value)}`);
  }
  return lines;
}

function single(name: string, help: string, value: number | null | undefined): Family {
  return { name, help, samples: value === null || value === undefined ? [] : [{ labels: [], value }] };
}

/** 1 = pass, 0 = fail or warn; a skipped gate measured nothing and has no sample. */
function gateValue(status: GateStatus): number | null {
  if (status === 'pass') return 1;
  if (status === 'skip') return null;
  return 0;
}

export function renderMetrics(result: QgateResult): string {
  const { coverage, e2e, mutation, performance } = result;
  const k6Samples: Sample[] = (performance?.comparison.metrics ?? []).flatMap((metric) =>
    metric.current === null ? [] : [{ labels: [['metric', metric.metric], ['stat', metric.stat]] as Array<[string, string]>, value: metric.current }],
  );
  const gateSamples: Sample[] = result.gates.flatMap((gate) => {
    const value = gateValue(gate.status);
    return value === null ? [] : [{ labels: [['gate', gate.id]] as Array<[string, string]>, value }];
  });
  const families: Family[] = [
    single('qgate_new_code_coverage_percent', 'Line coverage of the lines the merge request adds or changes.', coverage?.newCode.percent),
    single('qgate_new_code_lines_covered', 'Covered coverable lines the merge request adds or changes (result.json coverage.newCode.covered).', coverage?.newCode.covered),
    single('qgate_new_code_lines_total', 'Coverable lines the merge request adds or changes (coverage.newCode.total).', coverage?.newCode.total),
    single('qgate_overall_coverage_percent', 'Line coverage of every measured file.', coverage?.overall.percent),
    single('qgate_overall_lines_covered', 'Covered lines of every measured file (coverage.overall.covered).', coverage?.overall.covered),
    single('qgate_overall_lines_total', 'Coverable lines of every measured file (coverage.overall.total).', coverage?.overall.total),
    single('qgate_e2e_scenarios_failed', 'Failed E2E scenarios.', e2e?.scenarios.failed),
    single('qgate_e2e_scenarios_passed', 'Passed E2E scenarios, flaky ones included.', e2e?.scenarios.passed),
    single('qgate_e2e_scenarios_skipped', 'Skipped E2E scenarios.', e2e?.scenarios.skipped),
    single('qgate_e2e_scenarios_flaky', 'E2E scenarios that passed only on a retry.', e2e?.scenarios.flaky),
    single('qgate_e2e_scenarios_total', 'E2E scenarios run after the tag filter.', e2e?.scenarios.total),
    single('qgate_mutation_score_percent', 'Mutation score of every mutant.', mutation?.score),
    single('qgate_mutation_mutants_detected', 'Killed or timed-out mutants (mutation.detected).', mutation?.detected),
    single('qgate_mutation_mutants_valid', 'Mutants the score is out of (mutation.valid).', mutation?.valid),
    single('qgate_mutation_new_code_score_percent', 'Mutation score of the mutants on new code.', mutation?.newCode.score),
    single('qgate_mutation_new_code_mutants_detected', 'Detected mutants on new code (mutation.newCode.detected).', mutation?.newCode.detected),
    single('qgate_mutation_new_code_mutants_valid', 'Valid mutants on new code (mutation.newCode.valid).', mutation?.newCode.valid),
    single('qgate_k6_thresholds_failed', 'Failed k6 thresholds.', performance?.thresholds.failed),
    single('qgate_k6_thresholds_total', 'k6 thresholds checked (performance.thresholds.total).', performance?.thresholds.total),
    { name: 'qgate_k6', help: 'Tracked k6 statistics of this run.', samples: k6Samples },
    { name: 'qgate_gate_status', help: 'Gate status: 1 pass, 0 fail or warn.', samples: gateSamples },
  ];
  return [...families.flatMap(renderFamily), '# EOF', ''].join('\n');
}
