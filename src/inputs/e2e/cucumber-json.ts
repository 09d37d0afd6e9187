/**
 * Cucumber JSON: the `json` formatter of cucumber-js (1.x to 12), cucumber-jvm, cucumber-ruby, godog,
 * Karate, behave (its cucumber-style formatters and its own `json`), and the JSON that
 * @badeball/cypress-cucumber-preprocessor writes through cucumber's json-formatter. There is no
 * published schema; every shape below was observed in fixtures-real (FORMATS.md §4).
 *
 * The document is one JSON array, so it is read whole (JSON.parse on the gathered text): memory is
 * about three times the file size for as long as the parse takes. Embeddings (base64 screenshots,
 * most of a large report's bytes) are never looked at.
 *
 * Counting follows Cucumber: a scenario's status is the most severe of its steps and hooks, in all
 * three ways producers write hooks (element `before`/`after`, step-level `before`/`after` for
 * BeforeStep/AfterStep, hidden `Before`/`After` steps); a Background element belongs to the
 * scenario that follows it; each outline example row is its own element and its own scenario.
 */
import { QgateError } from '../../errors.js';
import type { E2eReport, FailedStep, ScenarioResult } from '../../model/e2e.js';
import { describeJsonValue, isJsonObject, readJsonDocument } from '../json-document.js';
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

const FORMAT = 'cucumber-json';

type JsonObject = Record<string, unknown>;

/** One step or hook result, in execution order. */
interface Outcome {
  status: StepStatus;
  keyword: string;
  text: string;
  line: number | null;
  error: string | null;
  /** As written: nanoseconds for most producers, seconds for behave; converted once the file's unit is known. */
  duration: number | null;
}

interface PendingScenario {
  result: Omit<ScenarioResult, 'durationMs' | 'status' | 'failedStep' | 'error'>;
  outcomes: Outcome[];
}

interface Tally {
  noResult: number;
  unknownStatuses: Set<string>;
  orphanBackgrounds: number;
  emptyScenarios: number;
  fractionalDurations: boolean;
}

function asString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * A line number as producers write it: a number, a numeric string, or `""` (an unknown JS writer
 * in fixtures-real writes `"line": ""`). Anything else is unknown.
 */
function asLine(value: unknown): number | null {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) {
    const line = Number(value.trim());
    return line > 0 ? line : null;
  }
  return null;
}

/** behave's own JSON has `location: "features/x.feature:3"` instead of `uri` and `line`. */
function splitLocation(value: unknown): { uri: string; line: number | null } | null {
  if (typeof value !== 'string') return null;
  const match = /^(.*):(\d+)$/.exec(value);
  if (match === null) return { uri: value, line: null };
  return { uri: match[1] ?? value, line: Number(match[2]) };
}

function readTags(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const tags: string[] = [];
  for (const tag of value) {
    const name = typeof tag === 'string' ? tag : isJsonObject(tag) ? asString(tag.name) : null;
    if (name !== null && name.trim() !== '') tags.push(normalizeTag(name));
  }
  return tags;
}

/** behave's native JSON writes `error_message` as an array of lines; everyone else as one string. */
function readErrorMessage(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((line): line is string => typeof line === 'string').join('\n');
  return null;
}

function readOutcome(value: unknown, keyword: string, text: string, line: number | null, tally: Tally): Outcome | null {
  if (!isJsonObject(value)) return null;
  const result = value.result;
  if (!isJsonObject(result) || typeof result.status !== 'string') {
    // behave leaves `result` out for the steps after a failure, cucumber-reporting's showcase for a
    // step that never ran: nothing ran, which is Cucumber's "skipped".
    tally.noResult += 1;
    return { status: 'skipped', keyword, text, line, error: null, duration: null };
  }
  const { status, known } = readStatus(result.status);
  if (!known) tally.unknownStatuses.add(result.status);
  const duration = typeof result.duration === 'number' && Number.isFinite(result.duration) && result.duration >= 0 ? result.duration : null;
  if (duration !== null && !Number.isInteger(duration)) tally.fractionalDurations = true;
  return { status, keyword, text, line, error: readErrorMessage(result.error_message), duration };
}

function hookText(hook: unknown): string {
  if (!isJsonObject(hook)) return '';
  const match = hook.match;
  return isJsonObject(match) ? (asString(match.location) ?? '') : '';
}

