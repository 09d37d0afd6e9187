/**
 * Orchestration of `qgate check`: config → inputs → diff → measure → gates → outputs.
 * Takes an explicit context and never touches `process`: the CLI owns that.
 */
import { realpath } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { loadConfig } from './config/load-config.js';
import type { CoverageReportConfig, QgateConfig } from './config/types.js';
import { collectChangedLines, type GitDiffSummary } from './diff/git-diff.js';
import { readChangedLinesFromDiffFile } from './diff/diff-file.js';
import { listRepoFiles, type RepoFiles } from './diff/repo-files.js';
import { findRepoRoot } from './diff/repo-root.js';
import { QgateError, type ExitCode } from './errors.js';
import type { FetchedBaseline } from './gitlab/baseline.js';
import { openGitLabSession } from './gitlab/session.js';
import type { BaselineInfo } from './model/baseline.js';
import { relativeInside } from './path-inside.js';
import { decideVerdict, evaluateGates } from './gates/evaluate.js';
import { readCoverageReport } from './inputs/coverage/registry.js';
import { createSourceReader } from './inputs/read-source.js';
import type { E2eReport } from './model/e2e.js';
import type { MutationReport } from './model/mutation.js';
import type { K6Run } from './model/performance.js';
import { mergeCoverage, type CoverageInput, type MergedCoverage } from './measure/merge-coverage.js';
import { measureNewCode } from './measure/new-code-coverage.js';
import type { CoverageFormat } from './model/coverage.js';
import { RESULT_SCHEMA_VERSION, type CoverageResult, type InputRecord, type QgateResult } from './model/result.js';
import { removeStaleResult, writeReportFiles } from './publish/write-report-files.js';
import { renderReportFiles } from './render/report-files.js';
import { renderTerminalSummary, terminalStyleFor } from './render/terminal.js';
import { QGATE_VERSION } from './version.js';
import { changedLinesAfterGitFailed, loadBaseline, lookUpMergeRequest, mergeRequestFromEnv, pendingBaseline, planBaseline, postComment } from './run-gitlab.js';

export interface RunContext {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  now: () => Date;
  /** Waits between GitLab retries (default: real time); tests inject one that does not wait. */
  sleep?: (ms: number) => Promise<void>;
}

export interface CheckOptions {
  config?: string;
  preset?: string;
  out: string;
  coverage: string[];
  format?: CoverageFormat;
  base?: string;
  head?: string;
  diffFile?: string;
  /** Cucumber JSON / Messages NDJSON / JUnit XML reports; several merge. */
  cucumber: string[];
  k6?: string;
  k6Baseline?: string;
  mutation?: string;
  comment: boolean;
}

/** Re-exported for the CLI and the scorecard, which import it from here. */
export { QGATE_VERSION };

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** The report list: CLI paths win; a config entry with the same path lends its `format`/`root`. */
function selectReports(options: CheckOptions, config: QgateConfig): Array<CoverageReportConfig & { fromConfig: boolean }> {
  if (options.coverage.length === 0) return config.coverage.reports.map((report) => ({ ...report, fromConfig: true }));
  return options.coverage.map((path) => {
    const configured = config.coverage.reports.find((report) => report.path === path);
    const format = options.format ?? configured?.format;
    return {
      path,
      ...(format ? { format } : {}),
      ...(configured?.root !== undefined ? { root: configured.root } : {}),
      fromConfig: false,
    };
  });
}

