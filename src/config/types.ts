/** The validated, preset-merged configuration every later stage reads. Defaults live in gates/*.yml, not here. */
import type { TrackedMetric } from '../measure/perf-compare.js';
import type { CoverageFormat } from '../model/coverage.js';

/** What a gate does when its evidence was not provided at all. */
export type OnMissing = 'fail' | 'warn' | 'skip';

/** How a changed source file that no coverage report mentions weighs on the new-code gate. */
export type UnmeasuredPolicy = 'fail' | 'warn' | 'ignore';

export interface CoverageReportConfig {
  /** Report path, relative to the repository root. */
  path: string;
  /** Forces the format instead of sniffing the content. */
  format?: CoverageFormat;
  /** Directory (relative to the repository root) that the report's relative paths start from. Overrides every other resolution. */
  root?: string;
}

export interface GateCommon {
  enabled: boolean;
  /** A failing blocking gate fails the job (exit 1); a non-blocking one only warns. */
  blocking: boolean;
  onMissing: OnMissing;
}

export interface NewCodeCoverageGateConfig extends GateCommon {
  /** Minimum percent of coverable changed lines that must be covered. */
  min: number;
  unmeasuredFiles: UnmeasuredPolicy;
  /** Which changed lines are gated: `changed` (added + modified, the default) or `added` only. */
  lines: 'changed' | 'added';
  /** Fewer coverable new lines than this make a failure a warning; null = off (the default). */
  minLines: number | null;
  /** Most coverage exclusions (`c8 ignore`, `pragma: no cover`, …) the MR may add; null = listed, not gated. */
  maxNewExclusions: number | null;
  /** No base can be established: `error` stops with exit 3 (the default); `fail` writes the whole report with this gate failed as inconclusive (exit 1). Never a pass. */
  onNoBase?: 'error' | 'fail';
}

export interface OverallCoverageGateConfig extends GateCommon {
  /** Minimum overall line coverage percent; null = no minimum. */
  min: number | null;
  /** Maximum drop in percentage points versus the target branch baseline; null = not checked. */
  maxDrop: number | null;
}

/** Talking to GitLab: the merge request note and the target branch's baseline. */
export interface GitLabConfig {
  comment: {
    /** Post (and keep updating) the sticky merge request note. `--no-comment` turns it off too. */
    enabled: boolean;
    /** A note that cannot be posted fails the job (exit 3) instead of printing a warning. */
    required: boolean;
    /** When the verdict flips between failing and passing, also post a short new note (GitLab sends no notification for edits). */
    notifyOnVerdictChange: boolean;
  };
  baseline: {
    /** Fetch the target branch's latest result.json for the coverage-drop and k6 comparisons. */
    enabled: boolean;
    /** The qgate job on the target branch; null = this job's own name (CI_JOB_NAME). */
    job: string | null;
    /** How many of the target branch's newest pipelines to search when the latest has no result. */
    maxPipelines: number;
  };
  /** Per request, in seconds. */
  requestTimeoutSeconds: number;
  /** For all requests of a run together, retries and waits included, in seconds. */
  budgetSeconds: number;
}

export interface QgateConfig {
  /** The preset this config was built on (e.g. "default"). */
  preset: string;
  coverage: {
    reports: CoverageReportConfig[];
    /** Globs of repository paths that are source code and should appear in a coverage report. */
    sources: string[];
    /** Globs of repository paths that never count as source (tests, generated code, fixtures). */
    exclude: string[];
    /** Globs of generated files: listed as "generated, not counted" in new code, like files marked `linguist-generated` in .gitattributes. */
    generated?: string[];
    /** The reports a complete run has: a count, `parallel` (CI_NODE_TOTAL), or one glob per named shard; null = not checked. */
    expect?: number | 'parallel' | string[] | null;
  };
  gates: {
    new_code_coverage: NewCodeCoverageGateConfig;
    overall_coverage: OverallCoverageGateConfig;
    e2e: E2eGateConfig;
    performance: PerformanceGateConfig;
    mutation: MutationGateConfig;
  };
  gitlab: GitLabConfig;
}

