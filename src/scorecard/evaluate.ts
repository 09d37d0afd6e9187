/**
 * Scoring, pure: the rubric and each project's evidence in, `scorecard.json`'s data out.
 * Levels are cumulative: a project holds the highest level whose checks, and every lower
 * level's, all pass. Result-based checks read the newest result; without one they fail with
 * "no result" (no data is never a pass). A project that failed to collect has every check
 * `missing` and no level; an archived one is listed without checks.
 */
import type { CheckOutcome, ProjectEvidence, ProjectScore, ResultSnapshot, Rubric, RubricCheck, Scorecard, ScorecardSummary } from './model.js';
import { SCORECARD_SCHEMA_VERSION } from './model.js';
import { evaluateApiCheck } from './evaluate-api.js';
import { waiverFor } from './waivers.js';

const DAY_MS = 86_400_000;
/** Share (percent) of merged MRs that must have passed the new-code gate for MR evidence to count. */
const MR_PASS_SHARE = 80;

function percent(value: number): string {
  return `${Number(value.toFixed(2))}%`;
}

function outcome(check: RubricCheck, pass: boolean, value: string, measure: number | null = null): CheckOutcome {
  return { id: check.id, status: pass ? 'pass' : 'fail', value, measure };
}

const RESULT_TYPES = new Set<RubricCheck['type']>(['qgate_runs', 'new_code_gate', 'overall_coverage', 'e2e', 'performance', 'mutation']);
const REPO_TYPES = new Set<RubricCheck['type']>(['readme', 'adr', 'codeowners']);

/** A new-code gate that measured something: on a docs-only push it is skipped, which proves nothing either way. */
function measuredGate(results: readonly ResultSnapshot[]): ResultSnapshot | undefined {
  return results.find((result) => result.newCodeGate !== null && (result.newCodeGate.status === 'pass' || result.newCodeGate.status === 'fail'));
}

