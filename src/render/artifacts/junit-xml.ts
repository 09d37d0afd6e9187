/**
 * `junit.xml` for GitLab's test report widget: one test case per gate and, when asked, the
 * failed and flaky E2E scenarios that result.json lists.
 *
 * GitLab reads `testsuite > testcase` with `<failure>`, `<error>` and `<skipped>` children and
 * shows a failure's text as the test's output; `<system-out>` of a passing case is kept too
 * (https://docs.gitlab.com/ci/testing/unit_test_reports/). The suite counters are computed from
 * the cases written, so `tests`, `failures`, `errors` and `skipped` always agree with the body.
 *
 * A gate that did not run (disabled, or no report given: `describeGate(...).notRun`) has no test
 * case: it was not a test, and a skipped row per unconfigured gate is noise in GitLab's widget.
 * A pending scenario is `<skipped>` (not written yet is not a failure of the MR's code). Each
 * scenario is one test case, retries folded in: GitLab keeps only the first of duplicate names,
 * which would be the failed attempt of a flaky scenario; qgate writes the final status once, with
 * a FLAKY marker in `<system-out>` and the attempts counted.
 */
import { describeGate } from '../../gates/evaluate.js';
import type { ScenarioResult } from '../../model/e2e.js';
import type { GateResult, QgateResult } from '../../model/result.js';
import { escapeXmlAttribute as attr, escapeXmlText as text } from './xml-escape.js';

export interface JunitOptions {
  /** Add a second suite, `e2e`, with the failed and flaky scenarios of `result.e2e`. */
  includeScenarios: boolean;
}

interface TestCase {
  classname: string;
  name: string;
  /** The feature file and line, for scenarios that have them. */
  file?: string;
  line?: number;
  /** Seconds. */
  time: number;
  outcome:
    | { kind: 'pass'; output: string | null }
    | { kind: 'failure'; message: string; type: string; body: string }
    | { kind: 'skipped'; message: string };
}

function gateDetails(gate: GateResult): string {
  const measured = gate.actual === null ? 'not measured' : `${gate.actual}${gate.unit === '%' ? '%' : ''}`;
  const threshold = gate.threshold === null ? 'none' : `${gate.threshold}${gate.unit === '%' ? '%' : ''}`;
  return `${gate.reason}\nformula: ${gate.formula}\nmeasured: ${measured}; threshold: ${threshold}; ${gate.blocking ? 'blocking' : 'non-blocking'}`;
}

function gateCase(gate: GateResult): TestCase {
  const base = { classname: 'qgate', name: gate.id, time: 0 };
  switch (gate.status) {
    case 'fail':
      return { ...base, outcome: { kind: 'failure', message: gate.reason, type: gate.id, body: gateDetails(gate) } };
    case 'skip':
      return { ...base, outcome: { kind: 'skipped', message: gate.reason } };
    case 'warn':
      return { ...base, outcome: { kind: 'pass', output: `WARNING: ${gateDetails(gate)}` } };
    case 'pass':
      return { ...base, outcome: { kind: 'pass', output: null } };
  }
}

function seconds(durationMs: number | null): number {
  return durationMs === null || !Number.isFinite(durationMs) || durationMs < 0 ? 0 : durationMs / 1000;
}

function stepLine(scenario: ScenarioResult): string | null {
  const step = scenario.failedStep;
  if (step === null) return null;
  return `${step.keyword} ${step.text}`.trim() + (step.line === null ? '' : ` (line ${step.line})`);
}

function scenarioName(scenario: ScenarioResult): string {
  return scenario.uri === null || scenario.line === null ? scenario.name : `${scenario.name} (${scenario.uri}:${scenario.line})`;
}

function scenarioBase(scenario: ScenarioResult): Omit<TestCase, 'outcome'> {
  return {
    classname: scenario.feature,
    name: scenarioName(scenario),
    ...(scenario.uri === null ? {} : { file: scenario.uri }),
    ...(scenario.line === null ? {} : { line: scenario.line }),
    time: seconds(scenario.durationMs),
  };
}

/**
 * Failed, ambiguous and undefined scenarios are failures: each is in `e2e.failed` because
 * Cucumber's strict mode (its default) fails the run on it. A pending one is skipped.
 */
function failedScenarioCase(scenario: ScenarioResult): TestCase {
  const step = stepLine(scenario);
  if (scenario.status === 'pending') {
    return { ...scenarioBase(scenario), outcome: { kind: 'skipped', message: `pending${step === null ? '' : `: ${step}`}` } };
  }
  const firstErrorLine = scenario.error?.split('\n', 1)[0]?.trim();
  const message = firstErrorLine ? firstErrorLine : `scenario ${scenario.status}`;
  const body = [`status: ${scenario.status}`, step, scenario.error].filter((part) => part !== null).join('\n');
  return { ...scenarioBase(scenario), outcome: { kind: 'failure', message, type: scenario.status, body } };
}

