/**
 * JUnit XML written for a Cucumber run: the official @cucumber/junit-xml-formatter (cucumber-js ≥ 10
 * `--format junit`, cucumber-jvm's `junit` plugin), cucumber-jvm ≤ 6's JUnitFormatter, Maven
 * Surefire reports of a Cucumber JUnit runner, and godog (FORMATS.md §6). There is no single schema;
 * the de-facto one is Surefire's (https://maven.apache.org/surefire/maven-surefire-plugin/xsd/surefire-test-report-3.0.xsd).
 *
 * One `<testcase>` is one scenario (one outline example row). What JUnit cannot say, qgate does not
 * invent: no feature file or line, no tags, and retries are invisible (the official formatter writes
 * the last attempt only), except Surefire's `<flakyFailure>`/`<rerunFailure>` children.
 *
 * Statuses: `<failure>` or `<error>` is failed, `<skipped>` skipped, none passed; godog's own
 * `status` attribute wins when present. The official formatter writes pending, undefined and
 * ambiguous scenarios as a `<failure>` without type or message, but lists every step with its status
 * in `<system-out>` (`Given a step.......pending`, helpers.ts `formatStep` in
 * https://github.com/cucumber/junit-xml-formatter); when that list is there and its most severe
 * status is pending, undefined or ambiguous, that is the scenario's status, as Cucumber counts it.
 *
 * Streamed through the shared strict XML reader; only failure bodies and the start of
 * `<system-out>` are kept, so a Surefire report with megabytes of captured output stays small.
 */
import { QgateError } from '../../errors.js';
import type { E2eReport, FailedStep, ScenarioResult, ScenarioStatus } from '../../model/e2e.js';
import { readXml, sniffXmlRoot, type XmlVisitor } from '../xml.js';
import { createKeyMaker, isMoreSevere, plural, readStatus, roundMs, trimError, type E2eParser, type StepStatus } from './parser.js';

const FORMAT = 'junit';
const LABEL = 'JUnit XML';

/** Elements whose text is read. Everything else (properties, stack traces of reruns) is only checked. */
const TEXT_ELEMENTS: ReadonlySet<string> = new Set(['failure', 'error', 'system-out']);
/** Enough of a failure body for the first 20 lines of its message. */
const MAX_FAILURE_TEXT = 8 * 1024;
/** The official formatter's step list is a few lines; Surefire's captured output can be megabytes. */
const MAX_SYSTEM_OUT = 256 * 1024;

/** A step line of the official formatter and of cucumber-jvm's JUnitFormatter: text, dots, status. */
const STEP_LINE = /^(\S+)\s(.*?)\.+(passed|failed|skipped|pending|undefined|ambiguous|unknown)$/;

interface Problem {
  kind: 'failure' | 'error';
  type: string | undefined;
  message: string | undefined;
  body: string;
}

interface OpenCase {
  name: string;
  feature: string;
  time: string | undefined;
  statusAttribute: string | undefined;
  problems: Problem[];
  skipped: boolean;
  /** Surefire: failed runs before a passing one. */
  flakyRuns: number;
  /** Surefire: failed reruns after a failing first run. */
  reruns: number;
  systemOut: string;
}

interface StepLine {
  keyword: string;
  text: string;
  status: StepStatus;
}

/** The step list of `<system-out>`, or null when the text is not (only) such a list. */
function readStepList(systemOut: string): StepLine[] | null {
  const lines = systemOut.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  if (lines.length === 0) return null;
  const steps: StepLine[] = [];
  for (const line of lines) {
    const match = STEP_LINE.exec(line);
    if (match === null) return null;
    steps.push({ keyword: match[1] ?? '', text: match[2] ?? '', status: readStatus(match[3] ?? '').status });
  }
  return steps;
}

function worstOf(steps: readonly StepLine[]): StepLine | undefined {
  let worst: StepLine | undefined;
  for (const step of steps) if (worst === undefined || isMoreSevere(step.status, worst.status)) worst = step;
  return worst;
}

const REFINABLE: ReadonlySet<StepStatus> = new Set(['pending', 'undefined', 'ambiguous']);

function readSeconds(value: string | undefined): number | null {
  if (value === undefined) return null;
  const seconds = Number(value.replace(/,/g, ''));
  return Number.isFinite(seconds) && seconds >= 0 ? roundMs(seconds * 1000) : null;
}

function finish(open: OpenCase, makeKey: ReturnType<typeof createKeyMaker>, unknownStatuses: Set<string>): ScenarioResult {
  // godog's problems include `<error type="skipped">` for every step after the failing one.
  const problems = open.problems.filter((problem) => problem.type !== 'skipped' || open.statusAttribute === undefined);
  const steps = readStepList(open.systemOut);
  const worstStep = steps === null ? undefined : worstOf(steps);
  let status: ScenarioStatus;
  if (open.statusAttribute !== undefined) {
    const read = readStatus(open.statusAttribute);
    if (!read.known) unknownStatuses.add(open.statusAttribute);
    status = read.status === 'unknown' ? 'skipped' : read.status;
  } else if (problems.length > 0) {
    const first = problems[0];
    const bare = first !== undefined && first.type === undefined && first.message === undefined;
    status = bare && worstStep !== undefined && REFINABLE.has(worstStep.status) ? (worstStep.status as ScenarioStatus) : 'failed';
  } else if (open.skipped) {
    status = worstStep !== undefined && (worstStep.status === 'pending' || worstStep.status === 'undefined') ? worstStep.status : 'skipped';
  } else {
    status = 'passed';
  }

  let failedStep: FailedStep | null = null;
  let error: string | null = null;
  if (status !== 'passed' && status !== 'skipped') {
    const step = steps?.find((candidate) => candidate.status === status);
    if (step !== undefined) failedStep = { keyword: step.keyword, text: step.text, line: null };
    const problem = problems[0];
    if (problem !== undefined) error = trimError(problem.message !== undefined && problem.message.trim() !== '' ? problem.message : problem.body);
  }
  return {
    key: makeKey(null, null, open.feature, open.name),
    name: open.name,
    feature: open.feature,
    uri: null,
    line: null,
    tags: [],
    status,
    attempts: 1 + open.flakyRuns + open.reruns,
    flaky: status === 'passed' && open.flakyRuns > 0,
    failedStep,
    error,
    durationMs: readSeconds(open.time),
    startedAt: null,
  };
}

