/**
 * The scorecard's plain data: the rubric as loaded, what was collected per project (the same
 * shape from the GitLab API and from `--from DIR`), and `scorecard.json`, versioned like
 * `result.json`. Change `scorecard.json` only with a `schemaVersion` bump.
 */

export const SCORECARD_SCHEMA_VERSION = 1;

export const CHECK_TYPES = [
  'qgate_runs',
  'new_code_gate',
  'overall_coverage',
  'e2e',
  'performance',
  'mutation',
  'readme',
  'adr',
  'codeowners',
  'protected_branch',
  'branch_naming',
  'release_cadence',
  'pipeline_health',
  'deployments',
  'feature_flags',
  'readme_fresh',
  'monitoring',
] as const;
export type CheckType = (typeof CHECK_TYPES)[number];

/** One rubric check with its bars; a bar a type does not take is absent. */
export interface RubricCheck {
  id: string;
  type: CheckType;
  rationale: string;
  /** overall_coverage, mutation: minimum percent. */
  min?: number;
  /** new_code_gate: the gate's own configured minimum must be at least this. */
  minThreshold?: number;
  /** e2e: fewest scenarios that must have run. */
  minScenarios?: number;
  /** readme: fewest bytes. */
  minBytes?: number;
  /** adr: fewest decision records. */
  minFiles?: number;
  /** qgate_runs, readme_fresh: the latest result (README change) must be at most this old; null = any age. */
  maxAgeDays?: number | null;
  /** protected_branch: approvals a merge into the default branch needs. */
  minApprovals?: number;
  /** branch_naming: the regular expression recent merged MRs' source branches should match (e.g. a ticket key). */
  pattern?: string;
  /** branch_naming: share of them that must match; pipeline_health: default-branch success rate; both percent. */
  minShare?: number;
  minSuccessRate?: number;
  /** pipeline_health: median hours from a red default branch to the next green. */
  maxHoursToGreen?: number;
  /** release_cadence: fewest releases (or tags) within `days`; feature_flags: fewest flags. */
  minReleases?: number;
  days?: number;
  minFlags?: number;
}

export interface RubricLevel {
  id: string;
  name: string;
  checks: RubricCheck[];
}

export interface Rubric {
  /** `mergeRequests`: merged MRs read for branch naming and MR-pipeline gate evidence. */
  source: { job: string; artifactPath: string; pipelines: number; mergeRequests: number };
  trend: { results: number };
  /** Which projects are scored: `list` = shown, not scored; `skip` = left out; `score` = scored like any other. */
  projects: { archived: 'list' | 'skip'; forks: 'list' | 'skip' | 'score'; empty: 'list' | 'skip' };
  /** Cumulative, lowest first. */
  levels: RubricLevel[];
}

/** The part of one `result.json` the scorecard reads, extracted the same way by both collectors. */
export interface ResultSnapshot {
  generatedAt: string;
  verdict: string;
  /** The new_code_coverage gate; null when the result has none. */
  newCodeGate: { status: string; actual: number | null; threshold: number | null } | null;
  overallCoverage: number | null;
  e2e: { total: number; passed: number; failed: number } | null;
  performance: { baselineAvailable: boolean; regressed: number } | null;
  mutationScore: number | null;
  /** Coverage exclusions the run's changes added (`diff.waivers.coverageExclusions`); null from a qgate that did not count them. */
  newExclusions?: number | null;
}

/** Repository facts at the default branch. */
export interface RepoFacts {
  /** The README at the root (first by name), with its size in bytes; null when there is none. */
  readme: { path: string; bytes: number } | null;
  /** The ADR folder found (`docs/adr` before `doc/adr`) and its decision records. */
  adr: { dir: string; files: number } | null;
  /** Where CODEOWNERS lives; null when nowhere GitLab looks. */
  codeowners: string | null;
}

export type ProjectState = 'active' | 'archived' | 'failed' | 'fork' | 'empty';

/** Which project, and whether it could be read: the same in what was collected and in its score. */
export interface ProjectIdentity {
  /** Path with namespace, e.g. `acme/backend/api`. */
  path: string;
  name: string;
  webUrl: string | null;
  defaultBranch: string | null;
  state: ProjectState;
  /** Why a project failed, redacted; null otherwise. */
  failure: string | null;
}