// The gates' configuration blocks live here, not in src/gates/, so config and gates do not
// import each other: gates read their config, config never reads a gate.

/** What a non-failed outcome counts as. */
export type E2ePolicy = 'fail' | 'warn' | 'ignore';

/**
 * The `gates.e2e` configuration. Defaults are written in gates/default.yml, never here:
 * maxFailed 0, undefined fail, ambiguous fail, pending warn, flaky warn, minScenarios 1,
 * tags null, onMissing skip.
 */
export interface E2eGateConfig {
  enabled: boolean;
  /** A failing blocking gate fails the job (exit 1); a non-blocking one only warns. */
  blocking: boolean;
  /** What the gate says when no Cucumber report was given at all. */
  onMissing: 'fail' | 'warn' | 'skip';
  /** Most scenarios allowed to fail (failed, plus the categories whose policy is `fail`). */
  maxFailed: number;
  /** Scenarios with a step that has no step definition. */
  undefined: E2ePolicy;
  /** Scenarios marked pending (`return 'pending'`, `PendingException`). */
  pending: E2ePolicy;
  /** Scenarios with a step that matches several step definitions. */
  ambiguous: E2ePolicy;
  /**
   * Scenarios that passed only after a failed attempt (`--retry`, reruns). `quarantine`: like
   * `warn` for those, and failed scenarios that also failed in the target branch's last runs
   * (known flaky, `e2e.history`) do not count against `maxFailed` — listed and counted, never hidden.
   */
  flaky: E2ePolicy | 'quarantine';
  /** Fewest scenarios that must run (neither skipped nor filtered out); catches an empty run. */
  minScenarios: number;
  /** Cucumber tag expression applied before counting (`not @wip`); null keeps every scenario. Applied by `summarizeE2e`. */
  tags: string | null;
}

/** The `gates.mutation` block of the configuration; the defaults are written in gates/*.yml. */
export interface MutationGateConfig {
  /** false turns the gate off (reported as skipped). */
  enabled: boolean;
  /** A failure fails the job; when false a failure only warns. */
  blocking: boolean;
  /** What happens when no mutation report was given. */
  onMissing: OnMissing;
  /** Minimum mutation score of the whole report, in percent; null = not checked. */
  minScore: number | null;
  /** Minimum mutation score of the mutants that touch changed lines, in percent; null = not checked. */
  minNewCodeScore: number | null;
  /**
   * Fewest valid mutants on new code for `minNewCodeScore` to decide; below it the new-code
   * check warns instead (3 mutants make a score of 0, 33, 67 or 100%: a sample, not a measure).
   * null or absent = any sample decides.
   */
  minMutants?: number | null;
}

/** The `gates.performance` section of the config. Defaults live in gates/default.yml. */
export interface PerformanceGateConfig {
  enabled: boolean;
  /** A failing blocking gate fails the job (exit 1); a non-blocking one only warns. */
  blocking: boolean;
  /** No k6 results given (or a file with no metrics at all). */
  onMissing: OnMissing;
  /** What a failed k6 threshold does: fail the gate, make it warn, or nothing. */
  thresholds: 'fail' | 'warn' | 'ignore';
  /** Statistics compared with the baseline run, each with its tolerance. */
  tracked: TrackedMetric[];
  /** Thresholds in k6's syntax added by qgate, by metric name: `{ "http_req_duration": ["p(99)<1500"] }`. */
  extraThresholds: Record<string, string[]>;
  /** A broken line in a k6 `--out json` stream: stop with an input error, or skip it and warn. */
  onBrokenLine: 'fail' | 'skip';
  /**
   * The default-branch history the tracked statistics are judged against (docs/noise.md): the last
   * `runs` results (1 = one baseline run, no history), a verdict only with at least `minRuns`
   * comparable ones. Absent = the defaults, 5 and 3.
   */
  history?: { runs: number; minRuns: number };
}
