/**
 * `e2e`: the Cucumber scenarios of the run, held to `maxFailed`. Failed scenarios always count;
 * undefined, ambiguous and pending ones (and passed-after-retry "flaky" ones) count as failures,
 * warn, or are ignored, by policy. A run that failed outside any scenario (a BeforeAll hook, a
 * crash), and a run with fewer scenarios than `minScenarios` (an empty run: a wrong glob, a tag
 * filter that matches nothing), fail: no data is never a pass.
 */
import type { E2eGateConfig, E2ePolicy } from '../config/types.js';
import type { E2eResult } from '../model/e2e.js';
import type { GateResult, GateStatus, QgateResult } from '../model/result.js';
import type { GateWording } from './gate.js';
import { formatCount } from '../text/number.js';
import { plural } from '../text/plural.js';
import { missingInput, notRunBecause } from './wording.js';

export type { E2eGateConfig, E2ePolicy };



export interface E2eGateOutcome {
  status: GateStatus;
  /** Scenarios counted as failed; null when there was no report. */
  actual: number | null;
  /** `maxFailed`. */
  threshold: number | null;
  /** One line with the counts. */
  reason: string;
}

function scenarios(count: number): string {
  return `${count} scenario${count === 1 ? '' : 's'}`;
}

type Category = 'undefined' | 'ambiguous' | 'pending' | 'flaky';
const CATEGORIES: readonly Category[] = ['ambiguous', 'undefined', 'pending', 'flaky'];

/** Pure: the gate's status from the merged result and the config; no I/O. */
export function evaluateE2eGate(config: E2eGateConfig, e2e: E2eResult | null): E2eGateOutcome {
  const threshold = config.maxFailed;
  if (!config.enabled) return { status: 'skip', actual: null, threshold: null, reason: 'disabled in the configuration' };
  if (e2e === null) {
    return {
      status: config.onMissing,
      actual: null,
      threshold,
      reason: `no Cucumber report was given (--cucumber); onMissing is "${config.onMissing}"`,
    };
  }

  const counts = e2e.scenarios;
  let actual = counts.failed;
  const countedAs: string[] = [];
  const notes: string[] = [];
  let warns = false;
  for (const category of CATEGORIES) {
    const count = counts[category];
    if (count === 0) continue;
    const policy = config[category] === 'quarantine' ? 'warn' : config[category];
    if (policy === 'fail') {
      actual += count;
      countedAs.push(`${count} ${category}`);
    } else if (policy === 'warn') {
      warns = true;
      notes.push(`${count} ${category}`);
    } else {
      notes.push(`${count} ${category} (ignored)`);
    }
  }
  if (e2e.history !== undefined) {
    const { knownFlaky, newlyFailing, quarantined, runs } = e2e.history;
    const names = (list: typeof knownFlaky): string => list.slice(0, 3).map((entry) => JSON.stringify(entry.name)).join(', ') + (list.length > 3 ? ` and ${list.length - 3} more` : '');
    const against = `the target branch's last ${runs.length === 1 ? 'run' : `${runs.length} runs`}`;
    if (quarantined > 0) {
      actual -= quarantined;
      warns = true;
      notes.push(`${quarantined} known-flaky quarantined (failed in ${against} too): ${names(knownFlaky)}`);
    } else if (knownFlaky.length > 0) {
      notes.push(`${knownFlaky.length} known flaky (failed in ${against} too): ${names(knownFlaky)}`);
    }
    if (newlyFailing.length > 0) notes.push(`${newlyFailing.length} newly failing (passed in ${against}): ${names(newlyFailing)}`);
  }
  if (counts.skipped > 0) notes.push(`${counts.skipped} skipped`);
  if (e2e.filteredOut > 0) notes.push(`${counts.total === 0 ? 'all ' : ''}${e2e.filteredOut} filtered out by tags ${JSON.stringify(e2e.tags ?? '')}`);

  const breakdown = countedAs.length > 0 ? `${[...(counts.failed > 0 ? [`${counts.failed} failed`] : []), ...countedAs].join(', ')}; ` : '';
  const head =
    actual === 0 && counts.passed === counts.total && counts.total > 0
      ? `all ${scenarios(counts.total)} passed`
      : `${actual} of ${scenarios(counts.total)} failed (${breakdown}max ${threshold})`;
  const line = (first: string): string => [first, ...notes].join('; ');

  if (e2e.runErrors.length > 0) {
    const more = e2e.runErrors.length > 1 ? ` (and ${e2e.runErrors.length - 1} more)` : '';
    return { status: 'fail', actual, threshold, reason: line(`the run failed outside any scenario: ${e2e.runErrors[0] ?? ''}${more}; ${head}`) };
  }
  const ran = counts.total - counts.skipped;
  if (ran < config.minScenarios) {
    const first =
      ran === 0 ? `no scenario ran (min ${config.minScenarios})` : `only ${scenarios(ran)} ran, fewer than the minimum ${config.minScenarios}`;
    return { status: 'fail', actual, threshold, reason: line(counts.total === 0 ? first : `${first}; ${head}`) };
  }
  if (actual > threshold) return { status: 'fail', actual, threshold, reason: line(head) };
  return { status: warns ? 'warn' : 'pass', actual, threshold, reason: line(head) };
}

/** The gate's words: failed of total scenarios, flaky ones, and the allowance only when it failed. */
export function describeE2eGate(gate: GateResult, result: QgateResult): GateWording {
  const title = 'E2E scenarios';
  const e2e = result.e2e;
  if (!e2e) return missingInput(title, 'Cucumber or JUnit report', gate);
  const s = e2e.scenarios;
  const failed = gate.actual ?? s.failed;
  const flaky = s.flaky > 0 ? `, ${formatCount(s.flaky)} flaky` : '';
  const counted = failed === 0 && s.total > 0 && s.passed === s.total ? `all ${plural(s.total, 'scenario')} passed` : `${formatCount(failed)} of ${plural(s.total, 'scenario')} failed`;
  // A failure with no more failed scenarios than allowed came from elsewhere (a run error, too few scenarios): the gate's reason says which.
  const bar = gate.status !== 'fail' ? '' : gate.threshold !== null && failed > gate.threshold ? ` — allows ${formatCount(gate.threshold)}` : ` — ${gate.reason.split(';')[0]}`;
  const text = `${counted}${flaky}${bar}`;
  return { title, headline: `${text}`, result: text, versusTarget: null, scope: null, notRun: notRunBecause(gate, true) };
}
