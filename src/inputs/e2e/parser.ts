/**
 * The one interface every Cucumber result format implements (`registry.ts` lists them), and the
 * rules they share: Cucumber's order of severity, how a scenario key is built, how much of an
 * error message is kept.
 */
import type { E2eFormat, E2eReport, ScenarioStatus } from '../../model/e2e.js';

export interface E2eParser {
  format: E2eFormat;
  /** A human name for messages ("Cucumber Messages NDJSON"). */
  label: string;
  /** True when the first bytes of a file (BOM removed) look like this format. By content only, never by file name. */
  sniff(head: string): boolean;
  /**
   * Reads the whole report from text chunks. Pure: no file system, no env, no logging.
   * Throws QgateError (INPUT_MALFORMED, ...) with `file`, the format and the position when known.
   */
  parse(chunks: AsyncIterable<string>, file: string): Promise<E2eReport>;
}

/** A step or hook result: a scenario status, or Cucumber's `unknown` (no result). */
export type StepStatus = ScenarioStatus | 'unknown';

/**
 * Cucumber's order of severity, lowest first, as in @cucumber/messages `getWorstTestStepResult`
 * (https://github.com/cucumber/messages/blob/main/javascript/src/getWorstTestStepResult.ts):
 * a scenario's status is the most severe status among its steps and hooks.
 */
const SEVERITY: Readonly<Record<StepStatus, number>> = {
  unknown: 0,
  passed: 1,
  skipped: 2,
  pending: 3,
  undefined: 4,
  ambiguous: 5,
  failed: 6,
};

export function isMoreSevere(candidate: StepStatus, than: StepStatus): boolean {
  return SEVERITY[candidate] > SEVERITY[than];
}

/**
 * A scenario's status from the most severe of its step statuses. No result at all (a scenario
 * without steps: Cucumber's summary says "unknown") is `skipped`, so that it never passes by accident.
 */
export function scenarioStatusOf(worst: StepStatus): ScenarioStatus {
  return worst === 'unknown' ? 'skipped' : worst;
}

const KNOWN_STATUSES: ReadonlySet<string> = new Set(['passed', 'failed', 'skipped', 'pending', 'undefined', 'ambiguous', 'unknown']);

/**
 * Aliases some ports write. behave: `untested` (a step after a failure, in behave's own JSON),
 * `hook_error`; cucumber-jvm ≤ 4: `unused`, `error` in some converters.
 */
const STATUS_ALIASES: Readonly<Record<string, StepStatus>> = {
  untested: 'skipped',
  unused: 'skipped',
  not_run: 'skipped',
  hook_error: 'failed',
  error: 'failed',
  broken: 'failed',
};

/**
 * Reads a status as any format writes it (`passed`, `PASSED`, ` Passed`). `known` is false for a
 * word no Cucumber implementation uses; such a status counts as `failed`, never as a pass.
 */
export function readStatus(raw: string): { status: StepStatus; known: boolean } {
  const word = raw.trim().toLowerCase();
  if (KNOWN_STATUSES.has(word)) return { status: word as StepStatus, known: true };
  const alias = STATUS_ALIASES[word];
  if (alias !== undefined) return { status: alias, known: true };
  return { status: 'failed', known: false };
}

export const MAX_ERROR_LINES = 20;
export const MAX_ERROR_CHARS = 2000;

/**
 * The first lines of an error message: at most 20 lines and 2000 characters, trailing blanks
 * dropped, an ellipsis line when something was cut. Null for a missing or blank message
 * (cucumber-jvm's showcase writes one of whitespace only).
 */
export function trimError(message: string | null | undefined): string | null {
  if (message == null) return null;
  const text = message.replace(/\r\n?/g, '\n');
  if (text.trim() === '') return null;
  const lines = text.split('\n');
  let kept = lines.slice(0, MAX_ERROR_LINES).join('\n').trimEnd();
  let cut = lines.length > MAX_ERROR_LINES && lines.slice(MAX_ERROR_LINES).some((line) => line.trim() !== '');
  if (kept.length > MAX_ERROR_CHARS) {
    kept = kept.slice(0, MAX_ERROR_CHARS).trimEnd();
    cut = true;
  }
  return cut ? `${kept}\n…` : kept;
}

/**
 * A feature file path as qgate keeps it: Windows separators (cucumber-js on Windows writes
 * `features\x.feature`) become `/`; cucumber-jvm 7's `file:src/...` (JSON) and
 * `file:///abs/path` (Messages) become plain paths. Anything else (`classpath:`) stays as written.
 */
export function normalizeUri(uri: string): string {
  const slashed = uri.replace(/\\/g, '/');
  if (slashed.startsWith('file://')) {
    const path = slashed.slice('file://'.length);
    try {
      return decodeURIComponent(path);
    } catch {
      return path;
    }
  }
  return slashed.startsWith('file:') ? slashed.slice('file:'.length) : slashed;
}

/**
 * Builds scenario keys for one report: `uri:line` when both are known, otherwise
 * `<uri or feature>::<name>` with `#2`, `#3`, ... for repeats of the same name in the report.
 */
export function createKeyMaker(): (uri: string | null, line: number | null, feature: string, name: string) => string {
  const seen = new Map<string, number>();
  return (uri, line, feature, name) => {
    if (uri !== null && line !== null) return `${uri}:${line}`;
    const base = `${uri ?? feature}::${name}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}#${count}`;
  };
}

/** A tag as Cucumber matches it: behave and behave2cucumber write tags without their `@`. */
export function normalizeTag(tag: string): string {
  const trimmed = tag.trim();
  return trimmed.startsWith('@') ? trimmed : `@${trimmed}`;
}

/** Milliseconds rounded to the microsecond, so sums of nanoseconds stay readable. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** "1 step", "3 steps". */
export { plural } from '../../text/plural.js';
