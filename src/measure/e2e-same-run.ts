/**
 * Cucumber cross-format de-duplication: one cucumber-js process often writes the same run as
 * JSON, Messages NDJSON and JUnit at once, and a pipeline that passes all of them must count each
 * scenario once, not two or three times.
 *
 * Two reports of different formats are the same run when they hold the same scenarios with the
 * same final statuses. Scenarios are matched by feature file + line when both reports carry them
 * (JSON and NDJSON), else by feature + scenario name (JUnit has no lines; an outline row's
 * JUnit suffix is ignored), repeated names counted.
 * Of a group of reports of the same run one is kept — NDJSON first (only it shows retries, so only
 * it knows the flaky scenarios), then JSON (tags, lines), then JUnit — and the others are dropped,
 * with a note naming the files. Reports of the same format are never folded together: two files
 * of one format are two runs (shards, or a rerun whose attempts merge by scenario key).
 */
import type { E2eFormat, E2eReport } from '../model/e2e.js';

const PREFERENCE: Readonly<Record<E2eFormat, number>> = { 'cucumber-messages': 0, 'cucumber-json': 1, junit: 2 };

function hasLines(report: E2eReport): boolean {
  return report.scenarios.length > 0 && report.scenarios.every((scenario) => scenario.uri !== null && scenario.line !== null);
}

/**
 * cucumber-js's JUnit formatter names an outline row `<outline> - <examples> - #<table>.<row>`
 * where JSON and NDJSON repeat the outline's name: compare the outline's name.
 */
function baseName(name: string): string {
  return name.trim().replace(/ - (?:.* - )?#\d+\.\d+$/, '');
}

/** A sorted multiset of `identity status` entries; equal signatures mean the same scenarios and results. */
function signature(report: E2eReport, byLine: boolean): string {
  const entries = report.scenarios.map((scenario) =>
    byLine ? `${scenario.uri ?? ''}:${scenario.line ?? ''}\u0000${scenario.status}` : `${scenario.feature.trim()}\u0000${baseName(scenario.name)}\u0000${scenario.status}`,
  );
  return entries.sort().join('\u0001');
}

function sameRun(a: E2eReport, b: E2eReport): boolean {
  if (a.format === b.format || a.scenarios.length === 0 || a.scenarios.length !== b.scenarios.length) return false;
  const byLine = hasLines(a) && hasLines(b);
  return signature(a, byLine) === signature(b, byLine);
}

export interface SameRunResult {
  /** The reports to merge, in input order, each run once. */
  reports: E2eReport[];
  /** One line per group of reports treated as the same run, for the log and result.json. */
  notes: string[];
}

export function dropSameRunDuplicates(reports: readonly E2eReport[]): SameRunResult {
  const groups: E2eReport[][] = [];
  for (const report of reports) {
    const group = groups.find((members) => members.every((member) => sameRun(member, report)));
    if (group === undefined) groups.push([report]);
    else group.push(report);
  }
  const kept = new Set<E2eReport>();
  const notes: string[] = [];
  for (const group of groups) {
    const best = [...group].sort((a, b) => PREFERENCE[a.format] - PREFERENCE[b.format])[0] as E2eReport;
    kept.add(best);
    if (group.length > 1) {
      const others = group.filter((member) => member !== best).map((member) => `${member.file} (${member.format})`);
      notes.push(
        `treated ${best.file} (${best.format}) and ${others.join(', ')} as the same run (the same ${best.scenarios.length} scenarios with the same results): counted once, from ${best.file}.`,
      );
    }
  }
  return { reports: reports.filter((report) => kept.has(report)), notes };
}
