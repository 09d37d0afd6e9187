/**
 * Scoring, pure: the rubric and each project's evidence in, `scorecard.json`'s data out.
 * Levels are cumulative: a project holds the highest level whose checks, and every lower
 * level's, all pass. Result-based checks read the newest result; without one they fail with
 * "no result" (no data is never a pass). A project that failed to collect has every check
 * `missing` and no level; an archived one is listed without checks.
 */
import type { CheckOutcome, ProjectEvidence, ProjectScore, ResultSnapshot, Rubric, RubricCheck, Scorecard, ScorecardSummary } from './model.js';
import { SCORECARD_SCHEMA_VERSION } from './model.js';

const DAY_MS = 86_400_000;

function percent(value: number): string {
  return `${Number(value.toFixed(2))}%`;
}

function outcome(check: RubricCheck, pass: boolean, value: string): CheckOutcome {
  return { id: check.id, status: pass ? 'pass' : 'fail', value };
}

/** One check against one project's evidence. */
export function evaluateCheck(check: RubricCheck, evidence: ProjectEvidence, now: Date): CheckOutcome {
  const latest: ResultSnapshot | undefined = evidence.results[0];
  const repo = evidence.repo;
  switch (check.type) {
    case 'qgate_runs': {
      if (!latest) return outcome(check, false, 'no result');
      const ageDays = Math.floor((now.getTime() - Date.parse(latest.generatedAt)) / DAY_MS);
      const fresh = check.maxAgeDays === undefined || check.maxAgeDays === null || ageDays <= check.maxAgeDays;
      return outcome(check, fresh, `${latest.generatedAt.slice(0, 10)} (${latest.verdict})`);
    }
    case 'new_code_gate': {
      if (!latest) return outcome(check, false, 'no result');
      const gate = latest.newCodeGate;
      if (!gate) return outcome(check, false, 'gate not run');
      const value = `${gate.status}${gate.actual === null ? '' : ` ${percent(gate.actual)}`}${gate.threshold === null ? '' : ` (min ${percent(gate.threshold)})`}`;
      const barHeld = check.minThreshold === undefined || (gate.threshold !== null && gate.threshold >= check.minThreshold);
      return outcome(check, gate.status === 'pass' && barHeld, value);
    }
    case 'overall_coverage': {
      if (!latest) return outcome(check, false, 'no result');
      const value = latest.overallCoverage;
      if (value === null) return outcome(check, false, 'not measured');
      return outcome(check, value >= (check.min ?? 0), percent(value));
    }
    case 'e2e': {
      if (!latest) return outcome(check, false, 'no result');
      const e2e = latest.e2e;
      if (!e2e) return outcome(check, false, 'no E2E report');
      const ran = e2e.total >= (check.minScenarios ?? 1);
      return outcome(check, ran && e2e.failed === 0, `${e2e.passed} of ${e2e.total} passed`);
    }
    case 'performance': {
      if (!latest) return outcome(check, false, 'no result');
      const perf = latest.performance;
      if (!perf) return outcome(check, false, 'no k6 results');
      if (!perf.baselineAvailable) return outcome(check, false, 'no baseline');
      return outcome(check, perf.regressed === 0, perf.regressed === 0 ? 'no regression' : `${perf.regressed} regressed`);
    }
    case 'mutation': {
      if (!latest) return outcome(check, false, 'no result');
      const score = latest.mutationScore;
      if (score === null) return outcome(check, false, 'not run');
      return outcome(check, score >= (check.min ?? 0), percent(score));
    }
    case 'readme': {
      const readme = repo?.readme ?? null;
      if (!readme) return outcome(check, false, 'none');
      return outcome(check, readme.bytes >= (check.minBytes ?? 1), `${readme.path} (${readme.bytes} bytes)`);
    }
    case 'adr': {
      const adr = repo?.adr ?? null;
      if (!adr) return outcome(check, false, 'none');
      return outcome(check, adr.files >= (check.minFiles ?? 1), `${adr.files} in ${adr.dir}/`);
    }
    case 'codeowners': {
      const path = repo?.codeowners ?? null;
      return outcome(check, path !== null, path ?? 'none');
    }
  }
}

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
  if (evidence.state === 'archived') return { ...base, level: null, checks: [], trend: [] };
  if (evidence.state === 'failed') {
    return { ...base, level: null, checks: allChecks.map((check) => ({ id: check.id, status: 'missing', value: 'not collected' })), trend: [] };
  }
  const checks = allChecks.map((check) => evaluateCheck(check, evidence, now));
  const passed = new Set(checks.filter((check) => check.status === 'pass').map((check) => check.id));
  let level = 'none';
  for (const candidate of rubric.levels) {
    if (!candidate.checks.every((check) => passed.has(check.id))) break;
    level = candidate.id;
  }
  const trend = evidence.results
    .slice(0, rubric.trend.results)
    .map((result) => ({ generatedAt: result.generatedAt, overallCoverage: result.overallCoverage }))
    .reverse();
  return { ...base, level, checks, trend };
}

export function summarize(rubric: Rubric, projects: readonly ProjectScore[]): ScorecardSummary {
  const counted = [...rubric.levels].reverse().map((level) => ({ id: level.id, name: level.name }));
  counted.push({ id: 'none', name: 'None' });
  return {
    projects: projects.length,
    levels: counted.map((level) => ({ ...level, count: projects.filter((project) => project.level === level.id).length })),
    archived: projects.filter((project) => project.state === 'archived').length,
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
  const projects = input.evidence.map((evidence) => scoreProject(input.rubric, evidence, input.now)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
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