/** One check against one project's evidence, before waivers. */
export function evaluateCheck(check: RubricCheck, evidence: ProjectEvidence, now: Date): CheckOutcome {
  const latest: ResultSnapshot | undefined = evidence.results[0];
  const repo = evidence.repo;
  // One unreadable artifact or listing makes its own checks "no data" with the reason, not the whole project.
  if (RESULT_TYPES.has(check.type) && !latest && evidence.resultProblem) return { id: check.id, status: 'no-data', value: evidence.resultProblem, measure: null };
  if (REPO_TYPES.has(check.type) && evidence.repoProblem) return { id: check.id, status: 'no-data', value: evidence.repoProblem, measure: null };
  switch (check.type) {
    case 'qgate_runs': {
      if (!latest) return outcome(check, false, 'no result');
      const ageDays = Math.floor((now.getTime() - Date.parse(latest.generatedAt)) / DAY_MS);
      const fresh = check.maxAgeDays === undefined || check.maxAgeDays === null || ageDays <= check.maxAgeDays;
      return outcome(check, fresh, `${latest.generatedAt.slice(0, 10)} (${latest.verdict})`, ageDays);
    }
    case 'new_code_gate': {
      const barHeld = (threshold: number | null): boolean => check.minThreshold === undefined || (threshold !== null && threshold >= check.minThreshold);
      const describe = (gate: NonNullable<ResultSnapshot['newCodeGate']>): string =>
        `${gate.status}${gate.actual === null ? '' : ` ${percent(gate.actual)}`}${gate.threshold === null ? '' : ` (min ${percent(gate.threshold)})`}`;
      const measured = measuredGate(evidence.results);
      const gate = measured?.newCodeGate ?? null;
      if (gate && gate.status === 'pass' && barHeld(gate.threshold)) return outcome(check, true, describe(gate), gate.actual);
      // MR-pipeline evidence: merged merge requests whose qgate run passed the gate at the bar have the practice.
      const mrs = evidence.mergeRequestResults ?? [];
      const mrPassed = mrs.filter((result) => result.newCodeGate?.status === 'pass' && barHeld(result.newCodeGate.threshold));
      const mrFailed = mrs.filter((result) => result.newCodeGate?.status === 'fail');
      // "Has the practice": at least 80% of the merged MRs whose gate measured something passed it at the bar.
      const mrMeasured = mrPassed.length + mrFailed.length;
      if (mrPassed.length > 0 && mrPassed.length * 100 >= MR_PASS_SHARE * mrMeasured) {
        return outcome(check, true, `${mrPassed.length} of ${mrs.length} merged MRs passed${mrPassed[0]?.newCodeGate?.actual == null ? '' : `, newest ${percent(mrPassed[0].newCodeGate.actual)}`}`, mrPassed[0]?.newCodeGate?.actual ?? null);
      }
      if (gate) return outcome(check, false, `${describe(gate)}${barHeld(gate.threshold) ? '' : `: the gate's min is below ${check.minThreshold}%`}`, gate.actual);
      if (!latest) return outcome(check, false, mrs.length > 0 ? `no default-branch result; ${mrFailed.length} of ${mrs.length} merged MRs failed the gate` : 'no result');
      return outcome(check, false, latest.newCodeGate ? `${latest.newCodeGate.status} in every result read` : 'gate not run');
    }
    case 'overall_coverage': {
      if (!latest) return outcome(check, false, 'no result');
      const value = latest.overallCoverage;
      if (value === null) return outcome(check, false, 'not measured');
      return outcome(check, value >= (check.min ?? 0), percent(value), value);
    }
    case 'e2e': {
      if (!latest) return outcome(check, false, 'no result');
      const e2e = latest.e2e;
      if (!e2e) return outcome(check, false, 'no E2E report');
      const ran = e2e.total >= (check.minScenarios ?? 1);
      return outcome(check, ran && e2e.failed === 0, `${e2e.passed} of ${e2e.total} passed`, e2e.passed);
    }
    case 'performance': {
      if (!latest) return outcome(check, false, 'no result');
      const perf = latest.performance;
      if (!perf) return outcome(check, false, 'no k6 results');
      if (!perf.baselineAvailable) return outcome(check, false, 'no baseline');
      return outcome(check, perf.regressed === 0, perf.regressed === 0 ? 'no regression' : `${perf.regressed} regressed`, perf.regressed);
    }
    case 'mutation': {
      if (!latest) return outcome(check, false, 'no result');
      const score = latest.mutationScore;
      if (score === null) return outcome(check, false, 'not run');
      return outcome(check, score >= (check.min ?? 0), percent(score), score);
    }
    case 'readme': {
      const readme = repo?.readme ?? null;
      if (!readme) return outcome(check, false, 'none', 0);
      return outcome(check, readme.bytes >= (check.minBytes ?? 1), `${readme.path} (${readme.bytes} bytes)`, readme.bytes);
    }
    case 'adr': {
      const adr = repo?.adr ?? null;
      if (!adr) return outcome(check, false, 'none', 0);
      return outcome(check, adr.files >= (check.minFiles ?? 1), `${adr.files} in ${adr.dir}/`, adr.files);
    }
    case 'codeowners': {
      const path = repo?.codeowners ?? null;
      return outcome(check, path !== null, path ?? 'none', path === null ? 0 : 1);
    }
    default:
      return evaluateApiCheck(check, evidence, now);
  }
}

/** The check with the project's waiver applied: `n/a` or `waived` when one holds; an expired one is shown and not honoured. */
export function applyWaiver(result: CheckOutcome, evidence: ProjectEvidence, now: Date): CheckOutcome {
  const waiver = waiverFor(evidence.waivers, result.id, now);
  if (waiver === null || result.status === 'pass' || result.status === 'missing') return result;
  if (waiver.expired) return { ...result, value: `${result.value}; waiver by ${waiver.by} expired ${waiver.until ?? ''}, not honoured`, waiver };
  const until = waiver.until === null ? '' : ` until ${waiver.until}`;
  return { ...result, status: waiver.kind, value: `${waiver.kind === 'n/a' ? 'n/a' : 'waived'}: ${waiver.reason} (${waiver.by}${until}); measured: ${result.value}`, waiver };
}

const HOLDS = new Set<CheckOutcome['status']>(['pass', 'n/a', 'waived']);
/** Worst first: a measured failure, then what could not be read, then what was not collected. */
const SEVERITY: Record<CheckOutcome['status'], number> = { fail: 0, 'no-data': 1, missing: 2, waived: 3, 'n/a': 4, pass: 5 };

export function scoreProject(rubric: Rubric, evidence: ProjectEvidence, now: Date): ProjectScore {
  const base = {
    path: evidence.path,
    name: evidence.name,
    webUrl: evidence.webUrl,
    defaultBranch: evidence.defaultBranch,
    state: evidence.state,
    failure: evidence.failure,
    notes: evidence.notes,
  };
  const allChecks = rubric.levels.flatMap((level) => level.checks);
  if (evidence.state === 'archived' || evidence.state === 'fork' || evidence.state === 'empty') return { ...base, level: null, checks: [], trend: [], next: null };
  if (evidence.state === 'failed') {
    return { ...base, level: null, checks: allChecks.map((check) => ({ id: check.id, status: 'missing', value: 'not collected' })), trend: [] };
  }
  const checks = allChecks.map((check) => applyWaiver(evaluateCheck(check, evidence, now), evidence, now));
  const passed = new Set(checks.filter((check) => HOLDS.has(check.status)).map((check) => check.id));
  let level = 'none';
  let next: ProjectScore['next'] = null;
  for (const candidate of rubric.levels) {
    if (!candidate.checks.every((check) => passed.has(check.id))) {
      const ids = new Set(candidate.checks.map((check) => check.id));
      const blocking = checks.filter((check) => ids.has(check.id) && !HOLDS.has(check.status)).sort((a, b) => SEVERITY[a.status] - SEVERITY[b.status]);
      next = { id: candidate.id, name: candidate.name, blocking };
      break;
    }
    level = candidate.id;
  }
  const waiverNotes = [
    ...(evidence.waivers?.problems ?? []),
    ...checks.filter((check) => check.waiver !== undefined).map((check) => `${check.waiver?.expired ? 'expired waiver, not honoured' : check.waiver?.kind === 'n/a' ? 'n/a' : 'waiver'}: ${check.id} by ${check.waiver?.by}: ${check.waiver?.reason}${check.waiver?.until ? ` (until ${check.waiver.until})` : ''}`),
  ];
  const trend = evidence.results
    .slice(0, rubric.trend.results)
    .map((result) => ({ generatedAt: result.generatedAt, overallCoverage: result.overallCoverage }))
    .reverse();
  // Waivers in plain sight: what the runs qgate read say they added (a merged MR and its default-branch push are two reads of one change only when both are read).
  const counted = [...evidence.results, ...(evidence.mergeRequestResults ?? [])].map((result) => result.newExclusions).filter((value): value is number => typeof value === 'number');
  const exclusionsAdded = counted.length === 0 ? null : counted.reduce((sum, value) => sum + value, 0);
  return { ...base, notes: [...base.notes, ...waiverNotes], level, checks, trend, next, exclusionsAdded };
}

export function summarize(rubric: Rubric, projects: readonly ProjectScore[]): ScorecardSummary {
  const counted = [...rubric.levels].reverse().map((level) => ({ id: level.id, name: level.name }));
  counted.push({ id: 'none', name: 'None' });
  return {
    projects: projects.length,
    levels: counted.map((level) => ({ ...level, count: projects.filter((project) => project.level === level.id).length })),
    archived: projects.filter((project) => project.state === 'archived').length,
    forks: projects.filter((project) => project.state === 'fork').length,
    empty: projects.filter((project) => project.state === 'empty').length,
    failed: projects.filter((project) => project.state === 'failed').length,
  };
}

export function buildScorecard(input: {
  rubric: Rubric;
  evidence: readonly ProjectEvidence[];
  now: Date;
  version: string;
  source: Scorecard['source'];
}): Scorecard {
  const { projects: which } = input.rubric;
  const kept = input.evidence.filter((evidence) => !((evidence.state === 'archived' && which.archived === 'skip') || (evidence.state === 'fork' && which.forks === 'skip') || (evidence.state === 'empty' && which.empty === 'skip')));
  const projects = kept.map((evidence) => scoreProject(input.rubric, evidence, input.now)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    schemaVersion: SCORECARD_SCHEMA_VERSION,
    tool: { name: 'qgate', version: input.version },
    generatedAt: input.now.toISOString(),
    source: input.source,
    rubric: input.rubric,
    summary: summarize(input.rubric, projects),
    projects,
  };
}
