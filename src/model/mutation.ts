/**
 * Mutation testing as qgate sees it: the mutants a mutation-testing-report-schema report
 * lists (`MutationReport`, what the reader hands over), and the scores qgate measured from
 * them (`MutationResult`, the `mutation` section of `result.json`).
 *
 * The vocabulary is the schema's
 * (https://github.com/stryker-mutator/mutation-testing-elements/blob/master/packages/report-schema/src/mutation-testing-report-schema.json)
 * and the arithmetic is `mutation-testing-metrics`'
 * (https://github.com/stryker-mutator/mutation-testing-elements/blob/master/packages/metrics/src/calculateMetrics.ts).
 */

/**
 * The outcome of one mutant: the eight statuses of the report schema.
 *
 * Stryker.NET wrote two older names before it adopted the schema's; the reader maps them
 * explicitly (with a warning) so every later stage sees only these eight:
 * - `BuildError` → `CompileError`: the mutated project did not compile (Stryker.NET's
 *   `csharp-example` report marks `second - first` on two strings so);
 * - `Skipped` → `Ignored`: excluded by configuration; Stryker.NET renamed it when the schema
 *   added `Ignored` (stryker-mutator/stryker-net#963).
 * Both are excluded from the score under either name, so the mapping changes no score.
 */
export type MutantStatus =
  | 'Killed'
  | 'Survived'
  | 'NoCoverage'
  | 'Timeout'
  | 'CompileError'
  | 'RuntimeError'
  | 'Ignored'
  | 'Pending';

/** A line and column in a source file; both start at 1 (report schema, `definitions.position`). */
export interface MutantPosition {
  line: number;
  column: number;
}

export interface Mutant {
  /** The producer's id (numbers, written by older Stryker.NET and the PIT plugin, become strings). */
  id: string;
  /**
   * The file the mutant is in: the repository path once `measureMutation` resolved it,
   * otherwise the key exactly as the report wrote it.
   */
  file: string;
  /** Category of the mutation: `EqualityOperator`, `Binary expression mutation`, `core/NumberReplacer`, ... */
  mutatorName: string;
  /** The code the mutant put in place of the original; null when the producer leaves it out (PIT, Infection). */
  replacement: string | null;
  /** The producer's own wording of the mutation (PIT, Infection), when it wrote one. */
  description: string | null;
  status: MutantStatus;
  /** Start inclusive, end exclusive (report schema, `definitions.location`). */
  location: { start: MutantPosition; end: MutantPosition };
}

/** One mutation report as read, before any path is resolved. */
export interface MutationReport {
  /** The report's `schemaVersion` as a string (`"1"`, `"1.0"`, `"1.5"`, `"2"`, `"2.0"`; the number 1 reads as `"1"`). */
  schemaVersion: string;
  /** One entry per key of the report's `files`, in document order. */
  files: Array<{
    /** The key exactly as the report wrote it: relative, absolute, or with Windows separators. */
    path: string;
    mutants: Mutant[];
  }>;
  /** The producer's project root (absolute, Windows, or relative as in stryker4s); null when absent. */
  projectRoot: string | null;
  /** Non-fatal observations: legacy quirks read, schema problems in parts qgate does not use. */
  warnings: string[];
}

/**
 * Mutant counts and the score, with `mutation-testing-metrics`' definitions:
 * detected = killed + timeout; undetected = survived + noCoverage; valid = detected + undetected;
 * errors (metrics' "invalid") = compile + runtime errors; ignored and pending are in no total but `total`.
 */
export interface MutationCounts {
  /** Every mutant, whatever its status. */
  total: number;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  /** CompileError + RuntimeError: mutants that could not be tested. */
  errors: number;
  ignored: number;
  /** Not yet tested: the report was written before the run finished (Stryker.NET real-time reporting). */
  pending: number;
  /** killed + timeout. */
  detected: number;
  /** survived + noCoverage: the mutants still alive. */
  undetected: number;
  /** detected + undetected: the mutants the score is out of. */
  valid: number;
  /**
   * detected ÷ valid × 100, floored to 2 decimals like every qgate percent; null when no mutant
   * is valid (metrics says NaN there, and Stryker's `NaN < break` check then passes — never 100).
   */
  score: number | null;
}

/** The scores of one mutated file. */
export interface MutationFileResult extends MutationCounts {
  /** Repository path, or the path as reported when it could not be resolved. */
  path: string;
}

/** The mutants that touch a line the merge request adds or changes. */
export interface NewCodeMutation extends MutationCounts {
  /**
   * The undetected mutants on new code (Survived and NoCoverage, metrics' "undetected": both
   * are alive, one because no test failed, the other because no test ran it), ordered by file,
   * line and column. Bounded: `survivingTotal` says how many there are in all.
   */
  surviving: Mutant[];
  /** How many undetected mutants touch new code, listed or not. */
  survivingTotal: number;
}

/** The `mutation` section of `result.json`. */
export interface MutationResult extends MutationCounts {
  /** Per mutated file, ordered by path; keys that resolve to one repository file are counted together. */
  files: MutationFileResult[];
  newCode: NewCodeMutation;
  /** Report keys that match no repository file (or several); their mutants count overall, never as new code. */
  unresolvedFiles: string[];
}
