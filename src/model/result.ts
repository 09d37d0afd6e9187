/**
 * `result.json`: the whole decision as versioned plain data. It is the contract for
 * baselines, the scorecard and every renderer; change it only with a schemaVersion bump.
 */
import type { BaselineInfo } from './baseline.js';
import type { WaiverKind } from './diff.js';
import type { E2eResult } from './e2e.js';
import type { MutationResult } from './mutation.js';
import type { PerformanceResult } from './performance.js';

export const RESULT_SCHEMA_VERSION = 1;

export type GateStatus = 'pass' | 'warn' | 'fail' | 'skip';
export type Verdict = 'pass' | 'warn' | 'fail';

export interface GateResult {
  /** The config key of the gate, e.g. `new_code_coverage`. */
  id: string;
  status: GateStatus;
  /** A failing blocking gate fails the verdict; a failing non-blocking one makes it `warn`. */
  blocking: boolean;
  /** The measured value (percent for coverage gates); null when nothing could be measured. */
  actual: number | null;
  /** The bar it was held to; null when the gate has none. */
  threshold: number | null;
  /** `%` for coverage and mutation scores; `count` for scenarios or problems (failed thresholds, regressions). */
  unit: '%' | 'count';
  /** One line saying why the gate has this status. */
  reason: string;
  /** The gate's formula in one short line, for readers of the report. */
  formula: string;
}

export interface InputRecord {
  kind: 'coverage' | 'e2e' | 'performance' | 'performance-baseline' | 'mutation';
  /** The path as given on the command line or in the config. */
  path: string;
  /** The format read (e.g. `lcov`, `cucumber-messages`, `k6-ndjson`, `stryker`). */
  format: string;
  /** What the report holds, in its own unit: files (coverage, mutation), scenarios (e2e), metrics (k6). */
  entries: number;
  /** Producer's own line totals, when a coverage format has them; null otherwise. */
  producerTotals: { covered: number; total: number } | null;
  warnings: string[];
  /** Present when no input named this report and qgate found it at a producer's default path: why it was read. */
  discovered?: string;
}

export interface UnresolvedPath {
  /** The report that mentioned it. */
  report: string;
  /** The path as the report wrote it. */
  path: string;
  /** `untracked`: the file is in the checkout but not tracked by git (generated, e.g. a hatch-vcs `_version.py`). */
  reason: 'not-found' | 'ambiguous' | 'outside-repo' | 'untracked';
  /** For ambiguous paths, some of the repository files it could be; for an untracked one, the file in the checkout. */
  candidates: string[];
}

export type NewCodeFileStatus =
  /** In a coverage report with line data. */
  | 'measured'
  /** A source file no report mentions (or only without line data). */
  | 'unmeasured'
  /** Not source code by `coverage.sources` / `coverage.exclude` (docs, tests, config). */
  | 'not-source'
  /** Binary or symlink: no lines. */
  | 'binary'
  /** Generated (`linguist-generated` in .gitattributes, or `coverage.generated`): listed, not counted. */
  | 'generated'
  /**
   * No coverable line added, so nothing to measure: a pure rename, copy or deletion-only edit,
   * or (with `nonExecutableOnly`) a change of comments, blank lines or preprocessor directives only.
   */
  | 'no-new-lines';

export interface NewCodeFile {
  path: string;
  oldPath: string | null;
  change: 'added' | 'modified' | 'renamed' | 'copied';
  status: NewCodeFileStatus;
  /** Set (true) when the file's changed lines are all comments, blank lines or preprocessor directives, and no report measures it. */
  nonExecutableOnly?: true;
  /** Every head-side line the MR added or changed. */
  changedLines: number[];
  /** Changed lines that are coverable and were executed. */
  coveredLines: number[];
  /** Changed lines that are coverable and were not executed. */
  uncoveredLines: number[];
}

export interface CoverageTotals {
  covered: number;
  total: number;
  /** covered / total × 100, rounded to 2 decimals; null when total is 0. */
  percent: number | null;
}

export interface NewCodeCoverage extends CoverageTotals {
  files: NewCodeFile[];
  /** Paths of changed source files no report measured. */
  unmeasuredFiles: string[];
  /**
   * The coverable changed lines split into lines the MR adds outright and legacy lines it
   * modifies (an added line paired with a deleted one in the same change block). The totals
   * above are the gated scope: both (`lines: changed`, the default) or `added` only. Absent when
   * the diff source could not tell them apart (a patch series).
   */
  split?: {
    scope: 'changed' | 'added';
    added: CoverageTotals;
    modified: CoverageTotals;
    /**
     * With `lines: added` and a baseline: the legacy files the MR modified (existing before it)
     * whose coverage is lower than the baseline's — held to "not worse than before", since their
     * modified lines are not gated by the minimum. `[covered, total]` before and after.
     */
    legacyWorse?: Array<{ path: string; before: FileLineCounts; after: FileLineCounts }>;
  };
}

export interface OverallCoverage extends CoverageTotals {
  /** Files with line data across all reports. */
  files: number;
}

/** `coverage.expect` against the reports read: which shards arrived. */
export interface CoverageEvidence {
  /** How many reports a complete run has. */
  expected: number;
  /** The report paths read, as named (globs expanded). */
  read: string[];
  /** Named shards (globs) no report matched, or for a count, `N of M reports`. */
  missing: string[];
  /** Where `expected` came from: `count`, `parallel` (CI_NODE_TOTAL) or `names`. */
  source: 'count' | 'parallel' | 'names';
}

