/**
 * End-to-end (Cucumber) evidence as plain data: what the parsers hand over (`E2eReport`) and
 * the `e2e` section of result.json (`E2eResult`). Statuses and counting follow Cucumber's own
 * rules (see `src/measure/e2e-summary.ts`), whichever format the run was read from.
 */

/** The formats qgate reads Cucumber results from. */
export type E2eFormat = 'cucumber-json' | 'cucumber-messages' | 'junit';

/**
 * A scenario's result, Cucumber's vocabulary (lowercase). It is the most severe status of its
 * steps and hooks, in Cucumber's order of severity: passed < skipped < pending < undefined <
 * ambiguous < failed. A scenario without any step result (Cucumber's "unknown") is `skipped`:
 * nothing ran, so it never counts as a pass.
 */
export type ScenarioStatus = 'passed' | 'failed' | 'skipped' | 'pending' | 'undefined' | 'ambiguous';

/** The step (or hook) that gave a scenario its status. */
export interface FailedStep {
  /** Gherkin keyword without trailing space (`Given`, `And`, `*`), or the hook kind (`Before`, `After`, `AfterStep`). */
  keyword: string;
  /** The step text as run (outline placeholders filled in); for a hook, its name or code location, or ''. */
  text: string;
  /** Line of the step in its feature file; null for hooks and formats without lines (JUnit). */
  line: number | null;
}

/** One scenario (one Scenario Outline example row counts as one), after its last attempt in one report. */
export interface ScenarioResult {
  /**
   * Identity of the scenario, stable across attempts and files: `uri:line`, where the line is the
   * example row's for an outline row (Cucumber JSON and Messages); `feature::name` with a `#n`
   * suffix for repeated names when the format has no lines (JUnit) or the producer left them out.
   */
  key: string;
  /** The scenario name exactly as the producer wrote it (markup included: escaping is the renderers' job). */
  name: string;
  /** The feature name (JUnit: the testcase classname, else the enclosing testsuite name). */
  feature: string;
  /** The feature file, `\` turned into `/` and a `file:` prefix removed; null when the format has none. */
  uri: string | null;
  /** Line of the scenario (or example row) in `uri`; null when unknown. */
  line: number | null;
  /** Tags including those inherited from the feature, rule and examples, each starting with `@`. Empty for JUnit. */
  tags: string[];
  status: ScenarioStatus;
  /** How many times the scenario ran (retries and reruns included); at least 1. */
  attempts: number;
  /** A failed attempt was followed by a passing last attempt. */
  flaky: boolean;
  /** The first step or hook having `status`, for statuses other than passed and skipped. */
  failedStep: FailedStep | null;
  /** The first lines of that step's error (at most 20 lines and 2000 characters); null when there is none. */
  error: string | null;
  /** Duration of the last attempt in milliseconds; null when the producer gave none. Informational only. */
  durationMs: number | null;
  /** When the last attempt started (ISO-8601), when the producer says; orders reruns found in several files. */
  startedAt: string | null;
}

/** One Cucumber report as a parser reads it: no merging, no filtering yet. */
export interface E2eReport {
  format: E2eFormat;
  /** The report as the user named it, for messages. */
  file: string;
  /** In report order. A scenario retried inside the report appears once, with its attempts counted. */
  scenarios: ScenarioResult[];
  /**
   * Why the run as a whole failed outside any scenario (a BeforeAll/AfterAll hook failed, the run
   * ended with `testRunFinished.success: false` and no failing scenario, the stream stops before
   * `testRunFinished`); null when nothing says so. Only Cucumber Messages carry this.
   */
  runError: string | null;
  /** Non-fatal observations about the report (e.g. "2 steps without a result counted as skipped"). */
  warnings: string[];
}

/** Scenario counts the way Cucumber's summary line counts them. */
export interface E2eScenarioCounts {
  /** Scenarios kept after the tag filter, each counted once by its last attempt. */
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  pending: number;
  undefined: number;
  ambiguous: number;
  /** Passed scenarios that failed on an earlier attempt (also counted in `passed`). */
  flaky: number;
}

/** The `e2e` section of result.json. */
export interface E2eResult {
  scenarios: E2eScenarioCounts;
  /**
   * The scenarios that did not pass or skip — failed, ambiguous, undefined, pending, in that order —
   * at most `E2E_LISTED_SCENARIOS` of them.
   */
  failed: ScenarioResult[];
  /** How many of those were left out of `failed` to keep the result small. */
  failedOmitted: number;
  /** The flaky scenarios, at most `E2E_LISTED_SCENARIOS` of them. */
  flakyScenarios: ScenarioResult[];
  /** Scenarios the tag filter removed (each counted once). */
  filteredOut: number;
  /** The tag expression applied, or null. */
  tags: string | null;
  /** Run-level failures, each prefixed by the report it came from. */
  runErrors: string[];
  /** Observations about the merge itself (e.g. a tag filter that JUnit reports cannot honour). */
  warnings: string[];
  /** The failing scenarios against the target branch's last runs (src/measure/e2e-flaky-history.ts); absent when no history was read. */
  history?: E2eHistory;
}

/** Longest list of scenarios kept in `E2eResult.failed` and `flakyScenarios`. */
export const E2E_LISTED_SCENARIOS = 50;

/** One default-branch run of the scenarios, as its result.json recorded it. */
export interface E2eHistoryRun {
  commit: string | null;
  date: string | null;
  source: string | null;
  /** Keys of the scenarios that did not pass or skip (result.json `e2e.failed`). */
  failedKeys: string[];
  /** Keys of the scenarios that passed only after a failed attempt (`e2e.flakyScenarios`). */
  flakyKeys: string[];
}

export interface E2eHistoryScenario {
  key: string;
  name: string;
  status: ScenarioResult['status'];
  /** In how many of the history's runs it failed or was flaky. */
  failedInRuns: number;
}

/** `e2e.history` in result.json. */
export interface E2eHistory {
  /** The default-branch runs read, oldest first. */
  runs: Array<{ commit: string | null; date: string | null; source: string | null }>;
  /** Failing now, and failed or flaky in at least one of `runs`. */
  knownFlaky: E2eHistoryScenario[];
  /** Failing now, and passed in every one of `runs`. */
  newlyFailing: E2eHistoryScenario[];
  /** Known-flaky scenarios the `flaky: quarantine` policy kept out of the failed count (listed above, counted here). */
  quarantined: number;
}
