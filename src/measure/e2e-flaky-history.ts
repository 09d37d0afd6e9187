/**
 * Flaky history (issue 19): the scenarios that did not pass in this run, read against the target
 * branch's last N results. A scenario that failed (or was flaky) there too is KNOWN FLAKY — the
 * branch already shows it, this MR did not cause it; one that passed in every one of those runs
 * is NEWLY FAILING. With `gates.e2e.flaky: quarantine` the known-flaky failures do not count
 * against `maxFailed` but are listed and counted in the gate's reason: quarantined, never hidden.
 *
 * A history run is the `e2e` section of a default-branch result.json (`e2eHistoryRun` reads it);
 * scenarios match by their `key` (feature file + line, else feature + name). Pure.
 */
import type { E2eHistory, E2eHistoryRun, E2eHistoryScenario, E2eResult, ScenarioResult } from '../model/e2e.js';

export type { E2eHistory, E2eHistoryRun, E2eHistoryScenario } from '../model/e2e.js';

function keysOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => (typeof entry === 'object' && entry !== null && typeof (entry as { key?: unknown }).key === 'string' ? [(entry as { key: string }).key] : []));
}

/** The history run a default-branch result.json holds; null when it has no e2e section. */
export function e2eHistoryRun(result: unknown, where: { commit: string | null; date: string | null; source: string | null }): E2eHistoryRun | null {
  if (typeof result !== 'object' || result === null) return null;
  const e2e = (result as { e2e?: unknown }).e2e;
  if (typeof e2e !== 'object' || e2e === null) return null;
  const { failed, flakyScenarios } = e2e as { failed?: unknown; flakyScenarios?: unknown };
  return { ...where, failedKeys: keysOf(failed), flakyKeys: keysOf(flakyScenarios) };
}

/** Only `failed` scenarios are candidates: undefined, ambiguous and pending are not flakiness. */
function failingNow(e2e: E2eResult): ScenarioResult[] {
  return e2e.failed.filter((scenario) => scenario.status === 'failed');
}

export function classifyAgainstHistory(e2e: E2eResult, history: readonly E2eHistoryRun[], options: { quarantine: boolean }): E2eHistory {
  const knownFlaky: E2eHistoryScenario[] = [];
  const newlyFailing: E2eHistoryScenario[] = [];
  for (const scenario of failingNow(e2e)) {
    const failedInRuns = history.filter((run) => run.failedKeys.includes(scenario.key) || run.flakyKeys.includes(scenario.key)).length;
    const entry = { key: scenario.key, name: scenario.name, status: scenario.status, failedInRuns };
    (failedInRuns > 0 ? knownFlaky : newlyFailing).push(entry);
  }
  return {
    runs: history.map(({ commit, date, source }) => ({ commit, date, source })),
    knownFlaky,
    newlyFailing,
    quarantined: options.quarantine && history.length > 0 ? knownFlaky.length : 0,
  };
}

/** The e2e result with its history attached and, under quarantine, the known-flaky failures taken out of the failed count (still listed). */
export function withE2eHistory(e2e: E2eResult, history: readonly E2eHistoryRun[], options: { quarantine: boolean }): E2eResult {
  if (history.length === 0) return e2e;
  const classified = classifyAgainstHistory(e2e, history, options);
  return { ...e2e, history: classified };
}