/** Coverable lines of one file: `[covered, total]`. A pair, not an object: a monorepo has 20 000+ files. */
export type FileLineCounts = [covered: number, total: number];

/** The most files `coverage.perFile` records; a run that measured more omits it (`perFileOmitted`). */
export const MAX_PER_FILE_RECORDED = 50_000;

/** How many files `coverage.indirect.listed` holds at most; `files` counts them all. */
export const MAX_LISTED_INDIRECT = 20;

/** A file the MR did not edit whose coverage differs from the baseline's. */
export interface IndirectFile {
  path: string;
  /** In the baseline run. */
  before: CoverageTotals;
  /** In this run. */
  after: CoverageTotals;
}

/**
 * Coverage that moved in files the MR did not edit, against the baseline's `perFile`
 * (information only: no gate reads it). Files measured in only one of the two runs are not compared.
 */
export interface IndirectCoverage {
  /** Files measured in both runs and not edited by the MR. */
  compared: number;
  /** Of those, files whose covered or total lines differ. */
  files: number;
  /** The biggest drops first, then the rises; at most `MAX_LISTED_INDIRECT`. */
  listed: IndirectFile[];
}

export interface CoverageResult {
  newCode: NewCodeCoverage;
  overall: OverallCoverage;
  unresolvedPaths: UnresolvedPath[];
  /** Present when `coverage.expect` is set; `missing` not empty = incomplete evidence. */
  evidence?: CoverageEvidence;
  /**
   * Every resolved file's own coverage, by repository path (sorted), so the next run can tell
   * which files it did not edit moved. Absent when more than `MAX_PER_FILE_RECORDED` files were
   * measured (then `perFileOmitted`) and in results of older qgate versions. Added within schemaVersion 1.
   */
  perFile?: Record<string, FileLineCounts>;
  /** Present instead of `perFile` when the run measured more files than it records. */
  perFileOmitted?: { files: number; limit: number };
  /** Present when the baseline recorded `perFile`: files the MR did not edit whose coverage changed. Added within schemaVersion 1. */
  indirect?: IndirectCoverage;
}

/** A coverage exclusion or a test skip on a line the MR adds. */
export interface NewWaiver {
  path: string;
  line: number;
  kind: WaiverKind;
  /** The marker as written: `c8 ignore next`, `# pragma: no cover`, `it.skip(`, `@wip`. */
  marker: string;
}

/** The waivers the MR adds, counted in full and listed up to `MAX_LISTED_WAIVERS`. */
export interface WaiversResult {
  coverageExclusions: number;
  skippedTests: number;
  listed: NewWaiver[];
}

export const MAX_LISTED_WAIVERS = 100;

export interface DiffResult {
  source: 'git' | 'diff-file' | 'gitlab-api';
  baseSha: string | null;
  headSha: string | null;
  changedFiles: number;
  addedLines: number;
  deletedFiles: number;
  warnings: string[];
  /** Default-branch pipelines only: which commits were the new code, and why (src/diff/push-range.ts). */
  range?: { source: 'push' | 'merge-commit' | 'fallback-last-commit' | 'fallback-whole-tree'; reason: string };
  /** Coverage exclusions and test skips on added lines (not binary, not generated files); absent when the diff source does not know. */
  waivers?: WaiversResult;
  /** Which base the changes were measured from and how it was found (CI variable, merge base, what a shallow clone fetched). */
  baseFrom?: string;
  /** Set when no base could be established and `onNoBase: fail` asked for a report anyway: why. The new-code gate is then inconclusive (failed). */
  baseUnknown?: string;
}

/**
 * Why a run stopped before it could check the merge request (it exits 2 or 3). Present only in
 * the error report such a run leaves; a run that checked the MR has none.
 */
export interface RunError {
  /** The catalogue code (`CONFIG_INVALID`, `INPUT_NOT_FOUND`, ...; src/errors.ts), or `INTERNAL` for a bug in qgate. */
  code: string;
  /** The exit code the run ended with: 2 usage or configuration, 3 input or environment. */
  exitCode: 2 | 3;
  /** The problem, a sentence that follows `file` when there is one. */
  message: string;
  /** The file the problem is in, as the user named it; null when it is about no file. */
  file: string | null;
  /** Where in `file`, when known. */
  position: { line: number; column: number | null } | null;
  /** What to do about it, in one sentence. */
  hint: string;
}

export interface QgateResult {
  schemaVersion: typeof RESULT_SCHEMA_VERSION;
  tool: { name: 'qgate'; version: string };
  generatedAt: string;
  verdict: Verdict;
  /** One line: which gate decided the verdict. */
  verdictReason: string;
  gates: GateResult[];
  diff: DiffResult;
  /** null when no coverage report was given. */
  coverage: CoverageResult | null;
  /** The target branch's baseline the comparisons used; null when the run had no notion of one (older results). */
  baseline: BaselineInfo | null;
  /** null when no Cucumber/JUnit report was given. */
  e2e: E2eResult | null;
  /** null when no k6 results were given. */
  performance: PerformanceResult | null;
  /** null when no mutation report was given. */
  mutation: MutationResult | null;
  inputs: InputRecord[];
  /** Configuration files read, in order (presets first). */
  configFiles: string[];
  /**
   * Present when the run could not check the MR (exit 2 or 3): then `verdict` is `fail`, `gates`
   * and `inputs` are empty and `diff` says nothing about the MR. Added within schemaVersion 1.
   */
  error?: RunError;
}
