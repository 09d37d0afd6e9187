/**
 * Cucumber Messages NDJSON (`--format message:` in cucumber-js, `message:` plugin in cucumber-jvm,
 * @badeball/cypress-cucumber-preprocessor, the compatibility kit): one envelope per line, each an
 * object with one key (https://github.com/cucumber/messages, schema in `jsonschema/`).
 *
 * Read line by line: memory holds what the counting needs (pickles, test cases, one result per test
 * step and attempt), never the sources, the feature documents' text or attachments, so a stream with
 * megabytes of screenshots stays small. Envelopes may come in any order (cucumber-jvm sends
 * `testRunStarted` before the sources and pickles, hooks may follow the pickles); everything is
 * resolved once the stream ends.
 *
 * Counting follows Cucumber: a test case attempt's status is the most severe of its test step
 * results; the last attempt (highest `attempt`) is the scenario's result, and a passed last attempt
 * after a failed one is flaky. Attempts are ordered by their number rather than by `willBeRetried`,
 * which moved from `testStepResult` (protocol 16) to `testCaseFinished` (17+). Pickles without a
 * test case (filtered out by tags when the run started) are not scenarios of the run.
 */
import { QgateError } from '../../errors.js';
import type { E2eReport, FailedStep, ScenarioResult, ScenarioStatus } from '../../model/e2e.js';
import { readLines } from '../read-input.js';
import { describeJsonValue, isJsonObject } from '../json-document.js';
import {
  createKeyMaker,
  isMoreSevere,
  normalizeTag,
  normalizeUri,
  plural,
  readStatus,
  roundMs,
  scenarioStatusOf,
  trimError,
  type E2eParser,
  type StepStatus,
} from './parser.js';

const FORMAT = 'cucumber-messages';

type JsonObject = Record<string, unknown>;

/** The envelope keys of messages 16-33 (https://github.com/cucumber/messages/blob/main/jsonschema/Envelope.json). */
const ENVELOPE_KEYS = [
  'attachment',
  'externalAttachment',
  'gherkinDocument',
  'hook',
  'meta',
  'parameterType',
  'parseError',
  'pickle',
  'suggestion',
  'source',
  'stepDefinition',
  'testCase',
  'testCaseFinished',
  'testCaseStarted',
  'testRunFinished',
  'testRunStarted',
  'testStepFinished',
  'testStepStarted',
  'testRunHookStarted',
  'testRunHookFinished',
  'undefinedParameterType',
] as const;

const KNOWN_ENVELOPES: ReadonlySet<string> = new Set(ENVELOPE_KEYS);

interface GherkinStep {
  keyword: string;
  line: number | null;
}

interface Pickle {
  uri: string;
  name: string;
  astNodeIds: string[];
  tags: string[];
  line: number | null;
  /** Pickle step id → [text, the Gherkin step's AST node id]. */
  steps: Map<string, { text: string; astNodeId: string | undefined }>;
}

interface Hook {
  type: string | null;
  name: string | null;
  location: string | null;
}

interface TestStep {
  id: string;
  pickleStepId: string | null;
  hookId: string | null;
}

interface TestCase {
  pickleId: string;
  steps: TestStep[];
}

interface StepResult {
  status: StepStatus;
  error: string | null;
}

interface Attempt {
  testCaseId: string;
  attempt: number;
  /** Position in the stream, to order attempts that carry the same number. */
  order: number;
  startedAt: number | null;
}

/** What `testCaseFinished` says; kept by test case started id, whichever line comes first. */
interface Finished {
  at: number | null;
}

interface RunHookResult {
  startedId: string;
  status: StepStatus;
  error: string | null;
}

function asString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function asLine(location: unknown): number | null {
  if (!isJsonObject(location)) return null;
  const line = location.line;
  return typeof line === 'number' && Number.isInteger(line) && line > 0 ? line : null;
}