/** What was collected for one project. */
export interface ProjectEvidence extends ProjectIdentity {
  /** Default-branch results, newest first. */
  results: ResultSnapshot[];
  /** null when not collected (archived, failed, or an empty repository). */
  repo: RepoFacts | null;
  /** Results that could not be read, and similar observations. */
  notes: string[];
  /** Why the newest default-branch result could not be read (one bad artifact): result checks say "no data" with it. */
  resultProblem?: string | null;
  /** Why the repository facts could not be read: file checks say "no data" with it. */
  repoProblem?: string | null;
  /** Results of merged merge requests' pipelines, newest first (MR-pipeline evidence for the new-code gate). */
  mergeRequestResults?: ResultSnapshot[];
  /** The scored project's own waiver file, as read (waivers.ts); null when it has none. */
  waivers?: WaiverFile | null;
  /** Facts only the GitLab API knows (offline: `project.json`'s `api`); absent = not collected, those checks say "no data". */
  api?: ApiFacts | null;
}

/** What the API-measured checks read; each part null when GitLab did not say (then its check is "no data"). */
export interface ApiFacts {
  /** The default branch's protection: protected at all, and the most approvals any of its rules requires. */
  protection: { protected: boolean; approvals: number | null } | null;
  /** Source branches of the newest merged MRs, newest first. */
  mergedBranches: string[] | null;
  /** Release (or tag) dates, ISO, newest first. */
  releases: string[] | null;
  /** Newest finished default-branch pipelines, newest first by `finishedAt`. */
  pipelines: Array<{ status: string; finishedAt: string }> | null;
  /** Environments by tier (`production`, `staging`, …), with their last successful deployment. */
  environments: Array<{ name: string; tier: string; lastDeployedAt: string | null }> | null;
  /** Feature flags defined in the project. */
  featureFlags: number | null;
  /** When the README last changed on the default branch. */
  readmeUpdatedAt: string | null;
  /** Monitoring and incident links the project declares (`.qgate-scorecard.yml` `links:`). */
  links: { monitoring: string | null; incidents: string | null } | null;
}

/** One entry of a project's `.qgate-scorecard.yml`: a check that does not apply, or is waived until a date. */
export interface Waiver {
  check: string;
  kind: 'n/a' | 'waived';
  by: string;
  reason: string;
  /** YYYY-MM-DD; required for `waived`, optional for `n/a`. */
  until: string | null;
}

export interface WaiverFile {
  path: string;
  waivers: Waiver[];
  /** Entries that could not be read, each said on the page. */
  problems: string[];
  /** `links:` as declared (the monitoring check reads them). */
  links?: { monitoring: string | null; incidents: string | null } | null;
}

/** `missing`: the check could not be evaluated because the project failed to collect. */
export type CheckStatus = 'pass' | 'fail' | 'missing' | 'no-data' | 'n/a' | 'waived';

export interface CheckOutcome {
  id: string;
  status: CheckStatus;
  /** The measured value in words ("82.5%", "12 of 12 passed", "no result"). */
  value: string;
  /** The measure as a number for the CSV (percent, count, bytes); null when there is none. */
  measure?: number | null;
  /** For `n/a` and `waived` (and an expired waiver on a failing check): who, why, until when. */
  waiver?: Waiver & { expired: boolean };
}

export interface TrendPoint {
  generatedAt: string;
  /** Overall line coverage percent; null when that result had none. */
  overallCoverage: number | null;
}

export interface ProjectScore extends ProjectIdentity {
  /** The highest level whose checks, and those of every lower level, all pass; `none` when not even the first; null for archived and failed projects. */
  level: string | null;
  checks: CheckOutcome[];
  /** Oldest first. */
  trend: TrendPoint[];
  notes: string[];
  /** The level above the one reached and the checks that keep the project from it, worst first; null at the top or when not scored. */
  next?: { id: string; name: string; blocking: CheckOutcome[] } | null;
  /** Coverage exclusions added across the results read (default-branch runs and merged MRs); null when none of them counted. */
  exclusionsAdded?: number | null;
}

export interface ScorecardSummary {
  projects: number;
  /** Per rubric level, highest first, then `none`. */
  levels: Array<{ id: string; name: string; count: number }>;
  archived: number;
  forks: number;
  empty: number;
  failed: number;
}

export interface Scorecard {
  schemaVersion: typeof SCORECARD_SCHEMA_VERSION;
  tool: { name: 'qgate'; version: string };
  generatedAt: string;
  source: { kind: 'gitlab'; group: string } | { kind: 'directory'; path: string };
  rubric: Rubric;
  summary: ScorecardSummary;
  /** Ordered by path. */
  projects: ProjectScore[];
}