async function readCoverageInputs(
  reports: ReturnType<typeof selectReports>,
  cwd: string,
  repoRoot: string,
): Promise<{ inputs: CoverageInput[]; records: InputRecord[] }> {
  const inputs: CoverageInput[] = [];
  const records: InputRecord[] = [];
  for (const entry of reports) {
    // Config paths are relative to the repository root; command-line paths to the working directory.
    const { absolute, reportDir } = await locateInput(entry.path, entry.fromConfig ? repoRoot : cwd, repoRoot);
    if (entry.fromConfig && reportDir === null) {
      // .qgate.yml is part of the merge request: it must not make qgate read files outside the checkout.
      throw new QgateError('INPUT_UNREADABLE', 'is outside the repository checkout; coverage.reports in .qgate.yml may only name files inside it.', {
        file: entry.path,
        hint: 'Move the report into the checkout, or pass it with --coverage on the command line.',
      });
    }
    const report = await readCoverageReport(entry.path, absolute, entry.format);
    inputs.push({
      file: entry.path,
      report,
      reportDir,
      ...(entry.root !== undefined ? { root: entry.root } : {}),
    });
    records.push({
      kind: 'coverage',
      path: entry.path,
      format: report.format,
      entries: report.files.length,
      producerTotals: report.producerTotals ?? null,
      warnings: report.warnings,
    });
  }
  return { inputs, records };
}

/**
 * Where an input lives (`path` relative to `base`), and its folder relative to the repository,
 * symlinks resolved; null when it lies outside the repository.
 */
async function locateInput(path: string, base: string, repoRoot: string): Promise<{ absolute: string; reportDir: string | null }> {
  const absolute = resolve(base, path);
  let real = absolute;
  try {
    real = await realpath(absolute);
  } catch {
    // Missing files are reported by the reader with the right code.
  }
  const inside = relativeInside(repoRoot, real);
  if (inside === null) return { absolute, reportDir: null };
  const dir = toPosix(dirname(inside));
  return { absolute, reportDir: dir === '.' ? '' : dir };
}

interface OtherEvidence {
  e2eReports: E2eReport[];
  k6: K6Run | null;
  k6Baseline: K6Run | null;
  mutation: { report: MutationReport; reportDir: string | null } | null;
  records: InputRecord[];
}

/** Reads the E2E, k6 and mutation inputs named on the command line. */
async function readOtherEvidence(options: CheckOptions, config: QgateConfig, cwd: string, repoRoot: string): Promise<OtherEvidence> {
  const records: InputRecord[] = [];
  const e2eReports: E2eReport[] = [];
  // Each evidence kind's modules load only when that evidence is given: most runs read coverage alone.
  for (const path of options.cucumber) {
    const { readE2eReport } = await import('./inputs/e2e/registry.js');
    const { absolute } = await locateInput(path, cwd, repoRoot);
    const report = await readE2eReport(path, absolute);
    e2eReports.push(report);
    records.push({ kind: 'e2e', path, format: report.format, entries: report.scenarios.length, producerTotals: null, warnings: report.warnings });
  }
  const perf = config.gates.performance;
  const k6Options = { onBrokenLine: perf.onBrokenLine, extraThresholds: perf.extraThresholds, wantedStats: perf.tracked };
  const readK6 = async (path: string | undefined, kind: 'performance' | 'performance-baseline'): Promise<K6Run | null> => {
    if (path === undefined) return null;
    const { readK6Run } = await import('./inputs/perf/registry.js');
    const { absolute } = await locateInput(path, cwd, repoRoot);
    const run = await readK6Run(path, absolute, undefined, k6Options);
    records.push({ kind, path, format: run.format, entries: run.metrics.length, producerTotals: null, warnings: run.warnings });
    return run;
  };
  const k6 = await readK6(options.k6, 'performance');
  const k6Baseline = await readK6(options.k6Baseline, 'performance-baseline');
  let mutation: OtherEvidence['mutation'] = null;
  if (options.mutation !== undefined) {
    const { readMutationReport } = await import('./inputs/mutation/registry.js');
    const { absolute, reportDir } = await locateInput(options.mutation, cwd, repoRoot);
    const report = await readMutationReport(options.mutation, absolute);
    mutation = { report, reportDir };
    records.push({
      kind: 'mutation',
      path: options.mutation,
      format: 'mutation-testing-report-schema',
      entries: report.files.length,
      producerTotals: null,
      warnings: report.warnings,
    });
  }
  return { e2eReports, k6, k6Baseline, mutation, records };
}