/** Milliseconds since the epoch of a `{seconds, nanos}` timestamp. */
function toMillis(timestamp: unknown): number | null {
  if (!isJsonObject(timestamp)) return null;
  const { seconds, nanos } = timestamp;
  // protobuf's JSON mapping writes int64 seconds as a string in some implementations.
  const secondsValue = typeof seconds === 'string' ? Number(seconds) : seconds;
  if (typeof secondsValue !== 'number' || !Number.isFinite(secondsValue)) return null;
  const nanosValue = typeof nanos === 'number' && Number.isFinite(nanos) ? nanos : 0;
  return secondsValue * 1000 + nanosValue / 1e6;
}

/** The error text of a result: the message (cucumber-js puts the stack there), else the exception. */
function resultError(result: JsonObject): string | null {
  const message = asString(result.message);
  if (message !== null && message.trim() !== '') return message;
  const exception = result.exception;
  if (isJsonObject(exception)) {
    const text = asString(exception.message) ?? asString(exception.type);
    const type = asString(exception.type);
    if (text !== null) return type !== null && text !== type ? `${type}: ${text}` : text;
  }
  return null;
}

/** What the parser keeps of the stream: enough to count, never the sources or attachments. */
class MessagesCollector {
  readonly featureNames = new Map<string, string>();
  /** AST node id → line: scenarios, example rows. */
  readonly astLines = new Map<string, number>();
  readonly gherkinSteps = new Map<string, GherkinStep>();
  readonly pickles = new Map<string, Pickle>();
  readonly hooks = new Map<string, Hook>();
  readonly testCases = new Map<string, TestCase>();
  readonly attempts = new Map<string, Attempt>();
  /** Test step results by test case started id, then test step id. */
  readonly results = new Map<string, Map<string, StepResult>>();
  readonly finished = new Map<string, Finished>();
  readonly runHookStarts = new Map<string, string | null>();
  readonly runHookResults: RunHookResult[] = [];
  testRunFinished: JsonObject | null = null;
  unknownStatuses = new Set<string>();
  /** Envelopes whose key the protocol defines; a stream without any is not Cucumber Messages. */
  recognized = 0;
  private envelopes = 0;

  add(envelope: JsonObject): void {
    this.envelopes += 1;
    const [key] = Object.keys(envelope);
    if (key !== undefined && KNOWN_ENVELOPES.has(key)) this.recognized += 1;
    const body = key === undefined ? undefined : envelope[key];
    if (!isJsonObject(body)) return;
    switch (key) {
      case 'gherkinDocument':
        this.addGherkinDocument(body);
        break;
      case 'pickle':
        this.addPickle(body);
        break;
      case 'hook':
        this.addHook(body);
        break;
      case 'testCase':
        this.addTestCase(body);
        break;
      case 'testCaseStarted':
        this.addTestCaseStarted(body);
        break;
      case 'testStepFinished':
        this.addTestStepFinished(body);
        break;
      case 'testCaseFinished':
        this.addTestCaseFinished(body);
        break;
      case 'testRunHookStarted':
        this.runHookStarts.set(asString(body.id) ?? '', asString(body.hookId));
        break;
      case 'testRunHookFinished':
        this.addTestRunHookFinished(body);
        break;
      case 'testRunFinished':
        this.testRunFinished = body;
        break;
      default:
        // meta, source, stepDefinition, attachment, suggestion, ...: nothing to count.
        break;
    }
  }

  private readStatus(raw: unknown): StepStatus {
    if (typeof raw !== 'string') return 'unknown';
    const { status, known } = readStatus(raw);
    if (!known) this.unknownStatuses.add(raw);
    return status;
  }

  private addGherkinDocument(document: JsonObject): void {
    const uri = asString(document.uri);
    const feature = document.feature;
    if (!isJsonObject(feature)) return;
    if (uri !== null) this.featureNames.set(normalizeUri(uri), asString(feature.name) ?? '');
    this.addChildren(feature.children);
  }