function flakyScenarioCase(scenario: ScenarioResult): TestCase {
  return {
    ...scenarioBase(scenario),
    outcome: { kind: 'pass', output: `FLAKY: passed on attempt ${scenario.attempts} after failing earlier (${scenario.attempts} attempts folded into this test case)` },
  };
}

/** One test case per scenario key, the first listing winning (a scenario is never both failed and flaky). */
function foldByKey(scenarios: readonly ScenarioResult[]): ScenarioResult[] {
  const seen = new Set<string>();
  return scenarios.filter((scenario) => (seen.has(scenario.key) ? false : (seen.add(scenario.key), true)));
}

function formatTime(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

function renderCase(testCase: TestCase): string {
  const where = `${testCase.file === undefined ? '' : ` file="${attr(testCase.file)}"`}${testCase.line === undefined ? '' : ` line="${testCase.line}"`}`;
  const open = `    <testcase classname="${attr(testCase.classname)}" name="${attr(testCase.name)}"${where} time="${formatTime(testCase.time)}"`;
  const { outcome } = testCase;
  switch (outcome.kind) {
    case 'pass':
      return outcome.output === null ? `${open}/>` : `${open}>\n      <system-out>${text(outcome.output)}</system-out>\n    </testcase>`;
    case 'skipped':
      return `${open}>\n      <skipped message="${attr(outcome.message)}"/>\n    </testcase>`;
    case 'failure':
      return `${open}>\n      <failure message="${attr(outcome.message)}" type="${attr(outcome.type)}">${text(outcome.body)}</failure>\n    </testcase>`;
  }
}

interface Suite {
  name: string;
  cases: TestCase[];
  output: string | null;
}

interface Counts {
  tests: number;
  failures: number;
  skipped: number;
  time: number;
}

function countCases(cases: readonly TestCase[]): Counts {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.outcome.kind === 'failure').length,
    skipped: cases.filter((c) => c.outcome.kind === 'skipped').length,
    time: cases.reduce((sum, c) => sum + c.time, 0),
  };
}

/**
 * The counters of a `<testsuite>`, or of the `<testsuites>` root without `skipped`: the JUnit
 * schema Jenkins validates reports against (xunit plugin, junit-10.xsd, vendored in
 * fixtures/schemas/) allows `skipped` on a suite only, and GitLab reads no root counter.
 */
function countAttributes(counts: Counts, element: 'testsuite' | 'testsuites'): string {
  const skipped = element === 'testsuite' ? ` skipped="${counts.skipped}"` : '';
  return `tests="${counts.tests}" failures="${counts.failures}" errors="0"${skipped} time="${formatTime(counts.time)}"`;
}

function renderSuite(suite: Suite, timestamp: string): string {
  const head = `  <testsuite name="${attr(suite.name)}" ${countAttributes(countCases(suite.cases), 'testsuite')} timestamp="${attr(timestamp)}">`;
  const body = suite.cases.map(renderCase);
  if (suite.output !== null) body.push(`    <system-out>${text(suite.output)}</system-out>`);
  return [head, ...body, '  </testsuite>'].join('\n');
}

export function renderJunitXml(result: QgateResult, options: JunitOptions): string {
  const ran = result.gates.filter((gate) => describeGate(gate, result).notRun === null);
  const suites: Suite[] = [{ name: 'qgate', cases: ran.map(gateCase), output: null }];
  if (options.includeScenarios && result.e2e !== null) {
    const { e2e } = result;
    const notes: string[] = [];
    if (e2e.failedOmitted > 0) notes.push(`${e2e.failedOmitted} more scenarios that did not pass are not listed here; see result.json.`);
    if (e2e.scenarios.flaky > e2e.flakyScenarios.length) {
      notes.push(`${e2e.scenarios.flaky - e2e.flakyScenarios.length} more flaky scenarios are not listed here.`);
    }
    for (const runError of e2e.runErrors) notes.push(`run error: ${runError}`);
    suites.push({
      name: 'e2e',
      cases: [...foldByKey(e2e.failed).map(failedScenarioCase), ...foldByKey(e2e.flakyScenarios).map(flakyScenarioCase)],
      output: notes.length > 0 ? notes.join('\n') : null,
    });
  }
  const total = countCases(suites.flatMap((suite) => suite.cases));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="qgate" ${countAttributes(total, 'testsuites')}>`,
    ...suites.map((suite) => renderSuite(suite, result.generatedAt)),
    '</testsuites>',
    '',
  ].join('\n');
}