/** Element-level `before` / `after` hooks (cucumber-jvm, cucumber-ruby). */
function readHooks(value: unknown, keyword: string, tally: Tally, into: Outcome[]): void {
  if (!Array.isArray(value)) return;
  for (const hook of value) {
    const outcome = readOutcome(hook, keyword, hookText(hook), null, tally);
    if (outcome !== null) into.push(outcome);
  }
}

function readSteps(value: unknown, tally: Tally, into: Outcome[]): void {
  if (!Array.isArray(value)) return;
  for (const step of value) {
    if (!isJsonObject(step)) continue;
    const keyword = (asString(step.keyword) ?? '').trim();
    // cucumber-js 1.x-12 write hooks as hidden steps (`"Before "` with a trailing space in 1.x).
    const isHiddenHook = step.hidden === true && (keyword === 'Before' || keyword === 'After');
    const text = isHiddenHook ? hookText(step) : (asString(step.name) ?? '');
    const line = isHiddenHook ? null : (asLine(step.line) ?? splitLocation(step.location)?.line ?? null);
    // cucumber-jvm writes BeforeStep/AfterStep hooks inside the step they wrap.
    readHooks(step.before, 'BeforeStep', tally, into);
    const outcome = readOutcome(step, keyword, text, line, tally);
    if (outcome !== null) into.push(outcome);
    readHooks(step.after, 'AfterStep', tally, into);
  }
}

function isBackground(element: JsonObject): boolean {
  if (element.type === 'background') return true;
  // cucumber-js 2 leaves `type` out (its backgrounds are folded into the scenarios anyway).
  return element.type === undefined && asString(element.keyword)?.trim() === 'Background';
}

function finish(pending: PendingScenario, secondsUnit: boolean): ScenarioResult {
  let worst: StepStatus = 'unknown';
  let decisive: Outcome | undefined;
  let durationNs = 0;
  let hasDuration = false;
  for (const outcome of pending.outcomes) {
    if (isMoreSevere(outcome.status, worst)) {
      worst = outcome.status;
      decisive = outcome;
    }
    if (outcome.duration !== null) {
      hasDuration = true;
      durationNs += secondsUnit ? outcome.duration * 1e9 : outcome.duration;
    }
  }
  const status = scenarioStatusOf(worst);
  const telling = status !== 'passed' && status !== 'skipped' ? decisive : undefined;
  const failedStep: FailedStep | null = telling ? { keyword: telling.keyword, text: telling.text, line: telling.line } : null;
  return {
    ...pending.result,
    status,
    failedStep,
    error: telling ? trimError(telling.error) : null,
    durationMs: hasDuration ? roundMs(durationNs / 1e6) : null,
  };
}

function malformed(file: string, message: string): QgateError {
  return new QgateError('INPUT_MALFORMED', message, {
    file,
    format: FORMAT,
    hint: 'Pass the report of Cucumber\'s json formatter (e.g. `--format json:reports/cucumber.json`); for NDJSON messages or JUnit XML, let qgate detect the format.',
  });
}

function describeRoot(root: unknown): string {
  if (isJsonObject(root)) {
    if (Object.values(root).some((value) => isJsonObject(value) && 'statementMap' in value)) {
      return 'holds an istanbul coverage map, not a Cucumber JSON report (an array of features): pass it as coverage.';
    }
    if ('files' in root && 'schemaVersion' in root) return 'holds a mutation testing report, not a Cucumber JSON report (an array of features).';
    if ('metrics' in root) return 'holds a k6 summary, not a Cucumber JSON report (an array of features).';
  }
  return `holds ${describeJsonValue(root)}, not a Cucumber JSON report (an array of features).`;
}