  /** Feature and Rule children: backgrounds, scenarios (with their example rows), rules. */
  private addChildren(children: unknown): void {
    if (!Array.isArray(children)) return;
    for (const child of children) {
      if (!isJsonObject(child)) continue;
      const node = isJsonObject(child.scenario) ? child.scenario : isJsonObject(child.background) ? child.background : null;
      if (node !== null) {
        const id = asString(node.id);
        const line = asLine(node.location);
        if (id !== null && line !== null) this.astLines.set(id, line);
        if (Array.isArray(node.steps)) {
          for (const step of node.steps) {
            if (!isJsonObject(step)) continue;
            const stepId = asString(step.id);
            if (stepId !== null) this.gherkinSteps.set(stepId, { keyword: (asString(step.keyword) ?? '').trim(), line: asLine(step.location) });
          }
        }
        if (Array.isArray(node.examples)) {
          for (const examples of node.examples) {
            if (!isJsonObject(examples) || !Array.isArray(examples.tableBody)) continue;
            for (const row of examples.tableBody) {
              if (!isJsonObject(row)) continue;
              const rowId = asString(row.id);
              const rowLine = asLine(row.location);
              if (rowId !== null && rowLine !== null) this.astLines.set(rowId, rowLine);
            }
          }
        }
      }
      if (isJsonObject(child.rule)) this.addChildren(child.rule.children);
    }
  }

  private addPickle(pickle: JsonObject): void {
    const id = asString(pickle.id);
    if (id === null) return;
    const steps = new Map<string, { text: string; astNodeId: string | undefined }>();
    if (Array.isArray(pickle.steps)) {
      for (const step of pickle.steps) {
        if (!isJsonObject(step)) continue;
        const stepId = asString(step.id);
        const astNodeIds = Array.isArray(step.astNodeIds) ? step.astNodeIds : [];
        if (stepId !== null) steps.set(stepId, { text: asString(step.text) ?? '', astNodeId: asString(astNodeIds[0]) ?? undefined });
      }
    }
    const tags: string[] = [];
    if (Array.isArray(pickle.tags)) {
      for (const tag of pickle.tags) {
        const name = isJsonObject(tag) ? asString(tag.name) : null;
        if (name !== null && name.trim() !== '') tags.push(normalizeTag(name));
      }
    }
    this.pickles.set(id, {
      uri: normalizeUri(asString(pickle.uri) ?? ''),
      name: asString(pickle.name) ?? '',
      astNodeIds: Array.isArray(pickle.astNodeIds) ? pickle.astNodeIds.filter((value): value is string => typeof value === 'string') : [],
      tags: [...new Set(tags)],
      line: asLine(pickle.location),
      steps,
    });
  }

  private addHook(hook: JsonObject): void {
    const id = asString(hook.id);
    if (id === null) return;
    const reference = hook.sourceReference;
    let location: string | null = null;
    if (isJsonObject(reference)) {
      const uri = asString(reference.uri);
      const line = asLine(reference.location);
      if (uri !== null) location = line === null ? normalizeUri(uri) : `${normalizeUri(uri)}:${line}`;
      else if (isJsonObject(reference.javaMethod)) {
        location = `${asString(reference.javaMethod.className) ?? ''}.${asString(reference.javaMethod.methodName) ?? ''}()`;
      }
    }
    this.hooks.set(id, { type: asString(hook.type), name: asString(hook.name), location });
  }

  private addTestCase(testCase: JsonObject): void {
    const id = asString(testCase.id);
    const pickleId = asString(testCase.pickleId);
    if (id === null || pickleId === null) return;
    const steps: TestStep[] = [];
    if (Array.isArray(testCase.testSteps)) {
      for (const step of testCase.testSteps) {
        if (!isJsonObject(step)) continue;
        const stepId = asString(step.id);
        if (stepId !== null) steps.push({ id: stepId, pickleStepId: asString(step.pickleStepId), hookId: asString(step.hookId) });
      }
    }
    this.testCases.set(id, { pickleId, steps });
  }

  private addTestCaseStarted(started: JsonObject): void {
    const id = asString(started.id);
    const testCaseId = asString(started.testCaseId);
    if (id === null || testCaseId === null) return;
    const attempt = typeof started.attempt === 'number' && Number.isInteger(started.attempt) ? started.attempt : 0;
    this.attempts.set(id, { testCaseId, attempt, order: this.envelopes, startedAt: toMillis(started.timestamp) });
  }