/** Tag and k6 threshold expressions are config too: a typo is exit 2 before any input is read. */
async function checkConfigExpressions(config: QgateConfig, files: readonly string[]): Promise<void> {
  const problems: string[] = [];
  const tags = config.gates.e2e.tags;
  const extra = Object.entries(config.gates.performance.extraThresholds);
  if (tags !== null && tags.trim() !== '') {
    const { compileTagFilter } = await import('./measure/e2e-summary.js');
    try {
      compileTagFilter(tags);
    } catch (error) {
      problems.push(`gates.e2e.tags: ${(error as Error).message}`);
    }
  }
  for (const [metric, expressions] of extra) {
    const { validateK6Threshold } = await import('./measure/k6-thresholds.js');
    for (const expression of expressions) {
      const problem = validateK6Threshold(expression);
      if (problem !== null) problems.push(`gates.performance.extraThresholds.${metric}: ${JSON.stringify(expression)}: ${problem}`);
    }
  }
  if (problems.length > 0) {
    throw new QgateError('CONFIG_INVALID', `The configuration (${files.at(-1) ?? 'preset'}) has ${problems.length} invalid expression${problems.length === 1 ? '' : 's'}:\n  ${problems.join('\n  ')}`);
  }
}

function compileGlobs(globs: readonly string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  // picomatch defaults: case-sensitive, and `*`/`**` skip dot-names, as gates/default.yml documents.
  return picomatch(globs as string[]);
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

/** `path` relative to the repository root when inside it (as messages should show it), else absolute. */
function fromRoot(repoRoot: string, path: string): string {
  const inside = relativeInside(repoRoot, path);
  return inside === null || inside === '' ? path : inside;
}

interface GitWork {
  repoRoot: Promise<Settled<string>>;
  diff: Promise<Settled<GitDiffSummary>>;
  repoFiles: Promise<Settled<RepoFiles>>;
}

/** Finds the repository, then diffs and lists it, all in the background. */
function startGitWork(options: CheckOptions, context: RunContext): GitWork {
  const root = findRepoRoot(context.cwd, context.env).then((found) => {
    const repoRoot = found ?? (options.diffFile !== undefined ? context.cwd : null);
    if (repoRoot === null) throw new QgateError('GIT_NOT_A_REPO', `${context.cwd} is not inside a git repository.`);
    return repoRoot;
  });
  const diff = root.then((repoRoot) =>
    options.diffFile !== undefined
      ? readChangedLinesFromDiffFile(options.diffFile, resolve(context.cwd, options.diffFile))
      : collectChangedLines({
          cwd: repoRoot,
          env: context.env,
          ...(options.base !== undefined ? { base: options.base } : {}),
          ...(options.head !== undefined ? { head: options.head } : {}),
        }),
  );
  const repoFiles = root.then((repoRoot) => listRepoFiles(repoRoot, context.env));
  return { repoRoot: settle(root), diff: settle(diff), repoFiles: settle(repoFiles) };
}

export interface CheckOutcome {
  result: QgateResult;
  exitCode: ExitCode;
}

export async function runCheck(options: CheckOptions, context: RunContext): Promise<CheckOutcome> {
  try {
    return await check(options, context);
  } catch (error) {
    // A result.json from an earlier run must not be uploaded as this run's verdict.
    await removeStaleResult(context.cwd, resolve(context.cwd, options.out));
    throw error;
  }
}

async function check(options: CheckOptions, context: RunContext): Promise<CheckOutcome> {
  // git needs no configuration: it starts first and runs while the config loads and the
  // reports are parsed (rename and copy detection is the slowest single step on a big MR).
  // Outcomes are held, not thrown, so configuration and input errors are still reported
  // first, and no rejection goes unobserved meanwhile.
  const gitWork = startGitWork(options, context);
  // The repository root is one quick `git rev-parse`; the config lives there, whatever folder
  // qgate runs from. Outside a repository the error waits until config and inputs were checked.
  const rootOutcome = await gitWork.repoRoot;
  const repoRoot = rootOutcome.ok ? rootOutcome.value : context.cwd;
  const { config, files: configFiles } = await loadConfig({
    cwd: repoRoot,
    ...(options.config !== undefined ? { configPath: fromRoot(repoRoot, resolve(context.cwd, options.config)) } : {}),
    ...(options.preset !== undefined ? { preset: options.preset } : {}),
  });
  await checkConfigExpressions(config, configFiles);
  const diffOutcome = gitWork.diff;
  const repoFilesOutcome = gitWork.repoFiles;

  // Every input is read before anything is written: bad input never leaves a half-verdict behind.
  const reports = selectReports(options, config);
  const { inputs, records: coverageRecords } = await readCoverageInputs(reports, context.cwd, repoRoot);
  const other = await readOtherEvidence(options, config, context.cwd, repoRoot);
  if (!rootOutcome.ok) throw rootOutcome.error;
  const records = [...coverageRecords, ...other.records];
  const session = await openGitLabSession(context.env, config.gitlab, () => context.now().getTime(), context.sleep);
  const envTarget = mergeRequestFromEnv(session);
  const gitDiff = await diffOutcome;
  const { diff, target: lookedUp } = gitDiff.ok ? { diff: gitDiff.value, target: undefined } : await changedLinesAfterGitFailed(gitDiff.error, session, envTarget, repoRoot, context);

  let repoFiles: { files: string[]; symlinks: Set<string> };
  const listed = await repoFilesOutcome;
  if (listed.ok) {
    repoFiles = listed.value;
  } else {
    if (options.diffFile === undefined) throw listed.error;
    // A diff file outside any repository: the changed files are all we know exist.
    repoFiles = { files: diff.files.map((file) => file.path), symlinks: new Set() };
    diff.warnings.push('not a git repository: report paths are matched against the diff file only');
  }

  let coverage: CoverageResult | null = null;
  let merged: MergedCoverage | null = null;
  if (inputs.length > 0) {
    merged = mergeCoverage(inputs, { root: toPosix(repoRoot), files: new Set(repoFiles.files) });
    const newCode = measureNewCode(diff, merged, {
      isSource: compileGlobs(config.coverage.sources),
      isExcluded: compileGlobs(config.coverage.exclude),
      symlinks: repoFiles.symlinks,
    });
    coverage = { newCode, overall: merged.overall, unresolvedPaths: merged.unresolved };
  }

  const diffResult = {
    source: diff.source,
    baseSha: diff.baseSha,
    headSha: diff.headSha,
    changedFiles: diff.files.length,
    addedLines: diff.files.reduce((sum, file) => sum + file.addedLines.length, 0),
    deletedFiles: diff.deletedFiles,
    warnings: diff.warnings,
    ...('range' in diff && diff.range !== undefined ? { range: diff.range } : {}),
  };
  const repoIndex = { root: toPosix(repoRoot), files: new Set(repoFiles.files) };
  const e2e = other.e2eReports.length > 0 ? (await import('./measure/e2e-summary.js')).summarizeE2e(other.e2eReports, { tags: config.gates.e2e.tags }) : null;
  const comparePerformance = other.k6 ? (await import('./measure/perf-history.js')).comparePerformanceWithHistory : null;
  const mutation = other.mutation
    ? (await import('./measure/mutation-score.js')).measureMutation(other.mutation.report, diff, { repo: repoIndex, reportDir: other.mutation.reportDir })
    : null;

  /** The verdict, given what is known of the target branch's baseline. */
  const decide = (baseline: BaselineInfo, fetched: FetchedBaseline | null): QgateResult => {
    // A --k6-baseline file wins over the artifact: the user named it.
    const k6Baseline = other.k6Baseline ?? fetched?.baseline?.k6 ?? null;
    const performance =
      other.k6 && comparePerformance
        ? comparePerformance(other.k6, k6Baseline, fetched?.history, { tracked: config.gates.performance.tracked, extraThresholds: config.gates.performance.extraThresholds, userBaseline: other.k6Baseline !== null, ...(config.gates.performance.history ? { minRuns: config.gates.performance.history.minRuns } : {}) })
        : null;
    const gateBaseline = baseline.status === 'found' ? { overallCoveragePercent: baseline.overallCoveragePercent } : null;
    const gates = evaluateGates({ config, coverage, diff: diffResult, baseline: gateBaseline, e2e, performance, mutation });
    const { verdict, reason } = decideVerdict(gates);
    return {
      schemaVersion: RESULT_SCHEMA_VERSION,
      tool: { name: 'qgate', version: QGATE_VERSION },
      generatedAt: context.now().toISOString(),
      verdict,
      verdictReason: reason,
      gates,
      diff: diffResult,
      coverage,
      baseline,
      e2e,
      performance,
      mutation,
      inputs: records,
      configFiles,
    };
  };

  // Every report file is written before any network call that could hang: nothing is lost when
  // GitLab is unreachable. When a baseline is to be fetched, the files are written first with
  // the baseline marked as not yet read, then rewritten with it.
  const outDir = resolve(context.cwd, options.out);
  const outInRepo = relativeInside(repoRoot, outDir);
  const outDirInRepo = outInRepo === null || outInRepo === '' ? null : toPosix(outInRepo);
  const renderContext = {
    env: context.env,
    repoRoot: toPosix(repoRoot),
    outDirInRepo,
    changedPaths: new Set(diff.files.map((file) => file.path)),
    // Only when git listed the files: a diff file outside a repository gives no source.
    ...(listed.ok ? { readSource: createSourceReader(repoRoot, new Set(repoFiles.files), repoFiles.symlinks) } : {}),
  };
  const publish = async (result: QgateResult): Promise<{ written: Awaited<ReturnType<typeof writeReportFiles>>; comment: string; warnings: string[] }> => {
    const rendered = renderReportFiles(result, merged, renderContext);
    const written = await writeReportFiles(context.cwd, outDir, rendered.files);
    const comment = rendered.files.find(([name]) => name === 'comment.md')?.[1] ?? '';
    return { written, comment, warnings: rendered.warnings };
  };

  // The files are written first, with what the environment alone tells (an MR pipeline names its
  // merge request; a branch pipeline still has to look it up). Requests that could hang come after.
  const wantsBaseline = coverage !== null || other.k6 !== null;
  const resultPath = outDirInRepo === null ? null : `${outDirInRepo}/result.json`;
  const firstPlan = planBaseline(config, session, envTarget, wantsBaseline, resultPath);
  let result = decide(firstPlan.ask ? pendingBaseline(firstPlan.ref, firstPlan.job) : firstPlan.info, null);
  let published = await publish(result);

  const target = lookedUp ?? (envTarget.kind === 'lookup' ? await lookUpMergeRequest(session, envTarget.branch, context) : envTarget);
  const plan = envTarget.kind === 'lookup' ? planBaseline(config, session, target, wantsBaseline, resultPath) : firstPlan;
  if (plan.ask && target.kind === 'found') {
    const fetched = await loadBaseline(session, target, plan, config, context);
    result = decide(fetched.info, fetched);
    published = await publish(result);
  } else if (!plan.ask && plan !== firstPlan) {
    result = decide(plan.info, null);
    published = await publish(result);
  }
  for (const warning of published.warnings) context.stderr.write(`qgate: warning: ${warning}\n`);
  context.stdout.write(renderTerminalSummary(result, relative(context.cwd, published.written.resultJson) || published.written.resultJson, terminalStyleFor(context.env, context.stdout)));

  const commentExit = options.comment && config.gitlab.comment.enabled ? await postComment(session, target, published.comment, result.verdict, config, context) : 0;
  if (commentExit === 3) return { result, exitCode: 3 };
  return { result, exitCode: result.verdict === 'fail' ? 1 : 0 };
}
