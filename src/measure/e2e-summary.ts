/**
 * Merges Cucumber reports into the `e2e` section of result.json, counting the way Cucumber's own
 * summary line does (`7 scenarios (1 failed, 1 ambiguous, 1 undefined, 4 passed)`): each scenario
 * once, by its last attempt.
 *
 * Several reports are either parallel runners (disjoint scenarios: they simply add up) or reruns
 * (cucumber-jvm `@rerun` files, a CI retry job: the same scenario key again). For a key seen more
 * than once the latest attempt wins — by `startedAt` when both sides have it (cucumber-jvm's
 * `start_timestamp`, Messages' `testCaseStarted.timestamp`), else by report order (later wins) —
 * and a scenario whose latest attempt passed after a failed one is flaky.
 */
import { parse as parseTagExpression } from '@cucumber/tag-expressions';
import { QgateError } from '../errors.js';
import { dropSameRunDuplicates } from './e2e-same-run.js';
import { E2E_LISTED_SCENARIOS, type E2eFormat, type E2eReport, type E2eResult, type E2eScenarioCounts, type ScenarioResult, type ScenarioStatus } from '../model/e2e.js';

export interface E2eSummaryOptions {
  /** A Cucumber tag expression (`not @wip`, `@smoke and not @slow`, `(@a or @b) and not @c`); null or blank keeps every scenario. */
  tags: string | null;
}

/** A compiled tag expression: true when a scenario with these tags is kept. */
export type TagFilter = (tags: readonly string[]) => boolean;

/**
 * Compiles a Cucumber tag expression with Cucumber's own parser (@cucumber/tag-expressions, the one
 * cucumber-js's `--tags` uses), so qgate keeps exactly the scenarios `--tags` would run.
 * Throws CONFIG_INVALID for an expression Cucumber would refuse; export so config validation can
 * check it early.
 */
export function compileTagFilter(expression: string): TagFilter {
  try {
    const node = parseTagExpression(expression);
    return (tags) => node.evaluate([...tags]);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new QgateError('CONFIG_INVALID', `the e2e tag filter ${JSON.stringify(expression)} is not a valid Cucumber tag expression (${reason})`, {
      hint: 'Write it as for cucumber --tags: tags start with @, combined with and, or, not and parentheses (e.g. "not @wip").',
    });
  }
}

interface Merged {
  latest: ScenarioResult;
  /** The format of the report `latest` came from. */
  format: E2eFormat;
  /** Attempts over every report. */
  attempts: number;
  /** An attempt other than `latest` failed (a retry happens only after a failure). */
  failedBefore: boolean;
}

function hadFailedAttempt(scenario: ScenarioResult): boolean {
  return scenario.status === 'failed' || scenario.flaky || scenario.attempts > 1;
}

/** True when `candidate` (met later in the input) is a later attempt than `current`. */
function isLaterAttempt(candidate: ScenarioResult, current: ScenarioResult): boolean {
  if (candidate.startedAt !== null && current.startedAt !== null) {
    const difference = Date.parse(candidate.startedAt) - Date.parse(current.startedAt);
    if (difference !== 0 && Number.isFinite(difference)) return difference > 0;
  }
  return true;
}

function mergeByKey(reports: readonly E2eReport[]): Merged[] {
  const byKey = new Map<string, Merged>();
  for (const report of reports) {
    for (const scenario of report.scenarios) {
      const existing = byKey.get(scenario.key);
      if (existing === undefined) {
        byKey.set(scenario.key, { latest: scenario, format: report.format, attempts: scenario.attempts, failedBefore: false });
        continue;
      }
      existing.attempts += scenario.attempts;
      if (isLaterAttempt(scenario, existing.latest)) {
        existing.failedBefore ||= hadFailedAttempt(existing.latest);
        existing.latest = scenario;
        existing.format = report.format;
      } else {
        existing.failedBefore ||= hadFailedAttempt(scenario);
      }
    }
  }
  return [...byKey.values()];
}

/** The order of the `failed` list: most severe first, then input order. */
const LISTED_ORDER: Readonly<Record<ScenarioStatus, number>> = { failed: 0, ambiguous: 1, undefined: 2, pending: 3, skipped: 4, passed: 5 };

/**
 * Merges parsed reports (in the order given), applies the tag filter and counts.
 * Pure: the reports are not modified.
 */
export function summarizeE2e(given: readonly E2eReport[], options: E2eSummaryOptions): E2eResult {
  const { reports, notes: sameRunNotes } = dropSameRunDuplicates(given);
  const expression = options.tags !== null && options.tags.trim() !== '' ? options.tags.trim() : null;
  const filter = expression === null ? null : compileTagFilter(expression);
  const warnings: string[] = [...sameRunNotes];

  const formats = [...new Set(reports.map((report) => report.format))];
  if (formats.length > 1) {
    warnings.push(
      `reports in several formats (${formats.join(', ')}) hold different scenarios or results, so they were merged as separate runs; if two of them describe the same run, pass one format per run.`,
    );
  }

  const counts: E2eScenarioCounts = { total: 0, passed: 0, failed: 0, skipped: 0, pending: 0, undefined: 0, ambiguous: 0, flaky: 0 };
  const listed: ScenarioResult[] = [];
  const flakyScenarios: ScenarioResult[] = [];
  let filteredOut = 0;
  let unfilterable = 0;

  for (const merged of mergeByKey(reports)) {
    const flaky = merged.latest.status === 'passed' && (merged.latest.flaky || merged.failedBefore);
    const scenario: ScenarioResult = { ...merged.latest, attempts: merged.attempts, flaky };
    if (filter !== null) {
      // JUnit XML carries no tags: filtering it would drop every scenario for `@smoke` and keep
      // every one for `not @wip`. Keep them, and say so.
      if (merged.format === 'junit') unfilterable += 1;
      else if (!filter(scenario.tags)) {
        filteredOut += 1;
        continue;
      }
    }
    counts.total += 1;
    counts[scenario.status] += 1;
    if (flaky) {
      counts.flaky += 1;
      flakyScenarios.push(scenario);
    }
    if (scenario.status !== 'passed' && scenario.status !== 'skipped') listed.push(scenario);
  }
  if (unfilterable > 0) {
    warnings.push(`JUnit XML carries no tags: the tag filter ${JSON.stringify(expression)} was not applied to its ${unfilterable === 1 ? '1 scenario' : `${unfilterable} scenarios`}.`);
  }

  listed.sort((a, b) => LISTED_ORDER[a.status] - LISTED_ORDER[b.status]);
  const runErrors = reports.filter((report) => report.runError !== null).map((report) => `${report.file}: ${report.runError ?? ''}`);
  return {
    scenarios: counts,
    failed: listed.slice(0, E2E_LISTED_SCENARIOS),
    failedOmitted: Math.max(0, listed.length - E2E_LISTED_SCENARIOS),
    flakyScenarios: flakyScenarios.slice(0, E2E_LISTED_SCENARIOS),
    filteredOut,
    tags: expression,
    runErrors,
    warnings,
  };
}