  private addTestStepFinished(finished: JsonObject): void {
    const startedId = asString(finished.testCaseStartedId);
    const stepId = asString(finished.testStepId);
    const result = finished.testStepResult;
    if (startedId === null || stepId === null || !isJsonObject(result)) return;
    let results = this.results.get(startedId);
    if (results === undefined) {
      results = new Map();
      this.results.set(startedId, results);
    }
    results.set(stepId, { status: this.readStatus(result.status), error: resultError(result) });
  }

  private addTestCaseFinished(finished: JsonObject): void {
    const startedId = asString(finished.testCaseStartedId);
    if (startedId !== null) this.finished.set(startedId, { at: toMillis(finished.timestamp) });
  }

  private addTestRunHookFinished(finished: JsonObject): void {
    const result = finished.result;
    if (!isJsonObject(result)) return;
    this.runHookResults.push({ startedId: asString(finished.testRunHookStartedId) ?? '', status: this.readStatus(result.status), error: resultError(result) });
  }
}

/** Before or After for a test case hook: the type when the producer wrote it (messages 21+), else its place among the steps. */
function hookKeyword(hook: Hook | undefined, seenPickleStep: boolean): string {
  switch (hook?.type) {
    case 'BEFORE_TEST_CASE':
      return 'Before';
    case 'AFTER_TEST_CASE':
      return 'After';
    case 'BEFORE_TEST_STEP':
      return 'BeforeStep';
    case 'AFTER_TEST_STEP':
      return 'AfterStep';
    default:
      return seenPickleStep ? 'After' : 'Before';
  }
}

interface AttemptOutcome {
  status: ScenarioStatus;
  failedStep: FailedStep | null;
  error: string | null;
}

function evaluateAttempt(collector: MessagesCollector, startedId: string, testCase: TestCase, pickle: Pickle): AttemptOutcome {
  const results = collector.results.get(startedId) ?? new Map<string, StepResult>();
  if (!collector.finished.has(startedId) && results.size < testCase.steps.length) {
    // cucumber never leaves a started test case without testCaseFinished unless the run died.
    return {
      status: 'failed',
      failedStep: null,
      error: 'The test case started but never finished: the run was interrupted (a crash, a timeout or a killed job).',
    };
  }
  let worst: StepStatus = 'unknown';
  let decisive: { step: TestStep; result: StepResult; afterPickleStep: boolean } | undefined;
  let seenPickleStep = false;
  for (const step of testCase.steps) {
    if (step.pickleStepId !== null) seenPickleStep = true;
    // A step without a result in a finished attempt never ran: Cucumber's "skipped".
    const result = results.get(step.id) ?? { status: 'skipped', error: null };
    if (isMoreSevere(result.status, worst)) {
      worst = result.status;
      decisive = { step, result, afterPickleStep: seenPickleStep };
    }
  }
  const status = scenarioStatusOf(worst);
  if (status === 'passed' || status === 'skipped' || decisive === undefined) return { status, failedStep: null, error: null };
  const { step, result } = decisive;
  let failedStep: FailedStep;
  if (step.pickleStepId !== null) {
    const pickleStep = pickle.steps.get(step.pickleStepId);
    const gherkin = pickleStep?.astNodeId === undefined ? undefined : collector.gherkinSteps.get(pickleStep.astNodeId);
    failedStep = { keyword: gherkin?.keyword ?? '', text: pickleStep?.text ?? '', line: gherkin?.line ?? null };
  } else {
    const hook = step.hookId === null ? undefined : collector.hooks.get(step.hookId);
    failedStep = { keyword: hookKeyword(hook, decisive.afterPickleStep), text: hook?.name ?? hook?.location ?? '', line: null };
  }
  return { status, failedStep, error: trimError(result.error) };
}