export async function parseCucumberJson(chunks: AsyncIterable<string>, file: string): Promise<E2eReport> {
  const root = await readJsonDocument(chunks, file, FORMAT);
  if (!Array.isArray(root)) throw malformed(file, describeRoot(root));

  const tally: Tally = { noResult: 0, unknownStatuses: new Set(), orphanBackgrounds: 0, emptyScenarios: 0, fractionalDurations: false };
  const makeKey = createKeyMaker();
  const pending: PendingScenario[] = [];

  root.forEach((feature, featureIndex) => {
    const ordinal = `feature ${featureIndex + 1} of ${root.length}`;
    if (!isJsonObject(feature)) throw malformed(file, `has ${describeJsonValue(feature)} as ${ordinal}, not a feature object.`);
    const elements = feature.elements;
    // A feature without `elements` (cucumber-js 3, a feature whose scenarios were all filtered out) is empty.
    if (elements !== undefined && !Array.isArray(elements)) {
      throw malformed(file, `has ${ordinal} with "elements" ${describeJsonValue(elements)}, not an array of scenarios.`);
    }
    if (!('elements' in feature) && !('uri' in feature) && !('keyword' in feature) && !('name' in feature) && !('location' in feature)) {
      throw malformed(file, `has ${ordinal} without "uri", "name" or "elements": it is not a Cucumber feature.`);
    }
    const location = splitLocation(feature.location);
    const rawUri = asString(feature.uri) ?? location?.uri ?? null;
    const uri = rawUri === null ? null : normalizeUri(rawUri);
    const featureName = asString(feature.name) ?? '';
    const featureTags = readTags(feature.tags);

    let background: JsonObject | null = null;
    for (const [elementIndex, element] of (elements ?? []).entries()) {
      if (!isJsonObject(element)) {
        throw malformed(file, `has element ${elementIndex + 1} of ${ordinal} that is ${describeJsonValue(element)}, not a scenario object.`);
      }
      if (isBackground(element)) {
        if (background !== null) tally.orphanBackgrounds += 1;
        background = element;
        continue;
      }
      const outcomes: Outcome[] = [];
      // Execution order: Before hooks, background steps, scenario steps, After hooks. cucumber-ruby
      // hangs a failing Before hook on the background element, cucumber-jvm on the scenario.
      readHooks(background?.before, 'Before', tally, outcomes);
      readHooks(element.before, 'Before', tally, outcomes);
      readSteps(background?.steps, tally, outcomes);
      readSteps(element.steps, tally, outcomes);
      readHooks(background?.after, 'After', tally, outcomes);
      readHooks(element.after, 'After', tally, outcomes);
      background = null;
      if (outcomes.length === 0) tally.emptyScenarios += 1;

      const elementLocation = splitLocation(element.location);
      const line = asLine(element.line) ?? elementLocation?.line ?? null;
      const name = asString(element.name) ?? '';
      const tags = [...new Set([...featureTags, ...readTags(element.tags)])];
      const startedAt = asString(element.start_timestamp);
      pending.push({
        result: {
          key: makeKey(uri, line, featureName, name),
          name,
          feature: featureName,
          uri,
          line,
          tags,
          attempts: 1,
          flaky: false,
          startedAt: startedAt !== null && !Number.isNaN(Date.parse(startedAt)) ? startedAt : null,
        },
        outcomes,
      });
    }
    if (background !== null) tally.orphanBackgrounds += 1;
  });

  // behave-cucumber-formatter and behave's own JSON write seconds as floats; everyone else whole
  // nanoseconds. One fractional duration settles the unit for the file.
  const secondsUnit = tally.fractionalDurations;
  const scenarios = pending.map((scenario) => finish(scenario, secondsUnit));

  const warnings: string[] = [];
  if (tally.noResult > 0) warnings.push(`${plural(tally.noResult, 'step or hook', 'steps or hooks')} without a result counted as skipped.`);
  if (tally.unknownStatuses.size > 0) {
    warnings.push(`unknown step status ${[...tally.unknownStatuses].map((status) => JSON.stringify(status)).join(', ')} counted as failed.`);
  }
  if (tally.emptyScenarios > 0) {
    warnings.push(`${plural(tally.emptyScenarios, 'scenario')} without any step (Cucumber's "unknown") counted as skipped.`);
  }
  if (tally.orphanBackgrounds > 0) warnings.push(`${plural(tally.orphanBackgrounds, 'Background element')} not followed by a scenario ignored.`);
  if (secondsUnit) warnings.push('durations are fractional, so they were read as seconds (behave), not nanoseconds.');
  return { format: FORMAT, file, scenarios, runError: null, warnings };
}

/** An array whose first feature shows Cucumber keys, or an empty array. */
function sniffCucumberJson(head: string): boolean {
  const text = head.trimStart();
  if (!text.startsWith('[')) return false;
  const rest = text.slice(1).trimStart();
  if (rest.startsWith(']')) return rest.slice(1).trim() === '';
  return rest.startsWith('{') && /"(?:elements|keyword|uri)"\s*:/.test(rest);
}

export const cucumberJsonParser: E2eParser = {
  format: FORMAT,
  label: 'Cucumber JSON',
  sniff: sniffCucumberJson,
  parse: parseCucumberJson,
};