function malformed(message: string): QgateError {
  return new QgateError('INPUT_MALFORMED', message, {
    hint: 'Pass the JUnit XML report of the Cucumber run (e.g. cucumber-js `--format junit:reports/junit.xml`).',
  });
}

export async function parseJunitXml(chunks: AsyncIterable<string>, file: string): Promise<E2eReport> {
  const makeKey = createKeyMaker();
  const scenarios: ScenarioResult[] = [];
  const unknownStatuses = new Set<string>();
  const stack: string[] = [];
  const suites: string[] = [];
  /** The `tests` attribute of the root, else the sum over the top-level suites (godog writes both). */
  let rootTests: number | undefined;
  let suiteTests: number | undefined;
  let open: OpenCase | undefined;
  /** Where text goes: the open problem's body or the test case's system-out. */
  let target: 'problem' | 'system-out' | undefined;

  const visitor: XmlVisitor = {
    textOf: TEXT_ELEMENTS,
    openTag(name, attributes) {
      const parent = stack[stack.length - 1];
      stack.push(name);
      if (parent === undefined) {
        if (name !== 'testsuites' && name !== 'testsuite') {
          throw malformed(`is not a JUnit XML report: its root element is <${name}>, not <testsuites> or <testsuite>.`);
        }
        const tests = Number(attributes.tests);
        if (attributes.tests !== undefined && Number.isInteger(tests) && tests >= 0) rootTests = tests;
      }
      if (name === 'testsuite') {
        suites.push(attributes.name ?? '');
        if (parent === 'testsuites') {
          const tests = Number(attributes.tests);
          if (Number.isInteger(tests) && tests >= 0) suiteTests = (suiteTests ?? 0) + tests;
        }
        return;
      }
      if (name === 'testcase') {
        if (open !== undefined) throw malformed('has a <testcase> inside another <testcase>.');
        open = {
          name: attributes.name ?? '',
          // godog writes no classname: the enclosing testsuite is the feature.
          feature: attributes.classname ?? suites[suites.length - 1] ?? '',
          time: attributes.time,
          statusAttribute: attributes.status,
          problems: [],
          skipped: false,
          flakyRuns: 0,
          reruns: 0,
          systemOut: '',
        };
        return;
      }
      if (open === undefined || parent !== 'testcase') return;
      switch (name) {
        case 'failure':
        case 'error':
          open.problems.push({ kind: name, type: attributes.type, message: attributes.message, body: '' });
          target = 'problem';
          break;
        case 'skipped':
          open.skipped = true;
          break;
        case 'flakyFailure':
        case 'flakyError':
          open.flakyRuns += 1;
          break;
        case 'rerunFailure':
        case 'rerunError':
          open.reruns += 1;
          break;
        case 'system-out':
          target = 'system-out';
          break;
        default:
          break;
      }
    },
    closeTag(name) {
      stack.pop();
      if (name === 'testsuite') {
        suites.pop();
        return;
      }
      if (name === 'testcase' && open !== undefined) {
        scenarios.push(finish(open, makeKey, unknownStatuses));
        open = undefined;
        target = undefined;
        return;
      }
      if (stack[stack.length - 1] === 'testcase' && (name === 'failure' || name === 'error' || name === 'system-out')) target = undefined;
    },
    text(text) {
      if (open === undefined || target === undefined) return;
      if (target === 'system-out') {
        if (open.systemOut.length < MAX_SYSTEM_OUT) open.systemOut += text.slice(0, MAX_SYSTEM_OUT - open.systemOut.length);
        return;
      }
      const problem = open.problems[open.problems.length - 1];
      if (problem !== undefined && problem.body.length < MAX_FAILURE_TEXT) problem.body += text.slice(0, MAX_FAILURE_TEXT - problem.body.length);
    },
  };

  await readXml(chunks, { file, format: FORMAT }, visitor);

  const warnings: string[] = [];
  const stated = rootTests ?? suiteTests;
  if (stated !== undefined && stated !== scenarios.length) {
    warnings.push(`the report's tests attribute says ${plural(stated, 'test')}, but it holds ${plural(scenarios.length, '<testcase>', '<testcase> elements')}.`);
  }
  if (unknownStatuses.size > 0) {
    warnings.push(`unknown testcase status ${[...unknownStatuses].map((status) => JSON.stringify(status)).join(', ')} counted as failed.`);
  }
  return { format: FORMAT, file, scenarios, runError: null, warnings };
}

export const junitXmlParser: E2eParser = {
  format: FORMAT,
  label: LABEL,
  sniff(head) {
    const root = sniffXmlRoot(head);
    return root !== undefined && (root.name === 'testsuites' || root.name === 'testsuite');
  },
  parse: parseJunitXml,
};