function runHookLabel(hook: Hook | undefined): string {
  if (hook?.type === 'BEFORE_TEST_RUN') return 'BeforeAll hook';
  if (hook?.type === 'AFTER_TEST_RUN') return 'AfterAll hook';
  return 'test run hook';
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function firstLine(text: string | null): string | null {
  const line = text?.split('\n').find((candidate) => candidate.trim() !== '');
  return line === undefined ? null : line.trim();
}

function buildReport(collector: MessagesCollector, file: string): E2eReport {
  const byTestCase = new Map<string, [string, Attempt][]>();
  for (const entry of collector.attempts) {
    const list = byTestCase.get(entry[1].testCaseId);
    if (list === undefined) byTestCase.set(entry[1].testCaseId, [entry]);
    else list.push(entry);
  }

  const found: (Omit<ScenarioResult, 'key'> & { pickleId: string })[] = [];
  let missingPickles = 0;
  let neverStarted = 0;
  let emptyScenarios = 0;
  for (const [testCaseId, testCase] of collector.testCases) {
    const attempts = byTestCase.get(testCaseId);
    if (attempts === undefined) {
      neverStarted += 1;
      continue;
    }
    const pickle = collector.pickles.get(testCase.pickleId);
    if (pickle === undefined) {
      missingPickles += 1;
      continue;
    }
    attempts.sort(([, a], [, b]) => a.attempt - b.attempt || a.order - b.order);
    const outcomes = attempts.map(([startedId]) => evaluateAttempt(collector, startedId, testCase, pickle));
    const last = attempts[attempts.length - 1];
    const lastOutcome = outcomes[outcomes.length - 1];
    if (last === undefined || lastOutcome === undefined) continue;
    if (testCase.steps.length === 0) emptyScenarios += 1;
    // An outline row's pickle points at [scenario, example row]: the row's line tells rows apart.
    const rowOrScenario = pickle.astNodeIds[pickle.astNodeIds.length - 1];
    const line = (rowOrScenario === undefined ? undefined : collector.astLines.get(rowOrScenario)) ?? pickle.line;
    const [lastId, lastAttempt] = last;
    const finishedAt = collector.finished.get(lastId)?.at ?? null;
    const duration = lastAttempt.startedAt !== null && finishedAt !== null ? roundMs(finishedAt - lastAttempt.startedAt) : null;
    found.push({
      pickleId: testCase.pickleId,
      name: pickle.name,
      feature: collector.featureNames.get(pickle.uri) ?? '',
      uri: pickle.uri === '' ? null : pickle.uri,
      line,
      tags: pickle.tags,
      status: lastOutcome.status,
      attempts: attempts.length,
      flaky: lastOutcome.status === 'passed' && outcomes.slice(0, -1).some((outcome) => outcome.status === 'failed'),
      failedStep: lastOutcome.failedStep,
      error: lastOutcome.error,
      durationMs: duration !== null && duration >= 0 ? duration : null,
      startedAt: lastAttempt.startedAt === null ? null : new Date(lastAttempt.startedAt).toISOString(),
    });
  }
  // Feature file order, as the other formats list scenarios: the stream's own order depends on
  // workers and on where each producer puts its envelopes.
  found.sort(
    (a, b) =>
      compareText(a.uri ?? '', b.uri ?? '') ||
      (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) ||
      compareText(a.name, b.name) ||
      compareText(a.pickleId, b.pickleId),
  );
  const makeKey = createKeyMaker();
  const scenarios: ScenarioResult[] = found.map(({ pickleId: _pickleId, ...scenario }) => ({
    key: makeKey(scenario.uri, scenario.line, scenario.feature, scenario.name),
    ...scenario,
  }));
  const orphanResults = [...collector.results.keys(), ...collector.finished.keys()].filter((id) => !collector.attempts.has(id)).length;

  const runErrors: string[] = [];
  for (const hookResult of collector.runHookResults) {
    if (hookResult.status !== 'failed') continue;
    const hookId = collector.runHookStarts.get(hookResult.startedId);
    const hook = hookId == null ? undefined : collector.hooks.get(hookId);
    const where = hook?.location ? ` (${hook.location})` : '';
    const why = firstLine(hookResult.error);
    runErrors.push(`${runHookLabel(hook)}${where} failed${why ? `: ${why}` : ''}`);
  }
  const finished = collector.testRunFinished;
  if (finished === null) {
    runErrors.push('the stream ends before testRunFinished: the run was interrupted, or the file was cut at the end of a line');
  } else if (finished.success === false && runErrors.length === 0) {
    const explained = scenarios.some((scenario) => scenario.status !== 'passed' && scenario.status !== 'skipped');
    if (!explained) {
      const why = firstLine(resultError(finished));
      runErrors.push(`the run failed (testRunFinished.success is false) with no failing scenario${why ? `: ${why}` : ''}`);
    }
  }

  const warnings: string[] = [];
  if (neverStarted > 0) warnings.push(`${plural(neverStarted, 'test case')} never started (not counted).`);
  if (missingPickles > 0) warnings.push(`${plural(missingPickles, 'test case')} whose pickle is not in the stream ignored.`);
  if (orphanResults > 0) warnings.push(`results of ${plural(orphanResults, 'test case attempt')} that never started (no testCaseStarted) ignored.`);
  if (collector.unknownStatuses.size > 0) {
    warnings.push(`unknown step status ${[...collector.unknownStatuses].map((status) => JSON.stringify(status)).join(', ')} counted as failed.`);
  }
  if (emptyScenarios > 0) warnings.push(`${plural(emptyScenarios, 'scenario')} without any step (Cucumber's "unknown") counted as skipped.`);
  return { format: FORMAT, file, scenarios, runError: runErrors.length > 0 ? runErrors.join('; ') : null, warnings };
}

function malformed(file: string, line: number, message: string): QgateError {
  return new QgateError('INPUT_MALFORMED', message, { file, format: FORMAT, position: { line } });
}

export async function parseCucumberMessages(chunks: AsyncIterable<string>, file: string): Promise<E2eReport> {
  const collector = new MessagesCollector();
  let lines = 0;
  /** A line that is not JSON: the next line decides whether the file is cut there or broken in the middle. */
  let broken: { line: number; reason: string } | undefined;
  for await (const [text, number] of readLines(chunks)) {
    if (broken !== undefined) {
      throw malformed(file, broken.line, `line ${broken.line} is not a valid JSON envelope (${broken.reason}), and more lines follow: the file is damaged there (an interrupted or interleaved write).`);
    }
    lines = number;
    if (text.trim() === '') continue;
    let envelope: unknown;
    try {
      envelope = JSON.parse(text) as unknown;
    } catch (error) {
      if (number === 1 && text.trimStart().startsWith('[')) {
        throw new QgateError('INPUT_MALFORMED', 'line 1 opens a JSON array: this is Cucumber JSON (format cucumber-json), not NDJSON messages.', {
          file,
          format: FORMAT,
          position: { line: 1 },
          hint: 'Let qgate detect the format, or force cucumber-json.',
        });
      }
      const reason = error instanceof Error ? error.message.replace(/ in JSON at position \d+.*$/s, '').replace(/, ".*" is not valid JSON$/s, '') : String(error);
      broken = { line: number, reason };
      continue;
    }
    if (!isJsonObject(envelope)) {
      throw malformed(file, number, `line ${number} holds ${describeJsonValue(envelope)}, not a Cucumber message envelope (an object such as {"pickle": …}).`);
    }
    const keys = Object.keys(envelope);
    if (keys.length !== 1) {
      throw malformed(file, number, `line ${number} has ${keys.length === 0 ? 'no key' : `the keys ${keys.slice(0, 5).join(', ')}`}; a Cucumber message envelope has exactly one.`);
    }
    collector.add(envelope);
  }
  if (broken !== undefined) {
    throw malformed(file, broken.line, `line ${broken.line} is not a valid JSON envelope (${broken.reason}) and is the last one: the file looks truncated.`);
  }
  if (lines === 0) throw new QgateError('INPUT_EMPTY', 'has no messages.', { file, format: FORMAT });
  if (collector.recognized === 0) {
    throw new QgateError('INPUT_MALFORMED', `has no Cucumber message: none of its ${plural(lines, 'line')} is an envelope the protocol defines (meta, pickle, testCase, ...).`, {
      file,
      format: FORMAT,
    });
  }
  return buildReport(collector, file);
}

const SNIFF = new RegExp(`^\\s*\\{\\s*"(?:${ENVELOPE_KEYS.join('|')})"\\s*:`);

export const cucumberMessagesParser: E2eParser = {
  format: FORMAT,
  label: 'Cucumber Messages NDJSON',
  sniff: (head) => SNIFF.test(head),
  parse: parseCucumberMessages,
};
