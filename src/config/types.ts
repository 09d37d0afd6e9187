/** The validated, preset-merged configuration every later stage reads. Defaults live in gates/*.yml, not here. */
import type { E2eGateConfig } from '../gates/e2e.js';
import type { MutationGateConfig } from '../gates/mutation.js';
import type { PerformanceGateConfig } from '../gates/performance.js';
import type { CoverageFormat } from '../model/coverage.js';

export type { E2eGateConfig, MutationGateConfig, PerformanceGateConfig };

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
